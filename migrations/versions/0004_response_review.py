"""Response: who reviewed a flagged response, and when

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 12:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('response') as batch_op:
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(op.f('fk_response_reviewed_by_app_user'), 'app_user',
                                    ['reviewed_by'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_constraint(op.f('fk_response_reviewed_by_app_user'), type_='foreignkey')
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('reviewed_at')
