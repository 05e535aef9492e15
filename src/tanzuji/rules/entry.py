"""The data entry table of a rule (数据填报表), shared by its Excel and CSV forms.

An enterprise fills three parts, in Chinese first with English beside:

* **info** (基本信息): rule, product id and names, organization, geography,
  reference period and boundary, one value each;
* **inputs** (活动数据): one row per input the rule asks for, with its stable name,
  labels, unit (the rule's; any compatible unit may be written instead), whether
  it is required or must be primary data, the plausible range and help. The
  enterprise fills the amount, the data type, an uncertainty if it knows one
  (``lognormal gsd=1.05``) and, for a value outside the range, a justification;
* **cut-off** (取舍): one row per rule line, where a reason written beside a line
  leaves it out under the rule's cut-off criteria (checked when the data is).

:class:`EntryCells` collects what a reader found, each value with its place
(sheet, row, column), and turns it into :class:`ActivityData`, reporting every bad
cell at once as :class:`~tanzuji.errors.ActivityDataError`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tanzuji.documents import Document, Location
from tanzuji.errors import ActivityDataError
from tanzuji.rules.apply import ActivityData
from tanzuji.rules.rule import Rule
from tanzuji.uncertainty import parse_distribution

__all__ = [
    "CUT_OFF_COLUMNS",
    "INFO_ROWS",
    "INPUT_COLUMNS",
    "EntryCells",
    "cut_off_rows",
    "input_rows",
]

INFO_ROWS = (
    ("rule", "核算规则 rule"),
    ("product", "产品编号 product id"),
    ("name_zh", "产品名称 name (中文)"),
    ("name_en", "产品名称 name (English)"),
    ("organization", "企业 organization"),
    ("geography", "生产地 geography (e.g. CN-GZ)"),
    ("start", "核算期开始 period start"),
    ("end", "核算期结束 period end"),
    ("boundary", "系统边界 boundary"),
)
INPUT_COLUMNS = (
    ("name", "编码 name"),
    ("label", "项目 input"),
    ("unit", "单位 unit"),
    ("amount", "数值 amount"),
    ("data_type", "数据类型 data type"),
    ("required", "必填 required"),
    ("primary", "须实测 primary"),
    ("range", "合理范围 plausible range"),
    ("help", "说明 help"),
    ("justification", "偏离说明 justification"),
    ("uncertainty", "不确定性 uncertainty (e.g. lognormal gsd=1.05)"),
)
FILLED_INPUT_COLUMNS = ("amount", "data_type", "justification", "uncertainty")
"""The input columns an enterprise fills; the others are written from the rule."""
CUT_OFF_COLUMNS = (
    ("line", "编码 line"),
    ("label", "项目 item"),
    ("stage", "阶段 stage"),
    ("reason", "略去理由 reason to leave out"),
)
_THOUSANDS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def input_rows(rule: Rule) -> list[dict[str, str | None]]:
    """One row per input of ``rule``, keyed by :data:`INPUT_COLUMNS`, blank where filled."""
    output_unit = rule.input(rule.output).unit
    rows: list[dict[str, str | None]] = []
    for spec in rule.inputs:
        low = "" if spec.low is None else f"{spec.low:g}"
        high = "" if spec.high is None else f"{spec.high:g}"
        per = f" /{output_unit}" if spec.per_output else ""
        rows.append(
            {
                "name": spec.name,
                "label": f"{spec.label_zh} {spec.label_en}",
                "unit": spec.unit,
                "amount": None,
                "data_type": "primary",
                "required": "是 yes" if spec.required else "",
                "primary": "是 yes" if spec.primary_required else "",
                "range": f"{low}–{high} {spec.unit}{per}" if (low or high) else "",
                "help": " / ".join(text for text in (spec.help_zh, spec.help_en) if text),
                "justification": None,
                "uncertainty": None,
            }
        )
    return rows


def cut_off_rows(rule: Rule) -> list[dict[str, str | None]]:
    """One row per line of ``rule``, keyed by :data:`CUT_OFF_COLUMNS`, the reason blank."""
    return [
        {
            "line": line.id,
            "label": f"{line.name_zh} {line.name_en}",
            "stage": f"{line.stage.label_zh} {line.stage.label_en}",
            "reason": None,
        }
        for line in rule.lines
    ]


def text(value: Any) -> str:
    """A cell's value as text: dates in ISO form, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return float(value)
    written = text(value)
    if "," in written and not _THOUSANDS.fullmatch(written):
        raise ValueError(written)  # "1,5" is ambiguous: a decimal comma or a typo
    return float(written.replace(",", ""))


class EntryCells:
    """What a reader found in a filled entry table, each value with where it stood.

    ``place(part, row, column)`` names a cell for messages, e.g.
    ``"活动数据 inputs: D7"`` in a workbook or ``"row 7, column amount"`` in CSV;
    with ``column`` ``None`` it names the part or row, e.g. ``"基本信息 info"``.
    The parts are ``info``, ``inputs`` and ``cut_off``.
    """

    def __init__(self, source: Path, place: Callable[[str, int, str | None], str]) -> None:
        self.source = source
        self.place = place
        self.info: dict[str, str] = {}
        self.inputs: dict[str, dict[str, Any]] = {}
        self.justifications: dict[str, str] = {}
        self.excluded: dict[str, str] = {}
        self.problems: list[tuple[int | None, str, str]] = []
        self._rows: dict[Location, int] = {}
        self._parts: dict[str, str] = {}

    def add_info(self, key: str, value: Any, row: int) -> None:
        """The info field ``key`` (one of :data:`INFO_ROWS`) read on ``row``."""
        if key not in dict(INFO_ROWS):
            known = ", ".join(name for name, _ in INFO_ROWS)
            self.problems.append(
                (row, self.place("info", row, None), f"{key!r} is not an info field ({known})")
            )
            return
        self.info[key] = text(value)
        self._rows[(key,)] = row
        if key == "start":
            self._rows[("reference_period",)] = row

    def add_input(self, cells: dict[str, Any], row: int) -> None:
        """One row of the inputs part, keyed by :data:`INPUT_COLUMNS`; blank amounts skipped."""
        name, amount = text(cells.get("name")), cells.get("amount")
        if not name or text(amount) == "":
            return
        try:
            number = _number(amount)
        except ValueError:
            where = f"{self.place('inputs', row, 'amount')} ({name})"
            self.problems.append((row, where, f"{text(amount)!r} is not a number"))
            return
        value: dict[str, Any] = {
            "amount": number,
            "unit": text(cells.get("unit")) or None,
            "data_type": text(cells.get("data_type")) or "primary",
        }
        if written := text(cells.get("uncertainty")):
            try:
                value["uncertainty"] = parse_distribution(written)
            except ValueError as exc:
                where = f"{self.place('inputs', row, 'uncertainty')} ({name})"
                self.problems.append((row, where, f"{written!r}: {_first_line(exc)}"))
                return
        self.inputs[name] = value
        self._rows[("inputs", name)] = row
        self._parts[f"inputs.{name}"] = "inputs"
        if justification := text(cells.get("justification")):
            self.justifications[name] = justification

    def add_cut_off(self, line: Any, reason: Any, row: int) -> None:
        """A rule line left out for ``reason`` (skipped when no reason is written)."""
        if text(line) and text(reason):
            self.excluded[text(line)] = text(reason)
            self._rows[("excluded", text(line))] = row
            self._parts[f"excluded.{text(line)}"] = "cut_off"

    def activity_data(self) -> ActivityData:
        """The activity data the cells hold; every problem, bad cells first, in one error."""
        if self.problems:
            raise ActivityDataError(str(self.source), self.problems)
        data = {
            "rule": self.info.get("rule", ""),
            "product": self.info.get("product", ""),
            "name_zh": self.info.get("name_zh", ""),
            "name_en": self.info.get("name_en", ""),
            "organization": self.info.get("organization", ""),
            "geography": self.info.get("geography", ""),
            "reference_period": {
                "start": self.info.get("start", ""),
                "end": self.info.get("end", ""),
            },
            "boundary": self.info.get("boundary") or None,
            "inputs": self.inputs,
            "justifications": self.justifications,
            "excluded": self.excluded,
        }
        document = Document(self.source, data, self._rows)
        try:
            return document.validate(ActivityData, ActivityDataError)
        except ActivityDataError as exc:
            raise ActivityDataError(
                str(self.source),
                [(row, self._where(row, field), message) for row, field, message in exc.problems],
            ) from exc

    def _where(self, row: int | None, field: str) -> str:
        key = ".".join(field.split(".")[:2])
        part = self._parts.get(key, "info")
        return f"{self.place(part, row or 0, None)}: {field}"


def _first_line(exc: Exception) -> str:
    lines = str(exc).splitlines()
    return lines[-1].strip() if len(lines) > 1 else lines[0]
