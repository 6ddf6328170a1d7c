"""front desk: the applicant's notification choice, reasons on corrections and cancellations, sent notices

Adds `intake_case.notify`, `intake_event.reason` and the `intake_notification` table (one row per case
and kind of message that the gateway accepted). The new case status `cancelled` needs no schema change
(statuses are stored as plain strings).

Revision ID: 0009_frontdesk
Revises: 0008_access
Create Date: 2026-12-01 09:30:00

"""

import sqlalchemy as sa
from alembic import op

import kiosk.extensions

revision = "0009_frontdesk"
down_revision = "0008_access"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("intake_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notify",
                sa.Enum("none", "email", "sms", name="notify", native_enum=False, length=10),
                server_default="none",
                nullable=False,
            )
        )
    with op.batch_alter_table("intake_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(length=500), server_default="", nullable=False))
    op.create_table(
        "intake_notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column(
            "channel", sa.Enum("none", "email", "sms", name="notify", native_enum=False, length=10), nullable=False
        ),
        sa.Column("sent_at", kiosk.extensions.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["intake_case.id"], name=op.f("fk_intake_notification_case_id_intake_case"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intake_notification")),
        sa.UniqueConstraint("case_id", "kind", name="uq_intake_notification_case_id_kind"),
    )


def downgrade():
    op.drop_table("intake_notification")
    with op.batch_alter_table("intake_event", schema=None) as batch_op:
        batch_op.drop_column("reason")
    with op.batch_alter_table("intake_case", schema=None) as batch_op:
        batch_op.drop_column("notify")
