"""Rule files: ``<category>/<version>.yaml``, checked when loaded.

A rule that breaks its schema, uses a name that is neither an input nor a
constant, holds an expression that is not allowed, or (given a factor set)
refers to a factor or activity the set does not have, is rejected with the
file, line and field of every problem (:class:`~tanzuji.errors.RuleFileError`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tanzuji.documents import Document, read_document
from tanzuji.errors import ActivityDataError, RuleFileError
from tanzuji.factors import FactorSet
from tanzuji.rules.apply import ActivityData
from tanzuji.rules.entry_csv import read_entry_csv
from tanzuji.rules.rule import Rule
from tanzuji.rules.workbook import read_workbook

__all__ = ["json_schema", "load_activity_data", "load_rule"]

_LINE_ID = re.compile(r"^line ([a-z][a-z0-9_]*): ")


def json_schema() -> dict[str, Any]:
    """The JSON Schema of rule files, generated from :class:`Rule`."""
    schema = Rule.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "tanzuji product category rule"
    return schema


def _locate(document: Document, error: RuleFileError) -> RuleFileError:
    """Point rule-level problems that name a line (``line <id>: …``) at that line."""
    lines = document.data.get("lines", []) if isinstance(document.data, dict) else []
    positions = {
        item.get("id"): index for index, item in enumerate(lines) if isinstance(item, dict)
    }
    problems = []
    for line, field, message in error.problems:
        match = _LINE_ID.match(message)
        if field == "(file)" and match and match.group(1) in positions:
            location = ("lines", positions[match.group(1)], "amount")
            line, field = document.line_of(location), ".".join(map(str, location))
        problems.append((line, field, message))
    return RuleFileError(error.source, problems)


def _factor_problems(
    document: Document, rule: Rule, factor_set: FactorSet
) -> list[tuple[int | None, str, str]]:
    activities = set(factor_set.activities())
    problems: list[tuple[int | None, str, str]] = []
    for index, line in enumerate(rule.lines):
        if line.factor is not None and line.factor not in factor_set:
            location: tuple[str | int, ...] = ("lines", index, "factor")
            problems.append(
                (
                    document.line_of(location),
                    f"lines.{index}.factor",
                    f"factor {line.factor!r} is not in factor set {factor_set.version}",
                )
            )
        if line.activity is not None and line.activity not in activities:
            location = ("lines", index, "activity")
            problems.append(
                (
                    document.line_of(location),
                    f"lines.{index}.activity",
                    f"factor set {factor_set.version} has no factor for activity {line.activity!r}",
                )
            )
    return problems


def load_rule(path: str | Path, factor_set: FactorSet | None = None) -> Rule:
    """Read and check a rule file (and its factor references, given ``factor_set``)."""
    document = read_document(Path(path), RuleFileError)
    try:
        rule = document.validate(Rule, RuleFileError)
    except RuleFileError as exc:
        raise _locate(document, exc) from exc
    if factor_set is not None:
        problems = _factor_problems(document, rule, factor_set)
        if problems:
            raise RuleFileError(str(path), problems)
    return rule


def load_activity_data(path: str | Path) -> ActivityData:
    """Read activity data (YAML, JSON, or the rule's entry table as Excel or CSV) with errors
    by place."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return read_workbook(path)
    if path.suffix.lower() == ".csv":
        return read_entry_csv(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise ActivityDataError(
            str(path),
            [
                (
                    None,
                    "(file)",
                    "use a .yaml, .yml or .json file, or the rule's .xlsx or .csv table",
                )
            ],
        )
    return read_document(path, ActivityDataError).validate(ActivityData, ActivityDataError)


def dump_schema(path: str | Path) -> Path:
    """Write :func:`json_schema` to ``path``."""
    path = Path(path)
    path.write_text(
        json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
