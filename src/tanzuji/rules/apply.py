"""Activity data under a rule: check it, build the product model, compute the footprint.

:func:`check` lists every problem at once, each with its severity, the field it
concerns and a message in Chinese and English. Errors (a missing required
input, a unit that does not fit, a boundary the rule does not allow, a formula
that fails, a cut-off share above the rule's limit) stop the calculation;
warnings (a value outside the plausible range) do not, but need a written
justification and travel into the footprint with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, Strict

from tanzuji import units
from tanzuji.engine import Footprint, calculate
from tanzuji.errors import FormulaError, RuleInputError, TanzujiError
from tanzuji.factors import FactorSet
from tanzuji.geography import GeographyCode
from tanzuji.model import ActivityLine, Boundary, DataType, ProductModel, ReferencePeriod
from tanzuji.records import Record
from tanzuji.rules.rule import Rule, RuleLine
from tanzuji.uncertainty import Distribution
from tanzuji.units import ureg

__all__ = [
    "ActivityData",
    "InputEntry",
    "InputValue",
    "Problem",
    "account",
    "build",
    "check",
    "checked_model",
    "cut_off_problems",
]


StrictNumber = Annotated[float, Strict()]
"""A number written as a number: ``true`` or ``"12"`` is refused, not read as 1 or 12."""


class InputValue(Record):
    """One input's value, in any unit compatible with the rule's."""

    amount: StrictNumber
    unit: str | None = Field(None, description="default: the rule's unit for the input")
    data_type: DataType = Field(DataType.PRIMARY, description="primary: the site's own records")
    uncertainty: Distribution | None = None
    note: str = ""


def _entry(value: Any) -> Any:
    """A bare number is the amount in the rule's unit: ``12`` reads as ``{amount: 12}``, so
    that a bad value is reported at ``inputs.<name>.amount``."""
    return value if isinstance(value, InputValue | Mapping) else {"amount": value}


InputEntry = Annotated[InputValue, BeforeValidator(_entry)]
"""An input as entered: a number in the rule's unit, or an :class:`InputValue`."""


class ActivityData(Record):
    """What an enterprise enters for one product and period under a rule."""

    rule: str = Field(description="rule id, optionally with @version")
    product: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:/-]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    organization: str = ""
    geography: GeographyCode
    reference_period: ReferencePeriod
    boundary: Boundary | None = Field(None, description="default: the rule's")
    inputs: dict[str, InputEntry]
    justifications: dict[str, str] = Field(
        default_factory=dict, description="why a value outside its plausible range is right"
    )
    excluded: dict[str, str] = Field(
        default_factory=dict, description="rule line id → reason for leaving it out (cut-off)"
    )

    def value(self, name: str) -> InputValue | None:
        """The input ``name`` as an :class:`InputValue`, or ``None`` if not given."""
        given: Any = self.inputs.get(name)
        if given is None or isinstance(given, InputValue):
            return given
        return InputValue(amount=given)  # a bare number put in by model_copy(update=…)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with activity data under a rule."""

    severity: Literal["error", "warning"]
    field: str
    message_zh: str
    message_en: str
    justification: str = ""

    def __str__(self) -> str:
        text = f"{self.severity}: {self.field}: {self.message_zh} / {self.message_en}"
        return text + (f" (说明 justification: {self.justification})" if self.justification else "")


def _quantities(rule: Rule, data: ActivityData, problems: list[Problem]) -> dict[str, Any]:
    values: dict[str, Any] = {
        c.name: ureg.Quantity(c.value, units.normalize_unit(c.unit)) for c in rule.constants
    }
    for given in sorted(set(data.inputs) - {i.name for i in rule.inputs}):
        problems.append(
            Problem(
                "error", given, f"规则{rule.key}没有此输入项", f"rule {rule.key} has no such input"
            )
        )
    for spec in rule.inputs:
        value = data.value(spec.name)
        if value is None:
            if spec.required:
                problems.append(
                    Problem(
                        "error",
                        spec.name,
                        f"缺少必填项「{spec.label_zh}」",
                        f"required input '{spec.label_en}' is missing",
                    )
                )
            continue
        unit = value.unit or spec.unit
        try:
            amount = units.convert(value.amount, unit, spec.unit, where=f"input {spec.name}")
        except TanzujiError as exc:
            problems.append(
                Problem("error", spec.name, f"单位{unit}不能换算为{spec.unit}", str(exc))
            )
            continue
        if amount < 0:
            problems.append(Problem("error", spec.name, "数值不能为负", "must not be negative"))
            continue
        if spec.primary_required and value.data_type is not DataType.PRIMARY:
            problems.append(
                Problem(
                    "error",
                    spec.name,
                    "本规则要求该项为初级（实测）数据",
                    "the rule requires primary (site) data here",
                )
            )
        values[spec.name] = ureg.Quantity(amount, units.normalize_unit(spec.unit))
    counted = rule.inputs_within(data.boundary or rule.boundary)
    for spec in rule.inputs:
        because = [name for name in spec.required_with if name in data.inputs]
        if because and spec.name not in data.inputs and spec.name in counted:
            problems.append(
                Problem(
                    "error",
                    spec.name,
                    f"填写了{'、'.join(because)}，因此「{spec.label_zh}」必填",
                    f"'{spec.label_en}' is required because {', '.join(because)} is given",
                )
            )
    problems += _implausible(rule, data, values)
    return values


def _implausible(rule: Rule, data: ActivityData, values: Mapping[str, Any]) -> list[Problem]:
    """Warnings for values outside their plausible range (per unit of output where stated)."""
    problems: list[Problem] = []
    output = float(values[rule.output].magnitude) if rule.output in values else 0.0
    for spec in rule.inputs:
        if spec.name not in values or (spec.per_output and not output):
            continue
        amount, unit = float(values[spec.name].magnitude), spec.unit
        if spec.per_output:
            amount /= output
            unit = f"{spec.unit}/{rule.input(rule.output).unit}"
        reason = data.justifications.get(spec.name, "")
        if (spec.low is None or amount >= spec.low) and (spec.high is None or amount <= spec.high):
            if reason:
                problems.append(
                    Problem(
                        "warning",
                        f"justifications.{spec.name}",
                        "数值在合理范围内，无需说明",
                        "the value is within its plausible range; no justification is needed",
                    )
                )
            continue
        span = f"{'…' if spec.low is None else spec.low}–{'…' if spec.high is None else spec.high}"
        problems.append(
            Problem(
                "warning",
                spec.name,
                f"{amount:g} {unit}超出合理范围{span} {unit}" + ("" if reason else "，需书面说明"),
                f"{amount:g} {unit} is outside the plausible range {span} {unit}"
                + ("" if reason else "; give a written justification"),
                reason,
            )
        )
    return problems


def _unused(rule: Rule, data: ActivityData, applying: list[RuleLine]) -> list[Problem]:
    """Warnings for exclusions of lines that do not apply and justifications never needed."""
    problems: list[Problem] = []
    applied = {line.id for line in applying}
    ids = {line.id for line in rule.lines}
    for line_id in sorted((set(data.excluded) & ids) - applied):
        problems.append(
            Problem(
                "warning",
                f"excluded.{line_id}",
                "该行在本数据中不适用，取舍理由不会被使用",
                "the line does not apply to this data; the reason is not used",
            )
        )
    inputs = {spec.name for spec in rule.inputs}
    for name in sorted(set(data.justifications) - inputs):
        problems.append(
            Problem(
                "warning",
                f"justifications.{name}",
                "没有此输入项",
                f"rule {rule.key} has no input {name!r}",
            )
        )
    return problems


def _with_zeros(rule: Rule, values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with every optional input not given set to zero in its unit."""
    zeros = {
        spec.name: ureg.Quantity(0.0, units.normalize_unit(spec.unit))
        for spec in rule.inputs
        if spec.name not in values
    }
    return {**zeros, **values}


def check(rule: Rule, data: ActivityData, factor_set: FactorSet | None = None) -> list[Problem]:
    """Every problem of ``data`` under ``rule``; with ``factor_set``, the cut-off too."""
    problems: list[Problem] = []
    if data.rule not in (rule.id, rule.key):
        problems.append(
            Problem(
                "error",
                "rule",
                f"数据针对规则{data.rule}，而非{rule.key}",
                f"the data is for rule {data.rule}, not {rule.key}",
            )
        )
    boundary = data.boundary or rule.boundary
    if boundary not in rule.boundaries:
        allowed = ", ".join(rule.boundaries)
        problems.append(
            Problem(
                "error",
                "boundary",
                f"本规则不允许系统边界{boundary}（允许：{allowed}）",
                f"the rule does not allow the {boundary} boundary ({allowed})",
            )
        )
    line_ids = {line.id for line in rule.lines}
    for unknown in sorted(set(data.excluded) - line_ids):
        problems.append(
            Problem(
                "error",
                f"excluded.{unknown}",
                "规则中没有此排放行",
                f"rule {rule.key} has no line {unknown!r}",
            )
        )
    values = _quantities(rule, data, problems)
    given = set(values)
    for name in [rule.output, *(c.amount for c in rule.co_products if not c.optional)]:
        if name in values and float(values[name].magnitude) == 0:
            problems.append(
                Problem("error", name, "产量必须大于零", "the amount made must be above zero")
            )
    values = _with_zeros(rule, values)
    applying = [line for line in rule.lines if rule.applies(line, given, boundary)]
    for line in applying:
        try:
            rule.formula(line).evaluate(values)
        except FormulaError as exc:
            problems.append(Problem("error", line.id, f"公式计算失败：{exc}", str(exc)))
    if rule.allocation is not None:
        for output in rule.allocation.basis:
            try:
                rule.allocation_formula(output).evaluate(values)
            except FormulaError as exc:
                problems.append(
                    Problem("error", f"allocation.{output}", f"分配基础计算失败：{exc}", str(exc))
                )
    covered = {line.stage for line in applying}
    for stage in rule.required_stages:
        if stage in boundary.stages and stage not in covered:
            problems.append(
                Problem(
                    "error",
                    f"stages.{stage.value}",
                    f"本规则要求覆盖「{stage.label_zh}」阶段，但所填数据没有该阶段的任何项目",
                    f"the rule requires the {stage.label_en} stage, but the data gives nothing "
                    "for it",
                )
            )
    problems += _unused(rule, data, applying)
    if factor_set is not None and not any(p.severity == "error" for p in problems):
        problems += _cut_off_problems(rule, data, factor_set)
    return problems


def _cut_off_problems(rule: Rule, data: ActivityData, factor_set: FactorSet) -> list[Problem]:
    try:
        footprint = calculate([_model(rule, data)], factor_set).footprint(data.product)
    except TanzujiError as exc:
        return [Problem("error", "(calculation)", f"无法计算：{exc}", f"cannot compute: {exc}")]
    return cut_off_problems(rule, footprint)


def cut_off_problems(rule: Rule, footprint: Footprint) -> list[Problem]:
    """Where the lines left out of ``footprint`` (computed from a model of ``rule``) break the
    rule's cut-off: each line above the single-flow limit, then the total above its limit."""
    problems: list[Problem] = []
    ids = {_line_name(line): line.id for line in rule.lines}
    limit = rule.cut_off
    for left_out in footprint.cut_off:
        if abs(left_out.share) > limit.single_flow:
            problems.append(
                Problem(
                    "error",
                    f"excluded.{ids[left_out.name]}",
                    f"略去的排放占{left_out.share:.2%}，超过单项{limit.single_flow:.0%}的取舍限值",
                    f"the line left out is {left_out.share:.2%}, above the single-flow cut-off "
                    f"of {limit.single_flow:.0%}",
                )
            )
    total = sum(abs(c.share) for c in footprint.cut_off)
    if total > limit.total:
        problems.append(
            Problem(
                "error",
                "excluded",
                f"略去的排放合计{total:.2%}，超过{limit.total:.0%}的取舍限值",
                f"the lines left out add up to {total:.2%}, above the total "
                f"cut-off of {limit.total:.0%}",
            )
        )
    return problems


def _line_name(line: RuleLine) -> str:
    return f"{line.name_zh} / {line.name_en}"


def _line(
    rule: Rule, line: RuleLine, data: ActivityData, values: Mapping[str, Any]
) -> ActivityLine:
    formula = rule.formula(line)
    used = [data.value(name) for name in sorted(formula.names) if name in data.inputs]
    given = [value for value in used if value is not None]
    primary = bool(given) and all(v.data_type is DataType.PRIMARY for v in given)
    # the amount takes an input's relative uncertainty only when it is proportional to it
    used_inputs = formula.names & {spec.name for spec in rule.inputs}
    single = next(iter(used_inputs)) if len(used_inputs) == 1 else None
    constants = frozenset(c.name for c in rule.constants)
    proportional = single is not None and formula.scales_with(single, constants)
    own = data.value(single) if single is not None and proportional else None
    target = line.target()
    reason = data.excluded.get(line.id)
    return ActivityLine(
        name=_line_name(line),
        amount=formula.evaluate(values),
        unit=line.unit,
        data_type=DataType.PRIMARY if primary else DataType.SECONDARY,
        uncertainty=own.uncertainty if own is not None and own.uncertainty else line.uncertainty,
        cut_off={"reason": reason} if reason else None,
        note=line.source,
        **target,
    )


def _model(rule: Rule, data: ActivityData) -> ProductModel:
    problems: list[Problem] = []
    values = _quantities(rule, data, problems)
    given = set(values)
    values = _with_zeros(rule, values)
    boundary = data.boundary or rule.boundary
    stages: dict[str, list[ActivityLine]] = {}
    for line in rule.lines:
        if rule.applies(line, given, boundary):
            stages.setdefault(line.stage.value, []).append(_line(rule, line, data, values))
    output = values[rule.output]
    co_products, allocation = _co_products(rule, data, values)
    return ProductModel.model_validate(
        {
            "id": data.product,
            "name_zh": data.name_zh,
            "name_en": data.name_en,
            "organization": data.organization,
            "declared_unit": rule.declared_unit,
            "reference_output": {
                "amount": float(output.magnitude),
                "unit": rule.input(rule.output).unit,
            },
            "reference_period": data.reference_period,
            "boundary": data.boundary or rule.boundary,
            "geography": data.geography,
            "stages": stages,
            "co_products": co_products,
            "allocation": allocation,
        }
    )


def _co_products(
    rule: Rule, data: ActivityData, values: Mapping[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The co-products of the model and its allocation, bases evaluated from the data."""
    made = [c for c in rule.co_products if float(values[c.amount].magnitude) > 0]
    if rule.allocation is None or not made:
        return [], None  # an optional co-product not made leaves the whole burden on the product
    co_products = [
        {
            "id": f"{data.product}/{c.id}",
            "name": f"{c.name_zh} / {c.name_en}",
            "amount": float(values[c.amount].magnitude),
            "unit": rule.input(c.amount).unit,
        }
        for c in made
    ]
    amounts = {"main": float(values[rule.output].magnitude)}
    amounts |= {c.id: float(values[c.amount].magnitude) for c in made}
    basis = {}
    for output, amount in amounts.items():
        total = rule.allocation_formula(output).evaluate(values)
        key = data.product if output == "main" else f"{data.product}/{output}"
        basis[key] = total / amount if amount else 0.0
    allocation = {
        "method": rule.allocation.method,
        "basis": basis,
        "basis_unit": rule.allocation.basis_unit,
    }
    return co_products, allocation


def build(rule: Rule, data: ActivityData) -> ProductModel:
    """The product model ``rule`` makes of ``data``; :class:`RuleInputError` lists all errors."""
    errors = [p for p in check(rule, data) if p.severity == "error"]
    if errors:
        raise RuleInputError(rule.key, [str(p) for p in errors])
    return _model(rule, data)


def checked_model(
    rule: Rule, data: ActivityData, factor_set: FactorSet
) -> tuple[ProductModel, list[Problem]]:
    """The model of ``data`` and its warnings, after every check (cut-off included).

    Raises :class:`RuleInputError` listing every error if there is one.
    """
    problems = check(rule, data, factor_set)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise RuleInputError(rule.key, [str(p) for p in errors])
    return _model(rule, data), problems


def account(rule: Rule, data: ActivityData, factor_set: FactorSet, gwp: str = "AR6") -> Footprint:
    """The footprint of ``data`` under ``rule``, recording the rule and carrying the warnings.

    Raises :class:`RuleInputError` with every error (cut-off included) if there is one.
    """
    model, warnings = checked_model(rule, data, factor_set)
    footprint = calculate([model], factor_set, gwp).footprint(data.product, rule=rule.key)
    return replace(footprint, warnings=tuple(str(p) for p in warnings))
