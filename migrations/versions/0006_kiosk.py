"""kiosk registry: touchscreens, their service point and heartbeat

Revision ID: 0006
Revises: 0001
Create Date: 2026-11-25 08:10:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0006'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kiosk_device',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('location_id', sa.Integer(), nullable=True),
    sa.Column('has_printer', sa.Boolean(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('registered_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('last_heartbeat_at', kiosk.extensions.UTCDateTime(), nullable=True),
    sa.Column('content_version', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['location_id'], ['location.id'], name=op.f('fk_kiosk_device_location_id_location')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosk_device')),
    sa.UniqueConstraint('code', name=op.f('uq_kiosk_device_code'))
    )
    with op.batch_alter_table('kiosk_device', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosk_device_location_id'), ['location_id'], unique=False)


def downgrade():
    with op.batch_alter_table('kiosk_device', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosk_device_location_id'))
    op.drop_table('kiosk_device')
