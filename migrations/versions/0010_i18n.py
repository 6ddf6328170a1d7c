"""i18n: English and Ukrainian translations of cards, kept in step with the Polish edition

Revision ID: 0010_i18n
Revises: 0008_truth
Create Date: 2026-12-01 09:50:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0010_i18n'
down_revision = '0008_truth'
branch_labels = None
depends_on = None


def upgrade():
    status = sa.Enum('draft', 'in_review', 'approved', 'published', 'superseded', name='translationstatus',
                     native_enum=False, length=20)
    op.create_table(
        'card_translation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('status', status, nullable=False),
        sa.Column('edition_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('summary', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('pairs', sa.JSON(), nullable=False),
        sa.Column('texts', sa.JSON(), nullable=False),
        sa.Column('source_hash', sa.String(length=64), nullable=False),
        sa.Column('reviewed', sa.Boolean(), nullable=False),
        sa.Column('behind_since', kiosk.extensions.UTCDateTime(), nullable=True),
        sa.Column('contributor_ids', sa.JSON(), nullable=False),
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('submitted_hash', sa.String(length=64), nullable=False),
        sa.Column('approved_hash', sa.String(length=64), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('approver_id', sa.Integer(), nullable=True),
        sa.Column('publisher_id', sa.Integer(), nullable=True),
        sa.Column('created_at', kiosk.extensions.UTCDateTime(), nullable=False),
        sa.Column('updated_at', kiosk.extensions.UTCDateTime(), nullable=False),
        sa.Column('submitted_at', kiosk.extensions.UTCDateTime(), nullable=True),
        sa.Column('approved_at', kiosk.extensions.UTCDateTime(), nullable=True),
        sa.Column('published_at', kiosk.extensions.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_card_translation_card_id_card'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_card_translation_edition_id_edition'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_card_translation_author_id_user')),
        sa.ForeignKeyConstraint(['approver_id'], ['user.id'], name=op.f('fk_card_translation_approver_id_user')),
        sa.ForeignKeyConstraint(['publisher_id'], ['user.id'], name=op.f('fk_card_translation_publisher_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_card_translation')),
    )
    with op.batch_alter_table('card_translation', schema=None) as batch_op:
        batch_op.create_index('ix_card_translation_card_language', ['card_id', 'language', 'status'], unique=False)
        batch_op.create_index('ix_card_translation_status', ['status'], unique=False)


def downgrade():
    with op.batch_alter_table('card_translation', schema=None) as batch_op:
        batch_op.drop_index('ix_card_translation_status')
        batch_op.drop_index('ix_card_translation_card_language')
    op.drop_table('card_translation')
