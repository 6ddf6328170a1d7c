"""search query log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 08:10:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('search_query',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('result_count', sa.Integer(), nullable=True),
    sa.Column('opened_slug', sa.String(length=120), nullable=True),
    sa.Column('at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_query'))
    )
    with op.batch_alter_table('search_query', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_search_query_opened_slug'), ['opened_slug'], unique=False)
        batch_op.create_index(batch_op.f('ix_search_query_text'), ['text'], unique=False)


def downgrade():
    with op.batch_alter_table('search_query', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_search_query_text'))
        batch_op.drop_index(batch_op.f('ix_search_query_opened_slug'))

    op.drop_table('search_query')
