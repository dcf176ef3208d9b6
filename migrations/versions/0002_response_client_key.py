"""Response: client_key (keyed hash of a device cookie); index (point_id, created_at) replaces (point_id)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 11:53:56.333812
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


# Plain ALTERs rather than autogenerate's batch block: adding a nullable column and an index need
# no table copy on SQLite, and a batch copy on downgrade could drop what SQLite cannot reflect.
# SQLite has DROP COLUMN since 3.35. On a large PostgreSQL table the index build blocks inserts
# for its duration: run it in a quiet hour.
def upgrade() -> None:
    op.add_column('response', sa.Column('client_key', sa.String(length=32), nullable=True))
    op.create_index('ix_response_point_created', 'response', ['point_id', 'created_at'],
                    unique=False)
    # The composite index serves every lookup by point_id alone as well.
    op.drop_index('ix_response_point_id', 'response')


def downgrade() -> None:
    op.create_index('ix_response_point_id', 'response', ['point_id'], unique=False)
    op.drop_index('ix_response_point_created', 'response')
    op.drop_column('response', 'client_key')
