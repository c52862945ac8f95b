"""annotation queues: who created a queue and whether it is the project's Default; item
dedupe key, who added it, assignee and claim lease; the queue item a score was given in; a
Default queue for every existing project.

Revision ID: 0008_annotation_queues
Revises: 0007_llm_providers_playground
"""
import uuid
from datetime import datetime, timezone

import sqlalchemy as sa
import sqlmodel
from alembic import op

import literal_app.models.types

revision = "0008_annotation_queues"
down_revision = "0007_llm_providers_playground"
branch_labels = None
depends_on = None

_MEMBER_FKS = ("added_by_id", "assignee_id", "claimed_by_id")


def upgrade() -> None:
    with op.batch_alter_table("annotation_queue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column("created_by_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_annotation_queue_created_by_id_member"), "member",
                                    ["created_by_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("queue_item", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pending_key", sqlmodel.sql.sqltypes.AutoString(length=260), nullable=True))
        for col in _MEMBER_FKS:
            batch_op.add_column(sa.Column(col, sqlmodel.sql.sqltypes.AutoString(), nullable=True))
            batch_op.create_foreign_key(batch_op.f(f"fk_queue_item_{col}_member"), "member", [col], ["id"],
                                        ondelete="SET NULL")
        batch_op.add_column(sa.Column("claim_expires_at", literal_app.models.types.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_queue_item_queue_id_pending_key"),
                                          ["queue_id", "pending_key"])
        batch_op.create_index("ix_queue_item_queue_assignee", ["queue_id", "status", "assignee_id", "created_at"],
                              unique=False)
        batch_op.create_index("ix_queue_item_queue_reviewed", ["queue_id", "status", "reviewed_at"], unique=False)
        batch_op.create_index("ix_queue_item_claimed_by", ["claimed_by_id"], unique=False)
    op.add_column("score", sa.Column("queue_item_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
    op.create_index(op.f("ix_score_queue_item_id"), "score", ["queue_item_id"], unique=False)
    _default_queues()


def _default_queues() -> None:
    """Every existing project gets its Default queue (a queue already named Default becomes it)."""
    conn = op.get_bind()
    queue = sa.table("annotation_queue", sa.column("id"), sa.column("project_id"), sa.column("name"),
                     sa.column("description"), sa.column("is_default"),
                     sa.column("created_at", literal_app.models.types.UTCDateTime(timezone=True)))
    conn.execute(queue.update().where(queue.c.name == "Default").values(is_default=True))
    have = set(conn.execute(sa.select(queue.c.project_id).where(queue.c.is_default == sa.true())).scalars())
    projects = conn.execute(sa.text("SELECT id FROM project")).scalars().all()
    now = datetime.now(timezone.utc)
    rows = [{"id": str(uuid.uuid4()), "project_id": p, "name": "Default", "is_default": True, "created_at": now,
             "description": "Logs to review, added from Logs or from a thread, run or generation page."}
            for p in projects if p not in have]
    if rows:
        op.bulk_insert(queue, rows)


def downgrade() -> None:
    op.drop_index(op.f("ix_score_queue_item_id"), table_name="score")
    op.drop_column("score", "queue_item_id")
    with op.batch_alter_table("queue_item", schema=None) as batch_op:
        batch_op.drop_index("ix_queue_item_claimed_by")
        batch_op.drop_index("ix_queue_item_queue_reviewed")
        batch_op.drop_index("ix_queue_item_queue_assignee")
        batch_op.drop_constraint(batch_op.f("uq_queue_item_queue_id_pending_key"), type_="unique")
        batch_op.drop_column("claim_expires_at")
        for col in reversed(_MEMBER_FKS):
            batch_op.drop_constraint(batch_op.f(f"fk_queue_item_{col}_member"), type_="foreignkey")
            batch_op.drop_column(col)
        batch_op.drop_column("pending_key")
    with op.batch_alter_table("annotation_queue", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_annotation_queue_created_by_id_member"), type_="foreignkey")
        batch_op.drop_column("created_by_id")
        batch_op.drop_column("is_default")
