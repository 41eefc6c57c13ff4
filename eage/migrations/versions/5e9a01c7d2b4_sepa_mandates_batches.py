"""SEPA: creditor settings, members' mandates, pain.008/pain.001 batches and their
transactions; employees' IBAN and BIC (issue 16)

Revision ID: 5e9a01c7d2b4
Revises: c3d5e7f90a12
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e9a01c7d2b4'
down_revision = 'c3d5e7f90a12'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'sepa_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('creditor_identifier', sa.String(length=35), nullable=True),
        sa.Column('payees', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sepa_settings')),
    )
    op.create_table(
        'sepa_mandate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=35), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=False),
        sa.Column('debtor_name', sa.String(length=140), nullable=False),
        sa.Column('iban', sa.String(length=34), nullable=False),
        sa.Column('bic', sa.String(length=11), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('first_collected_on', sa.Date(), nullable=True),
        sa.Column('last_collected_on', sa.Date(), nullable=True),
        sa.Column('revoked_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('recurrent', 'one_off')", name=op.f('ck_sepa_mandate_kind')),
        sa.CheckConstraint(
            'revoked_on IS NULL OR revoked_on >= signed_on', name=op.f('ck_sepa_mandate_revoked_after')
        ),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_sepa_mandate_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_sepa_mandate_member_id_member')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sepa_mandate')),
        sa.UniqueConstraint('reference', name=op.f('uq_sepa_mandate_reference')),
    )
    with op.batch_alter_table('sepa_mandate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sepa_mandate_member_id'), ['member_id'], unique=False)
    op.create_table(
        'sepa_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('schema', sa.String(length=20), nullable=False),
        sa.Column('msg_id', sa.String(length=35), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('total', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('notified_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('debit', 'transfer')", name=op.f('ck_sepa_batch_kind')),
        sa.CheckConstraint('total > 0 AND count > 0', name=op.f('ck_sepa_batch_positive')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_sepa_batch_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['document_id'], ['stored_document.id'], name=op.f('fk_sepa_batch_document_id_stored_document')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sepa_batch')),
        sa.UniqueConstraint('msg_id', name=op.f('uq_sepa_batch_msg_id')),
    )
    op.create_table(
        'sepa_transaction',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=False),
        sa.Column('payment_info_id', sa.String(length=35), nullable=False),
        sa.Column('end_to_end_id', sa.String(length=35), nullable=False),
        sa.Column('sequence_type', sa.String(length=4), nullable=True),
        sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('name', sa.String(length=140), nullable=False),
        sa.Column('iban', sa.String(length=34), nullable=False),
        sa.Column('bic', sa.String(length=11), nullable=True),
        sa.Column('remittance', sa.String(length=140), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=True),
        sa.Column('mandate_id', sa.Integer(), nullable=True),
        sa.Column('payslip_id', sa.Integer(), nullable=True),
        sa.Column('settlement_kind', sa.String(length=20), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.CheckConstraint('amount > 0', name=op.f('ck_sepa_transaction_amount_positive')),
        sa.CheckConstraint(
            "status IN ('pending', 'done', 'rejected')", name=op.f('ck_sepa_transaction_status')
        ),
        sa.ForeignKeyConstraint(['batch_id'], ['sepa_batch.id'], name=op.f('fk_sepa_transaction_batch_id_sepa_batch')),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_sepa_transaction_invoice_id_invoice')),
        sa.ForeignKeyConstraint(['mandate_id'], ['sepa_mandate.id'], name=op.f('fk_sepa_transaction_mandate_id_sepa_mandate')),
        sa.ForeignKeyConstraint(['payslip_id'], ['payslip.id'], name=op.f('fk_sepa_transaction_payslip_id_payslip')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sepa_transaction')),
        sa.UniqueConstraint('batch_id', 'end_to_end_id', name='uq_sepa_transaction_batch_e2e'),
    )
    with op.batch_alter_table('sepa_transaction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sepa_transaction_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sepa_transaction_end_to_end_id'), ['end_to_end_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sepa_transaction_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sepa_transaction_payslip_id'), ['payslip_id'], unique=False)
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.add_column(sa.Column('iban', sa.String(length=34), nullable=True))
        batch_op.add_column(sa.Column('bic', sa.String(length=11), nullable=True))


def downgrade():
    with op.batch_alter_table('employee', schema=None) as batch_op:
        batch_op.drop_column('bic')
        batch_op.drop_column('iban')
    with op.batch_alter_table('sepa_transaction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sepa_transaction_payslip_id'))
        batch_op.drop_index(batch_op.f('ix_sepa_transaction_invoice_id'))
        batch_op.drop_index(batch_op.f('ix_sepa_transaction_end_to_end_id'))
        batch_op.drop_index(batch_op.f('ix_sepa_transaction_batch_id'))
    op.drop_table('sepa_transaction')
    op.drop_table('sepa_batch')
    with op.batch_alter_table('sepa_mandate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sepa_mandate_member_id'))
    op.drop_table('sepa_mandate')
    op.drop_table('sepa_settings')
