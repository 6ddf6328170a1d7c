"""one attempt table for every rate limit; server-side sessions for the back office

Replaces `login_attempt` and `intake_status_lookup` with `attempt` (kiosk/ratelimit.py); adds
`user_session` (kiosk/accounts/models.py). Attempts are transient (kept a day), so none are copied.

Revision ID: 0008_access
Revises: 0007
Create Date: 2026-12-01 09:00:00

"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0008_access'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=20), nullable=False),
    sa.Column('at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attempt'))
    )
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attempt_at'), ['at'], unique=False)
        batch_op.create_index('ix_attempt_scope_source_at', ['scope', 'source', 'at'], unique=False)
        batch_op.create_index('ix_attempt_scope_subject_at', ['scope', 'subject', 'at'], unique=False)

    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_session')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_user_session_token_hash'))
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('login_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_login_attempt_address_at')
        batch_op.drop_index('ix_login_attempt_username_at')
        batch_op.drop_index(batch_op.f('ix_login_attempt_at'))
    op.drop_table('login_attempt')
    with op.batch_alter_table('intake_status_lookup', schema=None) as batch_op:
        batch_op.drop_index('ix_intake_status_lookup_number_at')
        batch_op.drop_index(batch_op.f('ix_intake_status_lookup_at'))
        batch_op.drop_index('ix_intake_status_lookup_address_at')
    op.drop_table('intake_status_lookup')


def downgrade():
    op.create_table('intake_status_lookup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('address_hash', sa.String(length=64), nullable=False),
    sa.Column('case_number', sa.String(length=30), nullable=False),
    sa.Column('success', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_status_lookup'))
    )
    with op.batch_alter_table('intake_status_lookup', schema=None) as batch_op:
        batch_op.create_index('ix_intake_status_lookup_address_at', ['address_hash', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_intake_status_lookup_at'), ['at'], unique=False)
        batch_op.create_index('ix_intake_status_lookup_number_at', ['case_number', 'at'], unique=False)
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
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')
    with op.batch_alter_table('attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_scope_subject_at')
        batch_op.drop_index('ix_attempt_scope_source_at')
        batch_op.drop_index(batch_op.f('ix_attempt_at'))
    op.drop_table('attempt')
