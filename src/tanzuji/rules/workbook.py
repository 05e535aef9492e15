"""A rule's Excel template (数据填报模板): written for enterprises, read back as activity data.

The workbook has two sheets, in Chinese first with English beside:

* ``基本信息 info``: rule, product id and names, organization, geography, period,
  boundary — one row each, value in column B;
* ``活动数据 inputs``: one row per input the rule asks for, with its stable name, labels,
  unit (the rule's; any compatible unit may be written instead), whether it is
  required or must be primary data, the plausible range and help; the enterprise fills
  the amount, the data type and, for a value outside the range, a justification.

Reading reports every bad cell by sheet and row (and column, for a number that is not
one) as :class:`~tanzuji.errors.ActivityDataError`, then validates the data as a whole.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from tanzuji.documents import Document
from tanzuji.errors import ActivityDataError
from tanzuji.rules.apply import ActivityData
from tanzuji.rules.rule import Rule

__all__ = ["read_workbook", "write_template"]

INFO = "基本信息 info"
INPUTS = "活动数据 inputs"
_INFO_ROWS = (
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
_COLUMNS = (
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
)
_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells an enterprise fills
_THOUSANDS = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def write_template(rule: Rule, path: str | Path) -> Path:
    """Write the data entry workbook of ``rule`` to ``path`` (.xlsx)."""
    path = Path(path)
    workbook = openpyxl.Workbook()
    info = workbook.active
    info.title = INFO
    info.append(["字段 field", "填写 value"])
    for key, label in _INFO_ROWS:
        info.append([label, rule.key if key == "rule" else None])
        if key not in ("rule",):
            info.cell(row=info.max_row, column=2).fill = _FILL
    info.cell(row=len(_INFO_ROWS) + 1, column=2, value=rule.boundary.value)
    info.column_dimensions["A"].width = 32
    info.column_dimensions["B"].width = 40
    sheet = workbook.create_sheet(INPUTS)
    sheet.append([title for _, title in _COLUMNS])
    output_unit = rule.input(rule.output).unit
    for spec in rule.inputs:
        low = "" if spec.low is None else f"{spec.low:g}"
        high = "" if spec.high is None else f"{spec.high:g}"
        per = f" /{output_unit}" if spec.per_output else ""
        sheet.append(
            [
                spec.name,
                f"{spec.label_zh} {spec.label_en}",
                spec.unit,
                None,
                "primary",
                "是 yes" if spec.required else "",
                "是 yes" if spec.primary_required else "",
                f"{low}–{high} {spec.unit}{per}" if (low or high) else "",
                " / ".join(text for text in (spec.help_zh, spec.help_en) if text),
                None,
            ]
        )
        for column in (4, 5, 10):
            sheet.cell(row=sheet.max_row, column=column).fill = _FILL
    choice = DataValidation(type="list", formula1='"primary,secondary"', allow_blank=True)
    sheet.add_data_validation(choice)
    choice.add(f"E2:E{sheet.max_row}")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = (22, 36, 10, 14, 14, 10, 10, 24, 40, 30)
    for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "D2"
    workbook.save(path)
    return path


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def read_workbook(path: str | Path) -> ActivityData:
    """Activity data from a filled template; every bad cell named by sheet, row and column."""
    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise ActivityDataError(
            str(path), [(None, "(file)", f"cannot be opened as .xlsx: {exc}")]
        ) from exc
    problems: list[tuple[int | None, str, str]] = []
    rows_of: dict[tuple[str | int, ...], int] = {}
    try:
        for name in (INFO, INPUTS):
            if name not in workbook.sheetnames:
                problems.append(
                    (
                        None,
                        name,
                        "sheet is missing: start from 'tanzuji rules template RULE -o FILE.xlsx'",
                    )
                )
        if problems:
            raise ActivityDataError(str(path), problems)
        info_rows = list(workbook[INFO].iter_rows(min_row=2, values_only=True))
        info = {
            key: _text(row[1] if len(row) > 1 else None)
            for (key, _), row in zip(_INFO_ROWS, info_rows, strict=False)
        }
        rows_of.update({(key,): number for number, (key, _) in enumerate(_INFO_ROWS, start=2)})
        rows_of[("reference_period",)] = rows_of[("start",)]
        inputs: dict[str, Any] = {}
        justifications: dict[str, str] = {}
        rows = workbook[INPUTS].iter_rows(min_row=2, values_only=True)
        for number, row in enumerate(rows, start=2):
            cells = dict(zip((key for key, _ in _COLUMNS), row, strict=False))
            name, amount = _text(cells.get("name")), cells.get("amount")
            if not name or amount is None or _text(amount) == "":
                continue
            if isinstance(amount, bool) or not isinstance(amount, int | float):
                text = _text(amount)
                try:
                    if "," in text and not _THOUSANDS.fullmatch(text):
                        raise ValueError(text)  # "1,5" is ambiguous: a decimal comma or a typo
                    amount = float(text.replace(",", ""))
                except ValueError:
                    problems.append(
                        (
                            number,
                            f"{INPUTS}: D{number} ({name})",
                            f"{_text(amount)!r} is not a number",
                        )
                    )
                    continue
            rows_of[("inputs", name)] = number
            inputs[name] = {
                "amount": amount,
                "unit": _text(cells.get("unit")) or None,
                "data_type": _text(cells.get("data_type")) or "primary",
            }
            if _text(cells.get("justification")):
                justifications[name] = _text(cells.get("justification"))
    finally:
        workbook.close()
    if problems:
        raise ActivityDataError(str(path), problems)
    data = {
        "rule": info.get("rule", ""),
        "product": info.get("product", ""),
        "name_zh": info.get("name_zh", ""),
        "name_en": info.get("name_en", ""),
        "organization": info.get("organization", ""),
        "geography": info.get("geography", ""),
        "reference_period": {"start": info.get("start", ""), "end": info.get("end", "")},
        "boundary": info.get("boundary") or None,
        "inputs": inputs,
        "justifications": justifications,
    }
    try:
        return Document(path, data, rows_of).validate(ActivityData, ActivityDataError)
    except ActivityDataError as exc:
        raise ActivityDataError(
            str(path),
            [
                (row, f"{INPUTS if field.startswith('inputs.') else INFO}: {field}", message)
                for row, field, message in exc.problems
            ],
        ) from exc
