"""Benchmark versions for graded management (issue 8).

Revision ID: 7b2d9e4c1a06
Revises: e5a8c2d17f43
Create Date: 2026-12-05 02:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tanzuji.store.base

revision = "7b2d9e4c1a06"
down_revision = "e5a8c2d17f43"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "benchmark_versions",
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("based_on", sa.String(length=64), nullable=True),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("category_count", sa.Integer(), nullable=False),
        sa.Column("published_at", tanzuji.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by"], ["users.id"], name=op.f("fk_benchmark_versions_published_by_users")
        ),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_benchmark_versions")),
    )


def downgrade() -> None:
    op.drop_table("benchmark_versions")
