"""freshness: review flags, resident feedback, daily snapshot, reminder log

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-25 08:30:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_flag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=300), nullable=False),
    sa.Column('created_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', kiosk.extensions.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=False),
    sa.Column('resolution', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_review_flag_card_id_card'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_flag'))
    )
    with op.batch_alter_table('review_flag', schema=None) as batch_op:
        batch_op.create_index('ix_review_flag_card_resolved', ['card_id', 'resolved_at'], unique=False)

    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('card_id', sa.Integer(), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('contact', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('address_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', kiosk.extensions.UTCDateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=120), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['card_id'], ['card.id'], name=op.f('fk_feedback_card_id_card'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_feedback'))
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_card_id'), ['card_id'], unique=False)
        batch_op.create_index('ix_feedback_address_created', ['address_hash', 'created_at'], unique=False)
        batch_op.create_index('ix_feedback_resolved_at', ['resolved_at'], unique=False)

    op.create_table('freshness_snapshot',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('fresh', sa.Integer(), nullable=False),
    sa.Column('due_soon', sa.Integer(), nullable=False),
    sa.Column('overdue', sa.Integer(), nullable=False),
    sa.Column('flagged', sa.Integer(), nullable=False),
    sa.Column('taken_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_freshness_snapshot'))
    )

    op.create_table('reminder_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('recipient', sa.String(length=120), nullable=False),
    sa.Column('card_ids', sa.JSON(), nullable=False),
    sa.Column('sent_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder_log')),
    sa.UniqueConstraint('day', 'kind', 'recipient', name='uq_reminder_log_day_kind_recipient')
    )


def downgrade():
    op.drop_table('reminder_log')
    op.drop_table('freshness_snapshot')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index('ix_feedback_resolved_at')
        batch_op.drop_index('ix_feedback_address_created')
        batch_op.drop_index(batch_op.f('ix_feedback_card_id'))
    op.drop_table('feedback')
    with op.batch_alter_table('review_flag', schema=None) as batch_op:
        batch_op.drop_index('ix_review_flag_card_resolved')
    op.drop_table('review_flag')
