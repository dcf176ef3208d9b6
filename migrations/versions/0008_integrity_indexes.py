"""The basis of a published figure: partial indexes on flagged and excluded responses
(ix_response_flagged, ix_response_excluded, by unit and day) so that a scope's flagged and
excluded answers are counted without reading its other responses; app_user loses
failed_logins and locked_until, which sign-in throttling no longer reads

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 04:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

# Each index holds the rows of one marker; the queries write the predicate in the same form.
PARTIAL = {'flagged': ('flagged = 1', 'flagged'), 'excluded': ('excluded = 1', 'excluded')}


def upgrade() -> None:
    for column, (sqlite_where, postgresql_where) in PARTIAL.items():
        op.create_index(f'ix_response_{column}', 'response', ['unit_id', 'submitted_on'],
                        sqlite_where=sa.text(sqlite_where),
                        postgresql_where=sa.text(postgresql_where))
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True),
                                      nullable=True))
    with op.batch_alter_table('app_user') as batch_op:
        batch_op.alter_column('failed_logins', server_default=None)
    for column in reversed(PARTIAL):
        op.drop_index(f'ix_response_{column}', 'response')
