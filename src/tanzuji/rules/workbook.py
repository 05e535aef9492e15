"""A rule's Excel template (数据填报模板): written for enterprises, read back as activity data.

The workbook holds the three parts of :mod:`tanzuji.rules.entry` as sheets:
``基本信息 info`` (value in column B), ``活动数据 inputs`` and ``取舍 cut-off``.
The cells an enterprise fills are shaded. Reading reports every bad cell by sheet,
row and column as :class:`~tanzuji.errors.ActivityDataError`, then validates the
data as a whole. A workbook written before the cut-off sheet existed still reads.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tanzuji.errors import ActivityDataError
from tanzuji.rules.apply import ActivityData
from tanzuji.rules.entry import (
    CUT_OFF_COLUMNS,
    FILLED_INPUT_COLUMNS,
    INFO_ROWS,
    INPUT_COLUMNS,
    EntryCells,
    cut_off_rows,
    input_rows,
)
from tanzuji.rules.rule import Rule

__all__ = ["CUT_OFF", "INFO", "INPUTS", "read_workbook", "write_template"]

INFO = "基本信息 info"
INPUTS = "活动数据 inputs"
CUT_OFF = "取舍 cut-off"
_SHEETS = {"info": INFO, "inputs": INPUTS, "cut_off": CUT_OFF}
_LETTERS = {
    "inputs": {key: get_column_letter(n) for n, (key, _) in enumerate(INPUT_COLUMNS, start=1)},
    "cut_off": {key: get_column_letter(n) for n, (key, _) in enumerate(CUT_OFF_COLUMNS, start=1)},
    "info": {"value": "B"},
}
_FILL = PatternFill("solid", fgColor="FFF2CC")  # the cells an enterprise fills


def write_template(rule: Rule, path: str | Path) -> Path:
    """Write the data entry workbook of ``rule`` to ``path`` (.xlsx)."""
    path = Path(path)
    workbook = openpyxl.Workbook()
    info = workbook.active
    assert info is not None
    info.title = INFO
    info.append(["字段 field", "填写 value"])
    for key, label in INFO_ROWS:
        info.append([label, {"rule": rule.key, "boundary": rule.boundary.value}.get(key)])
        if key != "rule":
            info.cell(row=info.max_row, column=2).fill = _FILL
    info.column_dimensions["A"].width = 32
    info.column_dimensions["B"].width = 40
    inputs = _table(workbook, INPUTS, INPUT_COLUMNS, input_rows(rule), FILLED_INPUT_COLUMNS)
    choice = DataValidation(type="list", formula1='"primary,secondary"', allow_blank=True)
    inputs.add_data_validation(choice)
    column = _LETTERS["inputs"]["data_type"]
    choice.add(f"{column}2:{column}{inputs.max_row}")
    inputs.freeze_panes = "D2"
    _table(workbook, CUT_OFF, CUT_OFF_COLUMNS, cut_off_rows(rule), ("reason",))
    workbook.save(path)
    return path


def _table(
    workbook: openpyxl.Workbook,
    title: str,
    columns: tuple[tuple[str, str], ...],
    rows: list[dict[str, str | None]],
    filled: tuple[str, ...],
) -> Worksheet:
    sheet = workbook.create_sheet(title)
    sheet.append([heading for _, heading in columns])
    for row in rows:
        sheet.append([row[key] for key, _ in columns])
        for number, (key, _) in enumerate(columns, start=1):
            if key in filled:
                sheet.cell(row=sheet.max_row, column=number).fill = _FILL
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, (key, _) in enumerate(columns, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = 40 if key in ("help", "label") else 16
        for cell in sheet[letter]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    return sheet


def _place(part: str, row: int, column: str | None) -> str:
    if column is None:
        return _SHEETS[part]
    return f"{_SHEETS[part]}: {_LETTERS[part][column]}{row}"


def read_workbook(path: str | Path) -> ActivityData:
    """Activity data from a filled template; every bad cell named by sheet, row and column."""
    path = Path(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise ActivityDataError(
            str(path), [(None, "(file)", f"cannot be opened as .xlsx: {exc}")]
        ) from exc
    cells = EntryCells(path, _place)
    try:
        missing = [name for name in (INFO, INPUTS) if name not in workbook.sheetnames]
        if missing:
            raise ActivityDataError(
                str(path),
                [
                    (None, name, "sheet is missing: start from 'tanzuji rules template RULE'")
                    for name in missing
                ],
            )
        # read each sheet whole: a half-read row iterator keeps the file open after close()
        info_rows = list(workbook[INFO].iter_rows(min_row=2, values_only=True))
        for number, ((key, _), row) in enumerate(zip(INFO_ROWS, info_rows, strict=False), 2):
            cells.add_info(key, row[1] if len(row) > 1 else None, number)
        keys = [key for key, _ in INPUT_COLUMNS]
        for number, row in enumerate(workbook[INPUTS].iter_rows(min_row=2, values_only=True), 2):
            cells.add_input(dict(zip(keys, row, strict=False)), number)
        if CUT_OFF in workbook.sheetnames:
            rows = list(workbook[CUT_OFF].iter_rows(min_row=2, values_only=True))
            for number, row in enumerate(rows, start=2):
                cells.add_cut_off(row[0] if row else None, row[3] if len(row) > 3 else None, number)
    finally:
        workbook.close()
    return cells.activity_data()
