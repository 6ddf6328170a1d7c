"""truth: a source or an open doubt per fact; the edition an owner confirmed

Revision ID: 0008_truth
Revises: 0007
Create Date: 2026-12-01 08:45:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0008_truth'
down_revision = '0007'
branch_labels = None
depends_on = None

# (table, columns): every column is Text, not null, empty by default.
TEXT_COLUMNS = (
    ('edition', ('settle_source', 'settle_unverified', 'online_source', 'online_unverified')),
    ('edition_fee', ('source', 'unverified')),
    ('edition_legal_act', ('source', 'unverified')),
    ('edition_form', ('source', 'unverified')),
    ('legal_act', ('source', 'unverified')),
    ('shared_fee', ('source', 'unverified')),
    ('location', ('source',)),
)


def upgrade():
    for table, columns in TEXT_COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_edition_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_at', kiosk.extensions.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('confirmed_by', sa.String(length=120), nullable=False, server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_card_confirmed_edition_id_edition'), 'edition',
                                    ['confirmed_edition_id'], ['id'], ondelete='SET NULL')
    # referral cards (issue 12 item 4): "service" (settled at the city hall) or "referral" (go elsewhere)
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), nullable=False, server_default='service'))


def downgrade():
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.drop_column('kind')
    with op.batch_alter_table('card', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_card_confirmed_edition_id_edition'), type_='foreignkey')
        batch_op.drop_column('confirmed_by')
        batch_op.drop_column('confirmed_at')
        batch_op.drop_column('confirmed_edition_id')
    for table, columns in reversed(TEXT_COLUMNS):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_column(column)
