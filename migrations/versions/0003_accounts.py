"""log-in attempts for the back-office rate limit

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-25 07:50:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0003'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_attempt'))
    )
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_attempt_at'), ['at'], unique=False)
        batch_op.create_index('ix_login_attempt_username_at', ['username', 'at'], unique=False)
        batch_op.create_index('ix_login_attempt_address_at', ['address', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_address_at')
        batch_op.drop_index('ix_login_attempt_username_at')
        batch_op.drop_index(batch_op.f('ix_login_attempt_at'))
    op.drop_table('login_attempt')
