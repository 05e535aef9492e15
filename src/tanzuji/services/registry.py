"""The public registry of certified products (碳足迹标识认证产品名录): every certificate ever
issued, with where it stands now, searchable by anyone without signing in.

What it lists is what the certificate itself states publicly: product, enterprise (name,
county), product category (rule), footprint in kg CO2e per declared unit, boundary, grade,
certificate number and validity, standing, factor set and GWP versions, and the reference
period. Never activity data, suppliers or surveillance reasons.

Filters (all optional, combined with AND): ``category`` (a rule id such as ``tea-green``),
``grade`` (1 to 5), ``county`` (exact, e.g. 仁怀市), ``enterprise`` (part of its Chinese or
English name), ``product`` (part of the product's name or code) and ``standing`` (valid,
expired, suspended, withdrawn, at the context's clock). Newest certificates first.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from tanzuji.bilingual import in_language
from tanzuji.certification import CertificateStatus, Standing, standing
from tanzuji.errors import InvalidInput
from tanzuji.services.context import Context
from tanzuji.services.paging import Page, check_window
from tanzuji.store.models import Certificate, Footprint, Organization, Product, Submission

__all__ = ["STANDINGS", "RegistryEntry", "RegistryFilters", "RegistryService"]

STANDINGS = (Standing.VALID, Standing.EXPIRED, Standing.SUSPENDED, Standing.WITHDRAWN)
"""The standings a registry entry can have (a certificate in the registry was issued)."""
MAX_TEXT = 100


@dataclass(frozen=True)
class RegistryFilters:
    """What the registry is searched by; empty strings and ``None`` filter nothing."""

    category: str = ""
    grade: int | None = None
    county: str = ""
    enterprise: str = ""
    product: str = ""
    standing: str = ""

    @classmethod
    def parse(
        cls, category: str, grade: str, county: str, enterprise: str, product: str, standing: str
    ) -> RegistryFilters:
        """The filters as a query string gives them (text), checked; a grade that is no
        whole number is refused naming ``grade``."""
        number: int | None = None
        if grade.strip():
            if not grade.strip().isdigit():
                raise InvalidInput(f"grade {grade!r} is not 1 (best) to 5", field="grade")
            number = int(grade)
        return cls(
            category=category.strip(),
            grade=number,
            county=county.strip(),
            enterprise=enterprise.strip(),
            product=product.strip(),
            standing=standing.strip(),
        ).checked()

    def checked(self) -> RegistryFilters:
        """The filters, each bad one refused with its field named."""
        if self.grade is not None and not 1 <= self.grade <= 5:
            raise InvalidInput(f"grade {self.grade} is not 1 (best) to 5", field="grade")
        if self.standing and self.standing not in {s.value for s in STANDINGS}:
            raise InvalidInput(
                f"standing {self.standing!r} is not one of {', '.join(s.value for s in STANDINGS)}",
                field="standing",
            )
        for name in ("category", "county", "enterprise", "product"):
            if len(getattr(self, name)) > MAX_TEXT:
                raise InvalidInput(f"{name} holds at most {MAX_TEXT} characters", field=name)
        return self


@dataclass(frozen=True)
class RegistryEntry:
    """One certified product in the registry; ``value_kgco2e`` is kg CO2e per
    ``declared_unit``."""

    number: str
    standing: Standing
    product_name_zh: str
    product_name_en: str
    product_code: str
    category: str
    rule_key: str
    enterprise_id: uuid.UUID
    enterprise_name_zh: str
    enterprise_name_en: str
    county: str
    value_kgco2e: float
    declared_unit: str
    boundary: str
    grade: int | None
    benchmark_version: str | None
    factor_set_version: str
    gwp: str
    period_start: datetime.date
    period_end: datetime.date
    valid_from: datetime.datetime
    valid_until: datetime.datetime

    def product_name(self, language: str) -> str:
        return in_language(self.product_name_zh, self.product_name_en, language)

    def enterprise_name(self, language: str) -> str:
        return in_language(self.enterprise_name_zh, self.enterprise_name_en, language)


def _contains(column: Any, text: str) -> ColumnElement[bool]:
    """Case-insensitive "contains", the same on SQLite and PostgreSQL (LIKE's wildcards in
    ``text`` are taken literally)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return func.lower(column).like(f"%{escaped.lower()}%", escape="\\")


class RegistryService:
    """Searching the public registry; no sign-in needed."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    def search(self, filters: RegistryFilters, *, limit: int = 50, offset: int = 0) -> Page:
        """A page of registry entries matching ``filters``, newest certificates first."""
        check_window(limit, offset)
        query = self._query(filters.checked())
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        ordered = query.order_by(Certificate.valid_from.desc(), Certificate.number.desc())
        rows = self.session.execute(ordered.limit(limit).offset(offset)).all()
        return Page([self._entry(*row) for row in rows], total, limit, offset)

    def counties(self) -> list[str]:
        """The counties of enterprises with a certificate, for the filter's choices."""
        query = (
            select(Organization.county)
            .join(Certificate, Certificate.enterprise_id == Organization.id)
            .where(Certificate.number.is_not(None), Organization.county != "")
            .distinct()
            .order_by(Organization.county)
        )
        return list(self.session.scalars(query))

    def categories(self) -> list[str]:
        """The rule ids of certified products, for the filter's choices."""
        query = (
            select(Product.rule_id)
            .join(Certificate, Certificate.product_id == Product.id)
            .where(Certificate.number.is_not(None))
            .distinct()
            .order_by(Product.rule_id)
        )
        return list(self.session.scalars(query))

    def _query(
        self, filters: RegistryFilters
    ) -> Select[Certificate, Product, Organization, Footprint, Submission]:
        enterprise = aliased(Organization)
        query = (
            select(Certificate, Product, enterprise, Footprint, Submission)
            .join(Product, Product.id == Certificate.product_id)
            .join(enterprise, enterprise.id == Certificate.enterprise_id)
            .join(Footprint, Footprint.id == Certificate.footprint_id)
            .join(Submission, Submission.id == Certificate.submission_id)
            .where(Certificate.number.is_not(None), Certificate.valid_until.is_not(None))
        )
        if filters.category:
            query = query.where(Product.rule_id == filters.category)
        if filters.grade is not None:
            query = query.where(Certificate.grade == filters.grade)
        if filters.county:
            query = query.where(enterprise.county == filters.county)
        if filters.enterprise:
            query = query.where(
                or_(
                    _contains(enterprise.name_zh, filters.enterprise),
                    _contains(enterprise.name_en, filters.enterprise),
                )
            )
        if filters.product:
            query = query.where(
                or_(
                    _contains(Product.name_zh, filters.product),
                    _contains(Product.name_en, filters.product),
                    _contains(Product.code, filters.product),
                )
            )
        if filters.standing:
            query = query.where(self._standing_is(Standing(filters.standing)))
        return query

    def _standing_is(self, wanted: Standing) -> ColumnElement[bool]:
        """:func:`tanzuji.certification.standing` as SQL, at the context's clock."""
        now = self.context.now()
        if wanted is Standing.SUSPENDED:
            return Certificate.status == CertificateStatus.SUSPENDED
        if wanted is Standing.WITHDRAWN:
            return Certificate.status == CertificateStatus.WITHDRAWN
        issued = Certificate.status == CertificateStatus.ISSUED
        if wanted is Standing.VALID:
            return and_(issued, Certificate.valid_until > now)
        return and_(issued, Certificate.valid_until <= now)

    def _entry(
        self,
        certificate: Certificate,
        product: Product,
        enterprise: Organization,
        footprint: Footprint,
        submission: Submission,
    ) -> RegistryEntry:
        assert certificate.number is not None
        assert certificate.valid_from is not None
        assert certificate.valid_until is not None
        return RegistryEntry(
            number=certificate.number,
            standing=standing(certificate.status, certificate.valid_until, self.context.now()),
            product_name_zh=product.name_zh,
            product_name_en=product.name_en,
            product_code=product.code,
            category=product.rule_id,
            rule_key=footprint.rule_key,
            enterprise_id=enterprise.id,
            enterprise_name_zh=enterprise.name_zh,
            enterprise_name_en=enterprise.name_en,
            county=enterprise.county,
            value_kgco2e=footprint.total_kgco2e,
            declared_unit=footprint.declared_unit,
            boundary=str(footprint.result.get("boundary", "")),
            grade=certificate.grade,
            benchmark_version=certificate.benchmark_version,
            factor_set_version=footprint.factor_set_version,
            gwp=footprint.gwp,
            period_start=submission.period_start,
            period_end=submission.period_end,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
        )
