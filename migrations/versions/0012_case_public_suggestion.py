"""inbox_case.public_suggestion: the citizen's text shown with a public answer, as a staff
member approved it (redacted when saved). Answers published before have none, and the public
page shows them without the citizen's text until a person approves one

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inbox_case') as batch:
        batch.add_column(sa.Column('public_suggestion', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('inbox_case') as batch:
        batch.drop_column('public_suggestion')
