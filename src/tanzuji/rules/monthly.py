"""Activity data entered month by month, added up to the reference period.

Energy managers read meters and invoices monthly. Amounts (kWh, t, Nm3, t·km) add up;
contents, prices and other per-unit values do not, so those are entered once for the period.
Every month of the period must be there exactly once.

>>> import datetime
>>> months_of(datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
['2025-01', '2025-02', '2025-03']
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import Field, ValidationError

from tanzuji import units
from tanzuji.errors import TanzujiError
from tanzuji.model.stages import DataType
from tanzuji.records import Record
from tanzuji.rules.apply import InputEntry, InputValue, Problem
from tanzuji.rules.rule import Rule

__all__ = ["MonthlyEntry", "add_up", "is_amount", "months_of"]


class MonthlyEntry(Record):
    """The amounts of one month, e.g. ``{"month": "2025-03", "inputs": {"electricity": 20000}}``."""

    month: str = Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")
    inputs: dict[str, InputEntry]


def months_of(start: datetime.date, end: datetime.date) -> list[str]:
    """Every calendar month the period touches, as ``YYYY-MM``."""
    months, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def is_amount(unit: str) -> bool:
    """Whether quantities in ``unit`` add up over time (kWh, t, t*km do; a content, a price
    or anything per unit does not)."""
    return unit != "dimensionless" and not re.search(r"/|\bper\b", unit)


def add_up(
    rule: Rule,
    start: datetime.date,
    end: datetime.date,
    entries: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, InputValue], list[Problem]]:
    """The period's inputs summed from monthly ``entries`` (in each input's rule unit), and
    every problem found; an input is primary data only if every month's value is."""
    problems: list[Problem] = []
    parsed: list[MonthlyEntry] = []
    for index, raw in enumerate(entries):
        try:
            parsed.append(MonthlyEntry.model_validate(raw))
        except ValidationError as exc:
            for error in exc.errors():
                where = ".".join(str(part) for part in ("monthly", index, *error["loc"]))
                problems.append(Problem("error", where, f"无效：{error['msg']}", error["msg"]))
    expected = months_of(start, end)
    given = [entry.month for entry in parsed]
    for month in sorted({m for m in given if given.count(m) > 1}):
        problems.append(
            Problem("error", f"monthly.{month}", "同一月份填报了两次", "the month is given twice")
        )
    for month in sorted(set(given) - set(expected)):
        problems.append(
            Problem(
                "error",
                f"monthly.{month}",
                "该月份不在核算期内",
                f"the month is outside the period {start}…{end}",
            )
        )
    for month in [m for m in expected if m not in given]:
        problems.append(
            Problem("error", f"monthly.{month}", "缺少该月份的数据", "the month is missing")
        )
    totals: dict[str, float] = {}
    primary: dict[str, bool] = {}
    specs = {spec.name: spec for spec in rule.inputs}
    for entry in parsed:
        for name, given_value in entry.inputs.items():
            spec = specs.get(name)
            field = f"monthly.{entry.month}.{name}"
            if spec is None:
                problems.append(
                    Problem(
                        "error", field, f"规则{rule.key}没有此输入项", "the rule has no such input"
                    )
                )
                continue
            if not is_amount(spec.unit):
                problems.append(
                    Problem(
                        "error",
                        field,
                        f"「{spec.label_zh}」（{spec.unit}）不能按月累加，请按核算期填报一次",
                        f"'{spec.label_en}' ({spec.unit}) does not add up over months; enter "
                        "it once for the period",
                    )
                )
                continue
            amount, unit = given_value.amount, given_value.unit or spec.unit
            is_primary = given_value.data_type is DataType.PRIMARY
            try:
                converted = units.convert(amount, unit, spec.unit, where=field)
            except TanzujiError as exc:
                problems.append(Problem("error", field, f"单位无法换算：{exc}", str(exc)))
                continue
            totals[name] = totals.get(name, 0.0) + converted
            primary[name] = primary.get(name, True) and is_primary
    inputs = {
        name: InputValue(
            amount=total,
            unit=specs[name].unit,
            data_type=DataType.PRIMARY if primary[name] else DataType.SECONDARY,
            note=f"sum of {len(parsed)} monthly entries",
        )
        for name, total in totals.items()
    }
    return inputs, problems
