"""Certificates and their surveillance reviews (issue 8).

Revision ID: c3e7a1f0b2d4
Revises: 7b2d9e4c1a06
Create Date: 2026-12-05 01:24:34.737190
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import tanzuji.store.base

revision = "c3e7a1f0b2d4"
down_revision = "7b2d9e4c1a06"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "certificates",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("submission_id", sa.Uuid(), nullable=False),
        sa.Column("footprint_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("enterprise_id", sa.Uuid(), nullable=False),
        sa.Column("body_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "refused",
                "issued",
                "suspended",
                "withdrawn",
                name="certificatestatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("applied_at", tanzuji.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("applied_by", sa.Uuid(), nullable=False),
        sa.Column("decided_at", tanzuji.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.Uuid(), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("valid_from", tanzuji.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("valid_until", tanzuji.store.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status_list_index", sa.Integer(), nullable=True),
        sa.Column("grade", sa.Integer(), nullable=True),
        sa.Column("benchmark_version", sa.String(length=64), nullable=True),
        sa.Column("credential", sa.Text(), nullable=True),
        sa.Column("credential_sha256", sa.String(length=64), nullable=True),
        sa.Column("ledger_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["applied_by"], ["users.id"], name=op.f("fk_certificates_applied_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["body_id"], ["organizations.id"], name=op.f("fk_certificates_body_id_organizations")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_certificates_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["organizations.id"],
            name=op.f("fk_certificates_enterprise_id_organizations"),
        ),
        sa.ForeignKeyConstraint(
            ["footprint_id"],
            ["footprints.id"],
            name=op.f("fk_certificates_footprint_id_footprints"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_certificates_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submissions.id"],
            name=op.f("fk_certificates_submission_id_submissions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificates")),
        sa.UniqueConstraint("number", name=op.f("uq_certificates_number")),
        sa.UniqueConstraint("status_list_index", name=op.f("uq_certificates_status_list_index")),
    )
    op.create_table(
        "certificate_reviews",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("certificate_id", sa.Uuid(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "certify",
                "refuse",
                "suspend",
                "reinstate",
                "withdraw",
                name="certificateaction",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.Uuid(), nullable=False),
        sa.Column("decided_at", tanzuji.store.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ledger_index", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["certificate_id"],
            ["certificates.id"],
            name=op.f("fk_certificate_reviews_certificate_id_certificates"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_certificate_reviews_decided_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate_reviews")),
    )


def downgrade() -> None:
    op.drop_table("certificate_reviews")
    op.drop_table("certificates")
