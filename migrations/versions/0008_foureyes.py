"""four eyes: edition contributors, sign-offs tied to content hashes, per-edition form link text

Revision ID: 0008_foureyes
Revises: 0007
Create Date: 2026-12-01 09:00:00

Editions approved or scheduled before this revision carry no approved hash: publishing them is
refused (a scheduled one has its schedule voided) until they are sent back and approved again.
"""
from alembic import op
import sqlalchemy as sa

import kiosk.extensions  # noqa: F401  (custom column types)


revision = '0008_foureyes'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('edition_contributor',
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('first_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.Column('last_at', kiosk.extensions.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['edition.id'], name=op.f('fk_edition_contributor_edition_id_edition'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_edition_contributor_user_id_user')),
    sa.PrimaryKeyConstraint('edition_id', 'user_id', name=op.f('pk_edition_contributor'))
    )
    with op.batch_alter_table('edition_contributor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_edition_contributor_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('approved_hash', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('updated_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_edition_updated_by_id_user'), 'user', ['updated_by_id'], ['id'])
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.alter_column('submitted_hash', server_default=None)
        batch_op.alter_column('approved_hash', server_default=None)

    with op.batch_alter_table('edition_form', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title', sa.String(length=300), nullable=False, server_default=''))
    with op.batch_alter_table('edition_form', schema=None) as batch_op:
        batch_op.alter_column('title', server_default=None)

    # Existing editions: the creator is the one contributor known; each form row keeps today's link text.
    op.execute("INSERT INTO edition_contributor (edition_id, user_id, kind, first_at, last_at) "
               "SELECT id, author_id, 'open', created_at, updated_at FROM edition WHERE author_id IS NOT NULL")
    op.execute("UPDATE edition SET updated_by_id = author_id")
    op.execute("UPDATE edition_form SET title = (SELECT form_file.title FROM form_file "
               "WHERE form_file.id = edition_form.form_file_id)")


def downgrade():
    with op.batch_alter_table('edition_form', schema=None) as batch_op:
        batch_op.drop_column('title')
    with op.batch_alter_table('edition', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_edition_updated_by_id_user'), type_='foreignkey')
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('approved_hash')
        batch_op.drop_column('submitted_hash')
    with op.batch_alter_table('edition_contributor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_edition_contributor_user_id'))
    op.drop_table('edition_contributor')
