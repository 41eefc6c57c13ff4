"""supplier bank details (IBAN, BIC per supplier name) and the expense's paid_on (issue 16:
supplier payments by SEPA transfer, marked paid when the statement books FOUR-<id>)

Revision ID: f4a2c6e8b013
Revises: e18a0b1c2d3f
Create Date: 2026-12-02 01:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f4a2c6e8b013'
down_revision = 'e18a0b1c2d3f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'supplier',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('iban', sa.String(length=34), nullable=True),
        sa.Column('bic', sa.String(length=11), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_supplier')),
        sa.UniqueConstraint('name', name=op.f('uq_supplier_name')),
    )
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('expense', schema=None) as batch_op:
        batch_op.drop_column('paid_on')
    op.drop_table('supplier')
