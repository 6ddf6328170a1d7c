"""web: the order of cards within a life situation (`life_situation.card_order`, a list of card slugs)

Revision ID: 0010_web
Revises: 0009_frontdesk
Create Date: 2026-12-01 10:35:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0010_web"
down_revision = "0009_frontdesk"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("life_situation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_order", sa.JSON(), server_default="[]", nullable=False))


def downgrade():
    with op.batch_alter_table("life_situation", schema=None) as batch_op:
        batch_op.drop_column("card_order")
