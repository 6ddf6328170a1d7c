"""Merge the second delivery's branches (four-eyes, kiosk fleet, truth and translations, access, front desk,
public web) into one head.

Revision ID: 0011
Revises: 0008_foureyes, 0008_kiosk, 0010_i18n, 0010_web
"""

revision = "0011"
down_revision = ("0008_foureyes", "0008_kiosk", "0010_i18n", "0010_web")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
