"""Data entry by form per rule: the rule's inputs grouped by stage, with units, plausible
ranges and help; a refused entry stores nothing, shows each message next to its field and
keeps every value typed."""

from __future__ import annotations

import contextlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from tanzuji.access import Permission
from tanzuji.errors import Conflict, InvalidInput, PlatformError
from tanzuji.model.stages import Stage
from tanzuji.rules import Rule, find_rule
from tanzuji.services.products import ProductService
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import Product
from tanzuji.web.i18n import Locale, language_of
from tanzuji.web.pages.enterprise import (
    EDITABLE,
    OTHER,
    editable_of,
    name_of,
    problems_of,
    product_submissions,
    signed_in,
    stage_label,
    uuid_of,
)
from tanzuji.web.pages.render import N_, page, render
from tanzuji.web.work import Work

router = APIRouter(include_in_schema=False)


# data entry by form -------------------------------------------------------------------------


def _groups(rule: Rule, locale: Locale) -> list[dict[str, Any]]:
    """The rule's inputs grouped by the stage of the first line that uses each."""
    stage_of: dict[str, str] = {}
    for line in rule.lines:
        for name in sorted(rule.formula(line).names):
            stage_of.setdefault(name, line.stage.value)
    order = [s.value for s in Stage] + [OTHER]
    groups: dict[str, list[dict[str, Any]]] = {key: [] for key in order}
    output_unit = next((s.unit for s in rule.inputs if s.name == rule.output), "")
    for spec in rule.inputs:
        per = f" / {output_unit}" if spec.per_output else ""
        plausible = (
            f"{locale.number(spec.low)}–{locale.number(spec.high)} {spec.unit}{per}"
            if spec.low is not None and spec.high is not None
            else ""
        )
        groups[stage_of.get(spec.name, OTHER)].append(
            {
                "name": spec.name,
                "label": spec.label_zh if locale.language == "zh" else spec.label_en,
                "other_label": spec.label_en if locale.language == "zh" else spec.label_zh,
                "unit": spec.unit,
                "required": spec.required,
                "plausible": plausible,
                "help": spec.help_zh if locale.language == "zh" else spec.help_en,
            }
        )
    return [
        {"key": key, "label": stage_label(key, locale), "inputs": items}
        for key, items in groups.items()
        if items
    ]


def _values_of(data: dict[str, Any]) -> dict[str, str]:
    """The form's values from stored activity data."""
    period = data.get("reference_period", {})
    values = {
        "geography": str(data.get("geography", "")),
        "start": str(period.get("start", "")),
        "end": str(period.get("end", "")),
    }
    for name, given in data.get("inputs", {}).items():
        entry = given if isinstance(given, dict) else {"amount": given}
        values[f"amount-{name}"] = str(entry.get("amount", ""))
        values[f"data_type-{name}"] = str(entry.get("data_type", "primary"))
        if entry.get("unit"):
            values[f"unit-{name}"] = str(entry["unit"])
    for name, text in data.get("justifications", {}).items():
        values[f"justification-{name}"] = str(text)
    return values


def _data_of(rule: Rule, values: dict[str, str]) -> dict[str, Any]:
    """Activity data from the form's values; words stay words, for the rule to refuse."""
    inputs: dict[str, Any] = {}
    justifications: dict[str, str] = {}
    for spec in rule.inputs:
        typed = values.get(f"amount-{spec.name}", "").strip()
        if typed:
            amount: Any = typed
            with contextlib.suppress(ValueError):
                amount = float(typed.replace(",", ""))
            data_type = values.get(f"data_type-{spec.name}", "primary")
            unit = values.get(f"unit-{spec.name}", "").strip() or spec.unit
            inputs[spec.name] = {"amount": amount, "unit": unit, "data_type": data_type}
        why = values.get(f"justification-{spec.name}", "").strip()
        if why:
            justifications[spec.name] = why
    return {
        "rule": rule.id,
        "geography": values.get("geography", "").strip(),
        "reference_period": {"start": values.get("start", ""), "end": values.get("end", "")},
        "inputs": inputs,
        "justifications": justifications,
    }


def _field_errors(exc: PlatformError, locale: Locale, names_in: list[str]) -> dict[str, str]:
    """Each problem under the form field it belongs to (``_form`` for the rest)."""
    errors: dict[str, str] = {}
    names = set(names_in)
    for problem in problems_of(exc):
        field = str(problem.get("field", ""))
        parts = field.split(".")
        if parts[0] in ("inputs", "justifications") and len(parts) > 1:
            key = f"amount-{parts[1]}"
        elif field in names:
            key = f"amount-{field}"
        elif parts[0] == "reference_period":
            key = "end" if len(parts) > 1 and parts[1] == "end" else "start"
        elif parts[0] == "geography":
            key = "geography"
        else:
            key = "_form"
        message = str(problem.get("message_zh" if locale.language == "zh" else "message_en", ""))
        errors[key] = f"{errors[key]} {message}" if key in errors else message
    return errors


def _entry_page(
    request: Request,
    work: Work,
    locale: Locale,
    product: Product,
    values: dict[str, str],
    errors: dict[str, str],
    status_code: int = 200,
) -> Response:
    rule = find_rule(product.rule_id)
    return render(
        request,
        work,
        "enterprise_entry.html",
        N_("Enter activity data"),
        status_code,
        product=product,
        product_name=name_of(product, locale),
        rule_key=rule.key,
        groups=_groups(rule, locale),
        values=values,
        errors=errors,
    )


@router.get("/products/{product_id}/enter")
def entry_page(request: Request, product_id: str) -> Response:
    locale = Locale(language_of(request))

    def show(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_EDIT)
        product = ProductService(work.session, work.context).get(uuid_of(product_id))
        editable = editable_of(product_submissions(work, product))
        if editable is not None:
            current = SubmissionService(work.session, work.context).revisions(editable.id)[-1]
            values = _values_of(current.data)
        else:
            year = work.context.now().year - 1
            values = {"geography": "CN-GZ", "start": f"{year}-01-01", "end": f"{year}-12-31"}
        return _entry_page(request, work, locale, product, values, {})

    return page(request, show)


@router.post("/products/{product_id}/enter")
async def enter(request: Request, product_id: str) -> Response:
    locale = Locale(language_of(request))
    form = await request.form()
    values = {key: str(value) for key, value in form.items() if isinstance(value, str)}

    def store(work: Work) -> Response:
        signed_in(work, Permission.SUBMISSION_EDIT)
        product = ProductService(work.session, work.context).get(uuid_of(product_id))
        rule = find_rule(product.rule_id)
        data = _data_of(rule, values)
        period = (values.get("start", ""), values.get("end", ""))
        same = next(
            (
                s
                for s in product_submissions(work, product)
                if s.status in EDITABLE
                and (s.period_start.isoformat(), s.period_end.isoformat()) == period
            ),
            None,
        )
        service = SubmissionService(work.session, work.context)
        try:
            with work.session.begin_nested():
                if same is None:
                    made = service.create(product.id, data)
                else:
                    made = service.revise(same.id, same.version, data)
        except (InvalidInput, Conflict) as exc:
            errors = _field_errors(exc, locale, [spec.name for spec in rule.inputs])
            return _entry_page(request, work, locale, product, values, errors, 422)
        return RedirectResponse(f"/submissions/{made.id}", status_code=303)

    return page(request, store, form_csrf=values.get("csrf_token", ""))
