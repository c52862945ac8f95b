"""Server-run experiments: the run configuration on the experiment, status/attempt/lease per item
(idempotent RQ item jobs), expected output, latency and cost per item.

Revision ID: 0014_experiment_runs
Revises: 0013_prompt_step_index
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel
import literal_app.models.types
from sqlalchemy.dialects import postgresql

revision = '0014_experiment_runs'
down_revision = '0013_prompt_step_index'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('experiment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('run_config', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))
        batch_op.add_column(sa.Column('prompt_version_id', sqlmodel.sql.sqltypes.AutoString(length=256), nullable=True))
        batch_op.add_column(sa.Column('model', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='sdk'))
        batch_op.add_column(sa.Column('started_at', literal_app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('finished_at', literal_app.models.types.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table('experiment_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False,
                                      server_default='done'))
        batch_op.add_column(sa.Column('position', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('attempt', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('lease_until', literal_app.models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('error', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('expected_output', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))
        batch_op.add_column(sa.Column('latency_ms', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('cost', sa.Float(), nullable=True))
        batch_op.create_index('ix_experiment_item_experiment_status', ['experiment_id', 'status', 'position'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('experiment_item', schema=None) as batch_op:
        batch_op.drop_index('ix_experiment_item_experiment_status')
        batch_op.drop_column('cost')
        batch_op.drop_column('latency_ms')
        batch_op.drop_column('expected_output')
        batch_op.drop_column('error')
        batch_op.drop_column('lease_until')
        batch_op.drop_column('attempt')
        batch_op.drop_column('position')
        batch_op.drop_column('status')

    with op.batch_alter_table('experiment', schema=None) as batch_op:
        batch_op.drop_column('finished_at')
        batch_op.drop_column('started_at')
        batch_op.drop_column('source')
        batch_op.drop_column('model')
        batch_op.drop_column('prompt_version_id')
        batch_op.drop_column('run_config')

