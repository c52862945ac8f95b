"""prompt library: tags and last change (when, by whom) on lineages, a deprecated flag per version,
the rollout change history, and the step index the per-version results read.

Revision ID: 0010_prompt_library
Revises: 0009_online_evals
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy import Text
from sqlalchemy.dialects import postgresql

import literal_app.models.types

revision = '0010_prompt_library'
down_revision = '0009_online_evals'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('prompt_rollout_change',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('project_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('lineage_id', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('changed_by_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('changed_at', literal_app.models.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('before', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.Column('after', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['member.id'], name=op.f('fk_prompt_rollout_change_changed_by_id_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lineage_id'], ['prompt_lineage.id'], name=op.f('fk_prompt_rollout_change_lineage_id_prompt_lineage'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['project.id'], name=op.f('fk_prompt_rollout_change_project_id_project'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_prompt_rollout_change'))
    )
    with op.batch_alter_table('prompt_rollout_change', schema=None) as batch_op:
        batch_op.create_index('ix_prompt_rollout_change_lineage_at', ['lineage_id', 'changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_prompt_rollout_change_project_id'), ['project_id'], unique=False)

    with op.batch_alter_table('prompt_lineage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tags', sa.JSON().with_variant(postgresql.JSONB(astext_type=Text()), 'postgresql'), nullable=True))
        batch_op.add_column(sa.Column('updated_at', literal_app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('updated_by_id', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_prompt_lineage_updated_by_id_member'), 'member', ['updated_by_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('prompt_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deprecated', sa.Boolean(), server_default=sa.false(), nullable=False))

    op.create_index('ix_step_prompt_version_created', 'step', ['prompt_version_id', 'created_at'], unique=False)
    op.execute("UPDATE prompt_lineage SET updated_at = COALESCE((SELECT MAX(v.created_at) FROM prompt_version v "
               "WHERE v.lineage_id = prompt_lineage.id), created_at)")



def downgrade() -> None:
    op.drop_index('ix_step_prompt_version_created', table_name='step')

    with op.batch_alter_table('prompt_version', schema=None) as batch_op:
        batch_op.drop_column('deprecated')

    with op.batch_alter_table('prompt_lineage', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_prompt_lineage_updated_by_id_member'), type_='foreignkey')
        batch_op.drop_column('updated_by_id')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('tags')

    with op.batch_alter_table('prompt_rollout_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_prompt_rollout_change_project_id'))
        batch_op.drop_index('ix_prompt_rollout_change_lineage_at')

    op.drop_table('prompt_rollout_change')
