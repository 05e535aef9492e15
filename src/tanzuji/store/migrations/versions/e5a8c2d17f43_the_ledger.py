"""The transparency ledger: entries, Merkle nodes, signed tree heads, the append lock, and the
salt of each revision that the ledger's commitments to confidential data use (issue 8).

Revision ID: e5a8c2d17f43
Revises: 523cc0933184
Create Date: 2026-12-05 02:10:00.000000
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

import tanzuji.store.base

revision = "e5a8c2d17f43"
down_revision = "523cc0933184"
branch_labels = None
depends_on = None

EVENT_KINDS = (
    "submission.received",
    "footprint.computed",
    "verification.decided",
    "certificate.issued",
    "certificate.status_changed",
    "factor_set.published",
    "benchmark.published",
)


def upgrade() -> None:
    op.create_table(
        "ledger_entries",
        sa.Column("index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*EVENT_KINDS, name="eventkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("recorded_at", tanzuji.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("leaf_hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("index", name=op.f("pk_ledger_entries")),
    )
    op.create_table(
        "ledger_nodes",
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("index", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("level", "index", name=op.f("pk_ledger_nodes")),
    )
    op.create_table(
        "ledger_tree_heads",
        sa.Column("tree_size", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("timestamp", sa.BigInteger(), nullable=False),
        sa.Column("root_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("signature", sa.LargeBinary(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("tree_size", name=op.f("pk_ledger_tree_heads")),
    )
    state = op.create_table(
        "ledger_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_ledger_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_state")),
    )
    op.bulk_insert(state, [{"id": 1, "size": 0}])
    _add_revision_salts()


def _add_revision_salts() -> None:
    """Give every revision a fresh random salt (128 bits, hex), then require one."""
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("salt", sa.String(length=32), nullable=True))
    revisions = sa.table("revisions", sa.column("id", sa.Uuid()), sa.column("salt", sa.String()))
    connection = op.get_bind()
    for (revision_id,) in connection.execute(sa.select(revisions.c.id)).all():
        connection.execute(
            revisions.update()
            .where(revisions.c.id == revision_id)
            .values(salt=secrets.token_hex(16))
        )
    with op.batch_alter_table("revisions") as batch:
        batch.alter_column("salt", existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("salt")
    op.drop_table("ledger_state")
    op.drop_table("ledger_tree_heads")
    op.drop_table("ledger_nodes")
    op.drop_table("ledger_entries")
