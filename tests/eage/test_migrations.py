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
