"""An enterprise's yearly product carbon footprint disclosure report (企业产品碳足迹信息披露报告).

For year ``Y`` the report lists the enterprise's footprints whose reference period ends in
``Y`` and that are public: every certified one (whatever its certificate's standing now, which
the report shows) and the verified footprints of the products the enterprise made public
(``Product.public``). For each: product, footprint in kg CO2e per declared unit, boundary,
grade and benchmark version, certificate number and standing, product rule and standard,
factor set and GWP versions, data quality rating (1 very good to 5 very poor), share of
primary data, and reference period.

What it never holds: activity data (amounts of inputs), the line-by-line contributions that
would give them back, suppliers, evidence, comments, or surveillance reasons. The read model
below has no field that could carry them, and the report is built from it only.

No sign-in: the report is public, like the registry it is linked from. An enterprise with
nothing certified or public in any year has no report at all (not found), so that the
reports reveal nothing, not even the name, of an enterprise that disclosed nothing.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, extract, select, union
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind
from tanzuji.bilingual import in_language
from tanzuji.certification import Standing, standing
from tanzuji.errors import InvalidInput, NotFound, RuleFileError
from tanzuji.rules import find_rule
from tanzuji.services.context import Context
from tanzuji.services.grading import GradingService
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import Certificate, Footprint, Organization, Product, Submission
from tanzuji.workflow import Status

__all__ = ["DisclosedFootprint", "DisclosureReport", "DisclosureService"]

FIRST_YEAR = 2000


@dataclass(frozen=True)
class DisclosedFootprint:
    """One footprint as the report discloses it; ``value_kgco2e`` is kg CO2e per
    ``declared_unit``, ``primary_data_share`` a fraction 0–1, ``data_quality_rating`` 1 (very
    good) to 5 (very poor). ``certificate_number`` and ``standing`` are ``None`` for a public,
    verified but uncertified footprint."""

    product_id: uuid.UUID
    product_code: str
    product_name_zh: str
    product_name_en: str
    value_kgco2e: float
    declared_unit: str
    boundary: str
    grade: int | None
    benchmark_version: str | None
    certificate_number: str | None
    standing: Standing | None
    rule_key: str
    rule_name_zh: str
    rule_name_en: str
    standard: str
    factor_set_version: str
    gwp: str
    data_quality_rating: float | None
    primary_data_share: float | None
    period_start: datetime.date
    period_end: datetime.date

    def product_name(self, language: str) -> str:
        return in_language(self.product_name_zh, self.product_name_en, language)

    def rule_name(self, language: str) -> str:
        return in_language(self.rule_name_zh, self.rule_name_en, language)


@dataclass(frozen=True)
class DisclosureReport:
    """The report of ``enterprise`` for ``year``, as it stands at ``generated_at``."""

    enterprise_id: uuid.UUID
    enterprise_name_zh: str
    enterprise_name_en: str
    uscc: str | None
    county: str
    industry: str
    year: int
    generated_at: datetime.datetime
    footprints: tuple[DisclosedFootprint, ...]

    def enterprise_name(self, language: str) -> str:
        return in_language(self.enterprise_name_zh, self.enterprise_name_en, language)


class DisclosureService:
    """Building the public disclosure reports."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    def report(self, enterprise_id: uuid.UUID, year: int) -> DisclosureReport:
        """The disclosure report of enterprise ``enterprise_id`` for ``year``."""
        now = self.context.now()
        if not FIRST_YEAR <= year <= now.year:
            raise InvalidInput(f"year {year} is not between {FIRST_YEAR} and {now.year}", "year")
        enterprise = self.session.get(Organization, enterprise_id)
        if (
            enterprise is None
            or enterprise.kind is not OrganizationKind.ENTERPRISE
            or not self.years(enterprise.id)
        ):  # an enterprise that never disclosed anything is not public: not even its name
            raise NotFound(
                f"no disclosure report of enterprise {enterprise_id}", field="enterprise_id"
            )
        certified = self._certified(enterprise.id, year)
        covered = {item.product_id for item in certified}
        public = [
            item for item in self._public(enterprise.id, year) if item.product_id not in covered
        ]
        items = sorted(certified + public, key=lambda item: (item.product_code, item.period_end))
        return DisclosureReport(
            enterprise_id=enterprise.id,
            enterprise_name_zh=enterprise.name_zh,
            enterprise_name_en=enterprise.name_en,
            uscc=enterprise.uscc,
            county=enterprise.county,
            industry=enterprise.industry,
            year=year,
            generated_at=now,
            footprints=tuple(items),
        )

    def years(self, enterprise_id: uuid.UUID) -> list[int]:
        """The years whose report discloses something of the enterprise (those :meth:`report`
        accepts), newest first."""
        year = extract("year", Submission.period_end)
        certified = (
            select(year)
            .join(Certificate, Certificate.submission_id == Submission.id)
            .where(*self._certified_where(enterprise_id))
        )
        public = (
            select(year)
            .join(Product, Product.id == Submission.product_id)
            .where(*self._public_where(enterprise_id))
        )
        found = {int(value) for value in self.session.scalars(union(certified, public))}
        last = self.context.now().year
        return sorted((value for value in found if FIRST_YEAR <= value <= last), reverse=True)

    @staticmethod
    def _certified_where(enterprise_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
        """The enterprise's issued certificates (joined with their submissions)."""
        return Certificate.enterprise_id == enterprise_id, Certificate.number.is_not(None)

    @staticmethod
    def _public_where(enterprise_id: uuid.UUID) -> tuple[ColumnElement[bool], ...]:
        """The enterprise's verified submissions of public products (joined with them)."""
        return (
            Submission.organization_id == enterprise_id,
            Submission.status == Status.VERIFIED,
            Product.public.is_(True),
        )

    def _certified(self, enterprise_id: uuid.UUID, year: int) -> list[DisclosedFootprint]:
        query = (
            select(Certificate, Footprint, Submission, Product)
            .join(Footprint, Footprint.id == Certificate.footprint_id)
            .join(Submission, Submission.id == Certificate.submission_id)
            .join(Product, Product.id == Certificate.product_id)
            .where(
                *self._certified_where(enterprise_id),
                extract("year", Submission.period_end) == year,
            )
        )
        items = []
        for certificate, footprint, submission, product in self.session.execute(query):
            items.append(
                self._disclosed(
                    footprint,
                    submission,
                    product,
                    certificate.grade,
                    certificate.benchmark_version,
                    certificate.number,
                    standing(certificate.status, certificate.valid_until, self.context.now()),
                )
            )
        return items

    def _public(self, enterprise_id: uuid.UUID, year: int) -> list[DisclosedFootprint]:
        query = (
            select(Submission, Product)
            .join(Product, Product.id == Submission.product_id)
            .where(
                *self._public_where(enterprise_id),
                extract("year", Submission.period_end) == year,
            )
        )
        submissions = SubmissionService(self.session, self.context)
        grading = GradingService(self.session, self.context)
        items = []
        for submission, product in self.session.execute(query):
            footprint = submissions.latest_footprint(submission)
            if footprint is None:
                continue
            grade = grading.grade_of(footprint)
            items.append(
                self._disclosed(
                    footprint,
                    submission,
                    product,
                    grade.grade if grade else None,
                    grade.benchmark_version if grade else None,
                    None,
                    None,
                )
            )
        return items

    def _disclosed(
        self,
        footprint: Footprint,
        submission: Submission,
        product: Product,
        grade: int | None,
        benchmark_version: str | None,
        number: str | None,
        now_standing: Standing | None,
    ) -> DisclosedFootprint:
        result = footprint.result
        try:
            rule = find_rule(footprint.rule_key)
            names = (rule.name_zh, rule.name_en, rule.standard)
        except RuleFileError:  # a rule no longer bundled: its key stands for its name
            names = (footprint.rule_key, footprint.rule_key, "GB/T 24067-2024")
        quality = result.get("data_quality") or {}
        return DisclosedFootprint(
            product_id=product.id,
            product_code=product.code,
            product_name_zh=product.name_zh,
            product_name_en=product.name_en,
            value_kgco2e=footprint.total_kgco2e,
            declared_unit=footprint.declared_unit,
            boundary=str(result.get("boundary", "")),
            grade=grade,
            benchmark_version=benchmark_version,
            certificate_number=number,
            standing=now_standing,
            rule_key=footprint.rule_key,
            rule_name_zh=names[0],
            rule_name_en=names[1],
            standard=names[2],
            factor_set_version=footprint.factor_set_version,
            gwp=footprint.gwp,
            data_quality_rating=quality.get("rating"),
            primary_data_share=result.get("primary_data_share"),
            period_start=submission.period_start,
            period_end=submission.period_end,
        )
