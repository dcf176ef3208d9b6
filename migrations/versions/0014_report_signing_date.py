"""unit_report_profile.signed_on: the date printed on the lembar pengesahan, kept per unit;
NULL prints the day the report is made

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 05:45:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('unit_report_profile') as batch:
        batch.add_column(sa.Column('signed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('unit_report_profile') as batch:
        batch.drop_column('signed_on')
