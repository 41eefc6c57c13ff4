"""timesheet import log: each imported file's SHA-256, name, user, channel, time and count
(issue 14: the same file imported twice is detected)

Revision ID: c3d5e7f90a12
Revises: 6b9c85bca03c
Create Date: 2026-12-01 20:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3d5e7f90a12'
down_revision = '6b9c85bca03c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'timesheet_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_hash', sa.String(length=64), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_label', sa.String(length=255), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('entry_count', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_timesheet_import_user_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_timesheet_import')),
    )
    with op.batch_alter_table('timesheet_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_timesheet_import_file_hash'), ['file_hash'], unique=False)


def downgrade():
    with op.batch_alter_table('timesheet_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_timesheet_import_file_hash'))
    op.drop_table('timesheet_import')
