"""Factor tables: emission factors to and from CSV and Excel (.xlsx).

One row is one factor. Gas amounts stand in columns named after the flow
(``CO2``, ``CH4``, ``N2O``, ``CO2e``, ``CO2-biogenic``, ``CH4-biogenic``,
``CO2-luc``, ``SF6``…), in ``amount_unit`` (kg by default) per one ``unit``
of the activity. An empty gas cell means the factor has no such gas.

Reading checks every cell and reports *all* bad cells at once as
:class:`~tanzuji.errors.FactorFileError`, each with its spreadsheet row
number and column name, so a table can be fixed in one pass.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Font
from pydantic import ValidationError

from tanzuji import units
from tanzuji.errors import FactorFileError, FactorSetError, TanzujiError
from tanzuji.factors.factor import DataQuality, EmissionFactor, Source
from tanzuji.factors.factor_set import FactorSet
from tanzuji.flows import GASES, Flow, Origin
from tanzuji.uncertainty import format_distribution, parse_distribution

__all__ = [
    "COLUMNS",
    "factor_csv",
    "load_factor_set",
    "parse_factor_csv",
    "read_factors",
    "write_factors",
]

COLUMNS: dict[str, str] = {
    "id": "stable identifier, e.g. ELEC-GZ-2023",
    "activity": "what the factor is for, e.g. electricity.grid",
    "name_zh": "中文名称",
    "name_en": "English name",
    "unit": "reference unit of the activity, e.g. kWh, t, t*km",
    "amount_unit": "unit of the gas amounts: kg (default), t or g",
    "geography": "GLO, CN, CN-GZ, CN-SOUTH-GRID, …",
    "reference_year": "year the value refers to",
    "valid_from": "first year the factor may be used (empty: open)",
    "valid_to": "last year the factor may be used (empty: open)",
    "scope": "boundary and caveats",
    "published": "the value as the source prints it, before conversion",
    "source": "issuer or authors, title",
    "source_table": "table or equation",
    "source_year": "year of publication",
    "source_locator": "where the number was seen (URL, DOI)",
    "confidence": "verified, secondary or estimate",
    "dq_technological": "1 (very good) to 5 (very poor)",
    "dq_temporal": "1 (very good) to 5 (very poor)",
    "dq_geographical": "1 (very good) to 5 (very poor)",
    "uncertainty": "e.g. 'lognormal gsd=1.1', 'normal sd=0.05', 'triangular low=0.8 high=1.3'",
}
"""The non-gas columns, in order, with what each holds."""

_REQUIRED = (
    "id",
    "activity",
    "name_zh",
    "name_en",
    "unit",
    "geography",
    "source",
    "dq_technological",
    "dq_temporal",
    "dq_geographical",
)
_AMOUNT_UNITS = {"kg": 1.0, "t": 1000.0, "g": 0.001}
_GAS_ORDER = [str(Flow(gas, origin)) for origin in Origin for gas in GASES]

Problem = tuple[int, str, str]


def _optional_int(text: str) -> int | None:
    if not text:
        return None
    value = _finite(text)
    if not value.is_integer():
        raise ValueError("must be a whole number")
    return int(value)


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


def _factor_from_row(
    row: dict[str, str], row_number: int, gas_columns: Sequence[str]
) -> tuple[EmissionFactor | None, list[Problem]]:
    problems: list[Problem] = []

    def cell(column: str, convert: Callable[[str], Any], default: Any = None) -> Any:
        text = (row.get(column) or "").strip()
        if not text:
            if column in _REQUIRED:
                problems.append((row_number, column, "is empty but required"))
            return default
        try:
            return convert(text)
        except (ValueError, OverflowError, TanzujiError, ValidationError) as exc:
            problems.append((row_number, column, f"{text!r} is not valid: {_first_line(exc)}"))
            return default

    scale = cell(
        "amount_unit",
        lambda t: (
            _AMOUNT_UNITS[t]
            if t in _AMOUNT_UNITS
            else _fail(f"use one of {', '.join(_AMOUNT_UNITS)}")
        ),
        1.0,
    )
    gases = {
        column: value * scale
        for column in gas_columns
        if (value := cell(column, _finite)) is not None
    }
    if not gases and not any(p[1] in gas_columns for p in problems):
        problems.append((row_number, "CO2e", "no gas amount given: fill at least one gas column"))
    unit = cell("unit", lambda t: units.dimensionality(t) and t)
    fields: dict[str, Any] = {
        "id": cell("id", str),
        "activity": cell("activity", str),
        "name_zh": cell("name_zh", str),
        "name_en": cell("name_en", str),
        "unit": unit,
        "gases": gases,
        "geography": cell("geography", str),
        "reference_year": cell("reference_year", _optional_int),
        "valid_from": cell("valid_from", _optional_int),
        "valid_to": cell("valid_to", _optional_int),
        "scope": cell("scope", str, ""),
        "published": cell("published", str, ""),
        "source": {
            "document": cell("source", str),
            "table": cell("source_table", str, ""),
            "year": cell("source_year", _optional_int),
            "locator": cell("source_locator", str, ""),
            "confidence": cell("confidence", str, "secondary"),
        },
        "data_quality": {
            "technological": cell("dq_technological", int),
            "temporal": cell("dq_temporal", int),
            "geographical": cell("dq_geographical", int),
        },
        "uncertainty": cell("uncertainty", parse_distribution),
    }
    try:
        factor = EmissionFactor.model_validate(fields)
    except ValidationError as exc:
        reported = {column for _, column, _ in problems}
        if reported & set(gas_columns):
            reported.add("gases")
        for error in exc.errors():
            column = _column_of(error["loc"])
            if column not in reported:  # a cell that failed above is not reported twice
                problems.append((row_number, column, _message(error["msg"])))
        return None, problems
    return (None, problems) if problems else (factor, [])


def _column_of(loc: tuple[int | str, ...]) -> str:
    """Map a pydantic error location back to the table column it came from."""
    head = str(loc[0]) if loc else "row"
    if head == "source" and len(loc) > 1:
        return {"document": "source", "confidence": "confidence"}.get(
            str(loc[1]), f"source_{loc[1]}"
        )
    if head == "data_quality" and len(loc) > 1:
        return f"dq_{loc[1]}"
    if head == "gases" and len(loc) > 1:
        return str(loc[1])
    return head


def _message(text: str) -> str:
    return text.removeprefix("Value error, ")


def _fail(message: str) -> Any:
    raise ValueError(message)


def _first_line(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(error["msg"] for error in exc.errors())
    return str(exc).splitlines()[0]


def _parse_rows(
    source: str, header: Sequence[str], rows: Iterable[tuple[int, dict[str, str]]]
) -> list[EmissionFactor]:
    problems: list[Problem] = []
    gas_columns: list[str] = []
    for column in header:
        if column in COLUMNS:
            continue
        try:
            Flow.parse(column)
            gas_columns.append(column)
        except TanzujiError:
            problems.append(
                (
                    1,
                    column,
                    "unknown column: neither a factor field nor a gas "
                    f"(fields: {', '.join(COLUMNS)})",
                )
            )
    problems += [
        (1, column, "required column is missing") for column in _REQUIRED if column not in header
    ]
    if problems:
        raise FactorFileError(source, problems)
    factors: list[EmissionFactor] = []
    seen: dict[str, int] = {}
    for row_number, row in rows:
        if not any((value or "").strip() for value in row.values()):
            continue
        factor, row_problems = _factor_from_row(row, row_number, gas_columns)
        problems += row_problems
        if factor is not None:
            if factor.id in seen:
                problems.append(
                    (row_number, "id", f"{factor.id!r} already used on row {seen[factor.id]}")
                )
            seen[factor.id] = row_number
            factors.append(factor)
    if problems:
        raise FactorFileError(source, problems)
    return factors


def _read_csv(path: Path) -> list[EmissionFactor]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FactorFileError(
            str(path), [(1, "(file)", "is not UTF-8 text; save the table as CSV UTF-8")]
        ) from exc
    return parse_factor_csv(text, str(path))


def parse_factor_csv(text: str, source: str) -> list[EmissionFactor]:
    """Every factor of a CSV table given as text (e.g. kept in the database); ``source``
    names it in errors."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    # number rows as a spreadsheet does (header = 1), not by text line: cells may hold newlines
    rows = (
        (number, {k: v for k, v in row.items() if k is not None})
        for number, row in enumerate(reader, start=2)
    )
    return _parse_rows(source, header, rows)


def _read_xlsx(path: Path) -> list[EmissionFactor]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types for a broken file
        raise FactorFileError(
            str(path), [(1, "(file)", f"cannot be opened as .xlsx: {exc}")]
        ) from exc
    sheet = workbook["factors"] if "factors" in workbook.sheetnames else workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(values, ())]

    def text(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
            return str(int(value)) if value != 0 else "0"
        return str(value)

    rows = (
        (
            number,
            {column: text(value) for column, value in zip(header, row, strict=False) if column},
        )
        for number, row in enumerate(values, start=2)
    )
    try:
        return _parse_rows(str(path), [c for c in header if c], rows)
    finally:
        workbook.close()


def read_factors(path: str | Path) -> list[EmissionFactor]:
    """Read every factor of a ``.csv`` or ``.xlsx`` table; all bad cells are reported."""
    path = Path(path)
    readers = {".csv": _read_csv, ".xlsx": _read_xlsx}
    reader = readers.get(path.suffix.lower())
    if reader is None:
        raise FactorFileError(str(path), [(0, "(file)", "use a .csv or .xlsx file")])
    if not path.exists():
        raise FactorFileError(str(path), [(0, "(file)", "does not exist")])
    return reader(path)


def _row_of(factor: EmissionFactor, gas_columns: Sequence[str]) -> list[Any]:
    source: Source = factor.source
    quality: DataQuality = factor.data_quality
    values: dict[str, Any] = {
        "id": factor.id,
        "activity": factor.activity,
        "name_zh": factor.name_zh,
        "name_en": factor.name_en,
        "unit": factor.unit,
        "amount_unit": "kg",
        "geography": factor.geography,
        "reference_year": factor.reference_year,
        "valid_from": factor.valid_from,
        "valid_to": factor.valid_to,
        "scope": factor.scope,
        "published": factor.published,
        "source": source.document,
        "source_table": source.table,
        "source_year": source.year,
        "source_locator": source.locator,
        "confidence": source.confidence,
        "dq_technological": quality.technological,
        "dq_temporal": quality.temporal,
        "dq_geographical": quality.geographical,
        "uncertainty": format_distribution(factor.uncertainty),
    }
    values.update({column: factor.gases.get(column) for column in gas_columns})
    return [values[column] for column in [*COLUMNS, *gas_columns]]


def _table(factors: list[EmissionFactor]) -> tuple[list[str], list[list[Any]]]:
    used = {gas for factor in factors for gas in factor.gases}
    gas_columns = [gas for gas in _GAS_ORDER if gas in used]
    return [*COLUMNS, *gas_columns], [_row_of(factor, gas_columns) for factor in factors]


def factor_csv(factors: Iterable[EmissionFactor]) -> str:
    """The factors as CSV text in the table's columns (what :func:`parse_factor_csv` reads)."""
    header, rows = _table(list(factors))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(
        ["" if v is None else (repr(v) if isinstance(v, float) else v) for v in row] for row in rows
    )
    return buffer.getvalue()


def write_factors(factors: Iterable[EmissionFactor], path: str | Path) -> Path:
    """Write factors as ``.csv`` (UTF-8 with BOM, so Excel reads Chinese) or ``.xlsx``."""
    path = Path(path)
    factors = list(factors)
    if path.suffix.lower() == ".xlsx":
        header, rows = _table(factors)
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "factors"
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "B2"
        notes = workbook.create_sheet("columns")
        notes.append(["column", "meaning"])
        for column, meaning in COLUMNS.items():
            notes.append([column, meaning])
        notes.append(["<gas>", "kg of the gas per unit, e.g. CO2, CH4-biogenic, CO2e"])
        workbook.save(path)
    elif path.suffix.lower() == ".csv":
        path.write_text(factor_csv(factors), encoding="utf-8-sig", newline="")
    else:
        raise FactorFileError(str(path), [(0, "(file)", "write to a .csv or .xlsx file")])
    return path


def load_factor_set(path: str | Path, version: str | None = None, title: str = "") -> FactorSet:
    """A :class:`FactorSet` from a table; the version defaults to the file's stem."""
    path = Path(path)
    factors = read_factors(path)
    try:
        return FactorSet(version or path.stem, factors, title=title)
    except FactorSetError as exc:
        raise FactorFileError(str(path), [(0, "(set)", str(exc))]) from exc
