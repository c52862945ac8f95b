"""llm providers and playground: the credential's visible key hint and edit time, and the
Playground's per-member drafts.

Revision ID: 0007_llm_providers_playground
Revises: 0006
"""
import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects import postgresql

import literal_app.models.types

revision = "0007_llm_providers_playground"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("llmcredential", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key_hint", sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True))
        batch_op.add_column(sa.Column("updated_at", literal_app.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
    op.create_table(
        "playground_draft",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("project_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                  nullable=True),
        sa.Column("updated_at", literal_app.models.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["member.id"], name=op.f("fk_playground_draft_member_id_member"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"],
                                name=op.f("fk_playground_draft_project_id_project"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_playground_draft")),
        sa.UniqueConstraint("project_id", "member_id", name=op.f("uq_playground_draft_project_id_member_id")),
    )
    with op.batch_alter_table("playground_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_playground_draft_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_playground_draft_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("playground_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_playground_draft_project_id"))
        batch_op.drop_index(batch_op.f("ix_playground_draft_member_id"))
    op.drop_table("playground_draft")
    with op.batch_alter_table("llmcredential", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
        batch_op.drop_column("key_hint")
