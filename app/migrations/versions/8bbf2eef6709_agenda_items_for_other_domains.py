"""Agenda items for matters of other domains (a pooled order) and their resolution

Revision ID: 8bbf2eef6709
Revises: 6cf3c113b909
Create Date: 2026-12-01 09:57:22.790986

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8bbf2eef6709'
down_revision = '6cf3c113b909'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('subject_type', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('subject_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.Enum('open', 'approved', 'rejected', 'tabled', name='itemstatus', native_enum=False, length=32), server_default='open', nullable=False))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_unique_constraint(batch_op.f('uq_agenda_items_meeting_id_subject_type_subject_id'), ['meeting_id', 'subject_type', 'subject_id'])
        batch_op.create_foreign_key(batch_op.f('fk_agenda_items_resolved_by_id_users'), 'users', ['resolved_by_id'], ['id'])
        batch_op.create_check_constraint('subject', '(subject_type IS NULL) = (subject_id IS NULL)')


def downgrade():
    with op.batch_alter_table('agenda_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_agenda_items_subject'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_agenda_items_resolved_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_agenda_items_meeting_id_subject_type_subject_id'), type_='unique')
        batch_op.drop_column('version')
        batch_op.drop_column('resolved_by_id')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('status')
        batch_op.drop_column('subject_id')
        batch_op.drop_column('subject_type')
