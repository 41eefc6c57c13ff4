"""The migrations build exactly the schema the models describe (no forgotten migration)."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from eage.extensions import db
from eage.models import Base


def test_models_and_migrations_agree(app) -> None:
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_foreign_keys_are_enforced_again_after_a_migration(app) -> None:
    """SQLite migrations run with foreign keys off (batch mode rebuilds tables): the pooled
    connections must come back with them on."""
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from eage.extensions import db

    if db.engine.dialect.name != "sqlite":
        return
    db.session.remove()
    downgrade(revision="-1")
    upgrade()
    for _ in range(3):  # whichever pooled connection the session gets
        with db.engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
