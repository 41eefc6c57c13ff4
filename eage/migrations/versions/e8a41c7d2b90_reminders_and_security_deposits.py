"""reminders for overdue invoices (level, invoices, penalties, e-mail) and members' security
deposits, refunds of unapplied credit, penalty invoices (line kinds penalty and indemnity;
issue 16)

Revision ID: e8a41c7d2b90
Revises: b4e1a7c2d9f3
Create Date: 2026-12-01 23:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e8a41c7d2b90'
down_revision = "b4e1a7c2d9f3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'reminder',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('sent_on', sa.Date(), nullable=False),
        sa.Column('email_to', sa.String(length=400), nullable=False),
        sa.Column('message_id', sa.String(length=200), nullable=False),
        sa.Column('delivered_to', sa.String(length=400), nullable=False),
        sa.Column('outstanding', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('penalties', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('indemnities', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=True),
        sa.Column('penalty_invoice_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('level IN (1, 2, 3)', name=op.f('ck_reminder_level')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_reminder_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['document_id'], ['stored_document.id'], name=op.f('fk_reminder_document_id_stored_document')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_reminder_member_id_member')),
        sa.ForeignKeyConstraint(['penalty_invoice_id'], ['invoice.id'], name=op.f('fk_reminder_penalty_invoice_id_invoice')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_member_id'), ['member_id'], unique=False)
    op.create_table(
        'reminder_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reminder_id', sa.Integer(), nullable=False),
        sa.Column('invoice_id', sa.Integer(), nullable=False),
        sa.Column('level', sa.Integer(), nullable=True),
        sa.Column('days_late', sa.Integer(), nullable=False),
        sa.Column('outstanding', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('penalty_rate', sa.Numeric(precision=6, scale=2), nullable=False),
        sa.Column('penalty', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('indemnity', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.ForeignKeyConstraint(['invoice_id'], ['invoice.id'], name=op.f('fk_reminder_item_invoice_id_invoice')),
        sa.ForeignKeyConstraint(['reminder_id'], ['reminder.id'], name=op.f('fk_reminder_item_reminder_id_reminder')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_item')),
        sa.UniqueConstraint('invoice_id', 'level', name='uq_reminder_item_invoice_level'),
    )
    with op.batch_alter_table('reminder_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_item_invoice_id'), ['invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_item_reminder_id'), ['reminder_id'], unique=False)
    op.create_table(
        'security_deposit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('member_id', sa.Integer(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('asked_on', sa.Date(), nullable=False),
        sa.Column('received_on', sa.Date(), nullable=True),
        sa.Column('refunded_on', sa.Date(), nullable=True),
        sa.Column('received_entry_id', sa.Integer(), nullable=True),
        sa.Column('refunded_entry_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount > 0', name=op.f('ck_security_deposit_amount_positive')),
        sa.CheckConstraint('refunded_on IS NULL OR received_on IS NOT NULL', name=op.f('ck_security_deposit_refund_after')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_security_deposit_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['member_id'], ['member.id'], name=op.f('fk_security_deposit_member_id_member')),
        sa.ForeignKeyConstraint(['received_entry_id'], ['journal_entry.id'], name=op.f('fk_security_deposit_received_entry_id_journal_entry')),
        sa.ForeignKeyConstraint(['refunded_entry_id'], ['journal_entry.id'], name=op.f('fk_security_deposit_refunded_entry_id_journal_entry')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_security_deposit')),
    )
    with op.batch_alter_table('security_deposit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_security_deposit_member_id'), ['member_id'], unique=False)

    op.create_table(
        'credit_refund',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('credit_note_id', sa.Integer(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('amount', sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=True),
        sa.Column('entry_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.CheckConstraint('amount > 0', name=op.f('ck_credit_refund_amount_positive')),
        sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_credit_refund_created_by_id_app_user')),
        sa.ForeignKeyConstraint(['credit_note_id'], ['invoice.id'], name=op.f('fk_credit_refund_credit_note_id_invoice')),
        sa.ForeignKeyConstraint(['entry_id'], ['journal_entry.id'], name=op.f('fk_credit_refund_entry_id_journal_entry')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_refund')),
    )
    with op.batch_alter_table('credit_refund', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_refund_credit_note_id'), ['credit_note_id'], unique=False)

    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invoice_line_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_invoice_line_kind'),
            "kind IN ('service', 'regularisation', 'fee', 'penalty', 'indemnity')",
        )


def downgrade():
    with op.batch_alter_table('invoice_line', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_invoice_line_kind'), type_='check')
        batch_op.create_check_constraint(
            op.f('ck_invoice_line_kind'), "kind IN ('service', 'regularisation', 'fee')"
        )
    with op.batch_alter_table('credit_refund', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_refund_credit_note_id'))
    op.drop_table('credit_refund')
    with op.batch_alter_table('security_deposit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_security_deposit_member_id'))
    op.drop_table('security_deposit')
    with op.batch_alter_table('reminder_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_item_reminder_id'))
        batch_op.drop_index(batch_op.f('ix_reminder_item_invoice_id'))
    op.drop_table('reminder_item')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_member_id'))
    op.drop_table('reminder')
