"""member admin flag: a member user who may invite and remove its member's users (issue 18)

Revision ID: e18a0b1c2d3f
Revises: e8a41c7d2b90
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e18a0b1c2d3f'
down_revision = "e8a41c7d2b90"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('app_user', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column('member_admin', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade():
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_column('member_admin')
