"""kiosk fleet: a kiosk can be retired (kept for the record, no longer accepted)

Revision ID: 0008_kiosk
Revises: 0007
Create Date: 2026-12-01 08:45:00

"""

import sqlalchemy as sa
from alembic import op

import kiosk.extensions

revision = "0008_kiosk"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("kiosk_device", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retired_at", kiosk.extensions.UTCDateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("kiosk_device", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
