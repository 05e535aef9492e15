"""Graded management pages: the regulator's page (the distribution of grades per category and
county as charts with their tables, the published benchmark versions, previewing and publishing
a new one) and the standing shown on an enterprise's submission page."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.access import Permission
from tanzuji.errors import Conflict, InvalidInput, RuleFileError
from tanzuji.grading import DEFAULT_FRACTIONS, GRADES, Basis, Benchmark
from tanzuji.rules import bundled_rules, find_rule
from tanzuji.services.grading import UNKNOWN_COUNTY, GradeCounts, GradingService, Standing
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work

__all__ = ["router", "standing_view"]

router = APIRouter(include_in_schema=False)

BASES = {
    Basis.NATIONAL_AVERAGE: N_("Published average"),
    Basis.SECTOR_PERCENTILE: N_("Percentiles of verified footprints"),
    Basis.LIMIT_VALUE: N_("Limit values"),
}
_FIELDS = ("category", "basis", "average", "fractions", "thresholds", "source")
_FORM = (
    "category",
    "basis",
    "average",
    "fractions",
    "t1",
    "t2",
    "t3",
    "t4",
    "source",
    "version",
    "title",
)


def _category_name(category: str, locale: Locale) -> str:
    try:
        rule = find_rule(category)
    except RuleFileError:  # a rule no longer bundled keeps its id as its name
        return category
    return rule.name_zh if locale.language == "zh" else rule.name_en


def _unit(declared_unit: str) -> str:
    """The unit of footprints and thresholds as the other pages write it."""
    return f"kgCO2e / {declared_unit}"


def _thresholds(benchmark: Benchmark, locale: Locale) -> str:
    shown = " < ".join(locale.number(t) for t in benchmark.thresholds)
    return f"{shown} {_unit(benchmark.declared_unit)}"


def _benchmark_view(benchmark: Benchmark, locale: Locale) -> dict[str, str]:
    return {
        "category": _category_name(benchmark.category, locale),
        "basis": locale.gettext(BASES[benchmark.basis]),
        "thresholds": _thresholds(benchmark, locale),
        "source": benchmark.source,
    }


def _group_name(group: str, locale: Locale, categories: bool) -> str:
    if categories:
        return _category_name(group, locale)
    return locale.gettext(N_("County not registered")) if group == UNKNOWN_COUNTY else group


def _counts_rows(groups: list[GradeCounts], locale: Locale, categories: bool) -> list[Any]:
    return [
        {
            "group": _group_name(g.group, locale, categories),
            "counts": list(g.counts),
            "ungraded": g.ungraded,
            "total": g.total,
        }
        for g in groups
    ]


def _number(text: str, field: str, locale: Locale, errors: dict[str, str]) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        errors[field] = locale.gettext("Give a number.")
        return None


def _row(typed: dict[str, str], locale: Locale, errors: dict[str, str]) -> dict[str, Any]:
    """The form as one benchmark row of the service (numbers parsed; errors by field)."""
    row: dict[str, Any] = {"category": typed["category"], "basis": typed["basis"]}
    if typed["basis"] == Basis.LIMIT_VALUE:
        row["thresholds"] = [
            _number(typed[f"t{i}"], "thresholds", locale, errors) for i in (1, 2, 3, 4)
        ]
        if any(t is None for t in row["thresholds"]):
            errors.setdefault("thresholds", locale.gettext("Give all four thresholds."))
    if typed["basis"] == Basis.NATIONAL_AVERAGE:
        row["average"] = _number(typed["average"], "average", locale, errors)
        if typed["fractions"].strip():
            parts = [p for p in typed["fractions"].replace("，", ",").split(",") if p.strip()]
            fractions = [_number(p, "fractions", locale, errors) for p in parts]
            row["fractions"] = fractions
    if typed["basis"] != Basis.SECTOR_PERCENTILE:
        row["source"] = typed["source"]
    return row


def _field_of(exc: InvalidInput | Conflict) -> str:
    """The form field an error of the service names (``benchmark.thresholds`` → thresholds)."""
    field = (exc.field or "").rpartition(".")[2]
    if field in ("version", "title", *_FIELDS):
        return field
    return "category"


def _grading(
    request: Request,
    work: Work,
    locale: Locale,
    *,
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    preview: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    service = GradingService(work.session, work.context)
    shown = service.distribution()
    actor = work.context.actor
    assert actor is not None  # distribution() required a signed-in regulator
    versions = service.versions()
    in_force = service.benchmarks(versions[0].version) if versions else {}
    by_category = _counts_rows(shown.by_category, locale, categories=True)
    by_county = _counts_rows(shown.by_county, locale, categories=False)
    grade_names = [locale.gettext("Grade {grade}", grade=g) for g in GRADES]
    return render(
        request,
        work,
        "province_grading.html",
        N_("Graded management"),
        status_code,
        benchmark_version=shown.benchmark_version,
        grades=grade_names,
        by_category=by_category,
        by_county=by_county,
        charts={
            "category": {
                "labels": [row["group"] for row in by_category],
                "series": [[row["counts"][g - 1] for row in by_category] for g in GRADES],
            },
            "county": {
                "labels": [row["group"] for row in by_county],
                "series": [[row["counts"][g - 1] for row in by_county] for g in GRADES],
            },
            "grades": grade_names,
        },
        in_force=[_benchmark_view(in_force[c], locale) for c in sorted(in_force)],
        versions=[
            {
                "version": v.version,
                "title": v.title,
                "based_on": v.based_on or "—",
                "categories": v.category_count,
                "published": locale.datetime(v.published_at),
                "sha256": v.sha256[:12],
            }
            for v in versions
        ],
        may_publish=Permission.BENCHMARK_PUBLISH in actor.permissions,
        categories=sorted(
            {(r.id, r.name_zh if locale.language == "zh" else r.name_en) for r in bundled_rules()},
            key=lambda pair: pair[0],
        ),
        bases=[(b.value, locale.gettext(label)) for b, label in BASES.items()],
        default_fractions=", ".join(f"{f:g}" for f in DEFAULT_FRACTIONS),
        typed=typed or {},
        errors=errors or {},
        preview=preview,
    )


@router.get("/grading")
def grading_page(request: Request) -> Response:
    locale = Locale(language_of(request))
    return page(request, lambda work: _grading(request, work, locale))


@router.post("/grading/benchmarks")
async def preview_or_publish(request: Request) -> Response:
    """The form's two buttons: ``action=preview`` shows the benchmark the row makes,
    ``action=publish`` publishes it as a new version (the other categories carried over)."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    typed = {name: fields.get(name, "") for name in _FORM}
    publishing = fields.get("action") == "publish"
    locale = Locale(language_of(request))

    def act(work: Work) -> Response:
        work.context.require(Permission.BENCHMARK_PUBLISH)
        errors: dict[str, str] = {}
        row = _row(typed, locale, errors)
        if errors:
            return _grading(request, work, locale, typed=typed, errors=errors, status_code=422)
        service = GradingService(work.session, work.context)
        try:
            if not publishing:
                made = service.preview(row)
                return _grading(
                    request, work, locale, typed=typed, preview=_benchmark_view(made, locale)
                )
            with work.session.begin_nested():
                service.publish(typed["version"].strip(), typed["title"], [row])
        except (InvalidInput, Conflict) as exc:
            return _grading(
                request, work, locale, typed=typed, errors={_field_of(exc): exc.message},
                status_code=409 if isinstance(exc, Conflict) else 422,
            )  # fmt: skip
        return RedirectResponse("/grading", status_code=303)

    return page(request, act, form_csrf=fields.get("csrf_token", ""))


def standing_view(work: Work, submission_id: uuid.UUID, locale: Locale) -> dict[str, Any] | None:
    """What the enterprise's submission page shows of its grade (``None`` without a
    footprint)."""
    standing: Standing = GradingService(work.session, work.context).standing(submission_id)
    if standing.value is None:
        return None
    result = standing.result
    view: dict[str, Any] = {
        "category": _category_name(standing.category, locale),
        "verified": standing.verified,
        "graded": result is not None,
    }
    if result is None:
        return view
    counts = standing.category_counts
    cut = result.reduction
    unit = _unit(result.declared_unit)
    view.update(
        grade=result.grade,
        version=result.benchmark_version,
        basis=locale.gettext(BASES[result.basis]),
        source=result.source,
        thresholds=[
            {"grade": g, "bound": f"≤ {locale.number(t)} {unit}"}
            for g, t in zip(GRADES, result.thresholds, strict=False)
        ]
        + [{"grade": 5, "bound": f"> {locale.number(result.thresholds[-1])} {unit}"}],
        counts=list(counts.counts) if counts else [],
        products=counts.total if counts else 0,
        reduction=None
        if cut is None
        else {
            "next_grade": cut.next_grade,
            "absolute": f"{locale.number(cut.absolute)} {unit}",
            "percent": "—" if cut.percent is None else f"{locale.number(cut.percent, 3)} %",
            "target": f"{locale.number(cut.target)} {unit}",
        },
    )
    return view
