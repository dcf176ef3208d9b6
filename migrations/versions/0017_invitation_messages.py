"""Invitations by message: invitation_message (a served transaction's channel, its contact
while something is to send, sent and reminded times), message_opt_out (contacts that asked for
no more messages, as keyed hashes), message_log (the development gateway's messages), and
answers by SMS (response.channel 'sms')

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 07:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

CHANNELS = "channel IN ('qr', 'link', 'kiosk', 'paper', 'interview')"
CHANNELS_WITH_SMS = "channel IN ('qr', 'link', 'kiosk', 'paper', 'interview', 'sms')"


def response_channels(check: str) -> None:
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_constraint(op.f('ck_response_channel'), type_='check')
        batch_op.create_check_constraint(op.f('ck_response_channel'), check)


def upgrade() -> None:
    op.create_table(
        'invitation_message',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('invitation_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                  nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('contact', sa.String(length=254), nullable=True),
        sa.Column('served_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('service_type', sa.String(length=200), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('provider_id', sa.String(length=64), nullable=True),
        sa.Column('note', sa.String(length=200), nullable=True),
        sa.CheckConstraint("channel IN ('email', 'sms', 'whatsapp')",
                           name=op.f('ck_invitation_message_channel')),
        sa.CheckConstraint("status IN ('pending', 'sent', 'reminded', 'answered', 'expired', "
                           "'opted_out', 'failed')", name=op.f('ck_invitation_message_status')),
        sa.ForeignKeyConstraint(['invitation_id'], ['invitation.id'],
                                name=op.f('fk_invitation_message_invitation_id_invitation')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_invitation_message')),
        sa.UniqueConstraint('invitation_id', name=op.f('uq_invitation_message_invitation_id')))
    op.create_index('ix_invitation_message_status', 'invitation_message',
                    ['status', 'served_at'])
    op.create_table(
        'message_opt_out',
        sa.Column('contact_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('contact_hash', name=op.f('pk_message_opt_out')))
    op.create_table(
        'message_log',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('recipient', sa.String(length=254), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_message_log')))
    response_channels(CHANNELS_WITH_SMS)


def downgrade() -> None:
    # Refused while answers by SMS are stored: a downgrade does not delete answers.
    response_channels(CHANNELS)
    op.drop_table('message_log')
    op.drop_table('message_opt_out')
    op.drop_index('ix_invitation_message_status', table_name='invitation_message')
    op.drop_table('invitation_message')
