"""Bulk loading of generated rows: the one place where the large demo speaks to its database
in its own dialect. PostgreSQL takes the rows through ``COPY … FROM STDIN`` (psycopg's
copy, in the session's transaction), several times faster than an INSERT per row; every
other database through SQLAlchemy Core's executemany."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, insert

from eage.extensions import db


def insert_rows(table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table`, in the session's transaction."""
    if not rows:
        return  # an empty executemany would insert one row of defaults
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)  # the table's own column names
    raw = connection.connection.driver_connection
    cursor = raw.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
