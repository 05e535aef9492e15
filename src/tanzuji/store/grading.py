"""Benchmark versions for graded management, published by the regulator."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tanzuji.store.base import Base

__all__ = ["BenchmarkVersion"]


class BenchmarkVersion(Base):
    """A published set of grading benchmarks, one row per product category: immutable.

    ``rows`` holds :meth:`tanzuji.grading.Benchmark.to_row` of each category (basis,
    thresholds in kg CO2e per declared unit, source, parameters); ``sha256`` is the SHA-256 of
    their RFC 8785 canonical JSON, checked whenever the rows are read back.
    """

    __tablename__ = "benchmark_versions"

    version: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    based_on: Mapped[str | None] = mapped_column(String(64), doc="the version it carried over")
    rows: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    category_count: Mapped[int]
    published_at: Mapped[datetime.datetime]
    published_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
