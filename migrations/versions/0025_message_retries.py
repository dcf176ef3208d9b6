"""Invitations by message that failed for a passing reason (the gateway unreachable, busy or
rate limiting) are tried again later: how many times a message was tried, and not before when

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('invitation_message') as batch:
        batch.add_column(sa.Column('attempts', sa.SmallInteger(), nullable=False,
                                   server_default='0'))
        batch.add_column(sa.Column('retry_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('invitation_message') as batch:
        batch.drop_column('retry_at')
        batch.drop_column('attempts')
