"""bank statements in (issue 16): statements, their lines and what they became, payment
reversals (rejected direct debits), CSV mappings per bank, and the member's IBAN

Revision ID: b4e1a7c2d9f3
Revises: 5e9a01c7d2b4
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b4e1a7c2d9f3'
down_revision = "5e9a01c7d2b4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iban', sa.String(length=34), nullable=True))
    op.create_table(
        'bank_statement',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_iban', sa.String(length=40), nullable=False),
        sa.Column('statement_ref', sa.String(length=100), nullable=False),
        sa.Column('file_format', sa.String(length=10), nullable=False),
        sa.Column('file_name', sa.String(length=255), nullable=False),
        sa.Column('file_hash', sa.String(length=64), nullable=False),
        sa.Column('opening_balance', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('closing_balance', sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column('date_from', sa.Date(), nullable=False),
        sa.Column('date_to', sa.Date(), nullable=False),
        sa.Column('skipped_lines', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['imported_by_id'], ['app_user.id'], name=op.f('fk_bank_statement_imported_by_id_app_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_statement')),
        sa.UniqueConstraint('account_iban', 'statement_ref', name='uq_bank_statement_account_ref'),
        sa.UniqueConstraint('file_hash', name=op.f('uq_bank_statement_file_hash')),
    )
    op.create_table(
        'bank_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('statement_id', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('fingerprint', sa.String(length=64), nullable=False),
        sa.Column('booking_date', sa.Date(), nullable=False),
        sa.Column('value_date', sa.Date(), nullable=True),
        sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('counterparty_name', sa.String(length=200), nullable=True),
        sa.Column('counterparty_iban', sa.String(length=40), nullable=True),
        sa.Column('remittance', sa.String(length=500), nullable=True),
        sa.Column('end_to_end_id', sa.String(length=100), nullable=True),
        sa.Column('bank_reference', sa.String(length=100), nullable=True),
        sa.Column('reversal', sa.Boolean(), nullable=False),
        sa.Column('return_reason', sa.String(length=10), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('proposal', sa.JSON(), nullable=True),
        sa.CheckConstraint('amount <> 0', name=op.f('ck_bank_line_amount_not_zero')),
        sa.CheckConstraint("status IN ('open', 'proposed', 'matched', 'confirmed')", name=op.f('ck_bank_line_status')),
        sa.ForeignKeyConstraint(['statement_id'], ['bank_statement.id'], name=op.f('fk_bank_line_statement_id_bank_statement')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_line')),
        sa.UniqueConstraint('fingerprint', name=op.f('uq_bank_line_fingerprint')),
    )
    with op.batch_alter_table('bank_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_line_statement_id'), ['statement_id'], unique=False)
    op.create_table(
        'payment_reversal',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('reason', sa.String(length=10), nullable=True),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_payment_reversal_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], name=op.f('fk_payment_reversal_entry_id_journal_entry')),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_payment_reversal_payment_id_payment')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payment_reversal')),
        sa.UniqueConstraint('payment_id', name=op.f('uq_payment_reversal_payment_id')),
    )
    op.create_table(
        'bank_match',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('automatic', sa.Boolean(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=True),
        sa.Column('reversal_id', sa.Integer(), nullable=True),
        sa.Column('settlement_id', sa.Integer(), nullable=True),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('payment', 'reversal', 'settlement', 'account')", name=op.f('ck_bank_match_kind')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_bank_match_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], name=op.f('fk_bank_match_entry_id_journal_entry')),
        sa.ForeignKeyConstraint(['line_id'], ['bank_line.id'], name=op.f('fk_bank_match_line_id_bank_line')),
        sa.ForeignKeyConstraint(['payment_id'], ['payment.id'], name=op.f('fk_bank_match_payment_id_payment')),
        sa.ForeignKeyConstraint(['reversal_id'], ['payment_reversal.id'], name=op.f('fk_bank_match_reversal_id_payment_reversal')),
        sa.ForeignKeyConstraint(['settlement_id'], ['settlement.id'], name=op.f('fk_bank_match_settlement_id_settlement')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_match')),
    )
    with op.batch_alter_table('bank_match', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bank_match_line_id'), ['line_id'], unique=False)
    op.create_table(
        'bank_csv_mapping',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bank_name', sa.String(length=100), nullable=False),
        sa.Column('account_iban', sa.String(length=40), nullable=False),
        sa.Column('date_column', sa.String(length=60), nullable=False),
        sa.Column('date_format', sa.String(length=20), nullable=False),
        sa.Column('label_column', sa.String(length=60), nullable=False),
        sa.Column('amount_column', sa.String(length=60), nullable=True),
        sa.Column('debit_column', sa.String(length=60), nullable=True),
        sa.Column('credit_column', sa.String(length=60), nullable=True),
        sa.Column('reference_column', sa.String(length=60), nullable=True),
        sa.Column('counterparty_column', sa.String(length=60), nullable=True),
        sa.Column('iban_column', sa.String(length=60), nullable=True),
        sa.Column('decimal_comma', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_csv_mapping')),
        sa.UniqueConstraint('bank_name', name=op.f('uq_bank_csv_mapping_bank_name')),
    )


def downgrade():
    op.drop_table('bank_csv_mapping')
    with op.batch_alter_table('bank_match', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_match_line_id'))
    op.drop_table('bank_match')
    op.drop_table('payment_reversal')
    with op.batch_alter_table('bank_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bank_line_statement_id'))
    op.drop_table('bank_line')
    op.drop_table('bank_statement')
    with op.batch_alter_table('member', schema=None) as batch_op:
        batch_op.drop_column('iban')
