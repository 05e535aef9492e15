"""A rule's data entry table as one CSV file, for systems that export CSV rather than Excel.

The three parts of :mod:`tanzuji.rules.entry` stand in one table, told apart by
the ``part`` column (``info``, ``inputs``, ``cut_off``); ``value`` holds an info
field's value, an input's amount or the reason a line is left out. Headings are
written in Chinese and English (``数值 value``); a reader needs only the English
word, so a file may also use the bare keys. The text is UTF-8 (with or without
the byte order mark that spreadsheet programs add).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from tanzuji.errors import ActivityDataError
from tanzuji.rules.apply import ActivityData
from tanzuji.rules.entry import INFO_ROWS, EntryCells, cut_off_rows, input_rows
from tanzuji.rules.rule import Rule

__all__ = ["read_entry_csv", "write_entry_csv"]

COLUMNS = (
    ("part", "部分 part"),
    ("name", "编码 name"),
    ("label", "项目 label"),
    ("value", "数值 value"),
    ("unit", "单位 unit"),
    ("data_type", "数据类型 data_type"),
    ("uncertainty", "不确定性 uncertainty"),
    ("justification", "偏离说明 justification"),
    ("required", "必填 required"),
    ("primary", "须实测 primary"),
    ("range", "合理范围 range"),
    ("help", "说明 help"),
)
_PARTS = ("info", "inputs", "cut_off")


def write_entry_csv(rule: Rule, path: str | Path) -> Path:
    """Write the data entry table of ``rule`` to ``path`` as UTF-8 CSV."""
    path = Path(path)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([heading for _, heading in COLUMNS])
    preset = {"rule": rule.key, "boundary": rule.boundary.value}
    for key, label in INFO_ROWS:
        writer.writerow(_row(part="info", name=key, label=label, value=preset.get(key)))
    for spec in input_rows(rule):
        writer.writerow(_row(part="inputs", **spec | {"value": spec["amount"]}))
    for line in cut_off_rows(rule):
        writer.writerow(_row(part="cut_off", name=line["line"], label=line["label"]))
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _row(**cells: Any) -> list[Any]:
    return [cells.get(key) for key, _ in COLUMNS]


def _place(_part: str, row: int, column: str | None) -> str:
    return f"row {row}" if column is None else f"row {row}, column {column}"


def read_entry_csv(path: str | Path) -> ActivityData:
    """Activity data from a filled CSV entry table; every bad cell named by row and column."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ActivityDataError(
            str(path), [(None, "(file)", "is not UTF-8 text; save the table as CSV UTF-8")]
        ) from exc
    reader = csv.reader(io.StringIO(content))
    header = [cell.split()[-1] if cell.split() else "" for cell in next(reader, [])]
    missing = [key for key in ("part", "name", "value") if key not in header]
    if missing:
        raise ActivityDataError(
            str(path),
            [(1, "(header)", f"column {key!r} is missing") for key in missing],
        )
    cells = EntryCells(path, _place)
    for number, row in enumerate(reader, start=2):
        values = dict(zip(header, row, strict=False))
        part = values.get("part", "").strip()
        if not any(cell.strip() for cell in row):
            continue
        if part == "info":
            cells.add_info(values.get("name", "").strip(), values.get("value"), number)
        elif part == "inputs":
            cells.add_input(values | {"amount": values.get("value")}, number)
        elif part == "cut_off":
            cells.add_cut_off(values.get("name"), values.get("value"), number)
        else:
            cells.problems.append(
                (number, _place(part, number, "part"), f"{part!r} is not one of {_PARTS}")
            )
    return cells.activity_data()
