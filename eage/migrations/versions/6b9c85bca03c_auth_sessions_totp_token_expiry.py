"""sign-in and sessions: a per-user session version, an optional TOTP secret, and an expiry
date on API tokens (existing tokens expire a year after they were created)

Revision ID: 6b9c85bca03c
Revises: 4b1ac0db223f
Create Date: 2026-12-01 18:05:16.552065

"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '6b9c85bca03c'
down_revision = '4b1ac0db223f'
branch_labels = None
depends_on = None


def _expire_existing_tokens_after_a_year():
    token = sa.table(
        'api_token',
        sa.column('id', sa.Integer()),
        sa.column('created_at', sa.DateTime()),
        sa.column('expires_at', sa.DateTime()),
    )
    conn = op.get_bind()
    for token_id, created_at in conn.execute(sa.select(token.c.id, token.c.created_at)).all():
        conn.execute(
            token.update()
            .where(token.c.id == token_id)
            .values(expires_at=created_at + timedelta(days=365))
        )


def upgrade():
    # app_user is referenced by other tables: on SQLite, add and drop its columns in place
    # (recreating it would break the foreign keys pointing at it).
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.add_column(sa.Column('expires_at', sa.DateTime(), nullable=True))
    _expire_existing_tokens_after_a_year()
    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.alter_column('expires_at', existing_type=sa.DateTime(), nullable=False)

    with op.batch_alter_table('app_user', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default=sa.text('0'), nullable=False))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))


def downgrade():
    with op.batch_alter_table('app_user', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('session_version')

    with op.batch_alter_table('api_token', schema=None) as batch_op:
        batch_op.drop_column('expires_at')
