"""YAML and JSON documents read with the line of every field, for errors that point.

Model files, product rules and activity data are YAML or JSON (``.json`` files
are parsed as JSON; YAML's parser only maps their lines). :func:`read_document`
returns the data and a map from each field's location, e.g.
``("stages", "production", 2, "unit")``, to its line, so that a pydantic
validation error can be reported as *file, line, field: message*.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from tanzuji.errors import DocumentError

__all__ = ["Document", "Location", "read_document"]

Location = tuple[str | int, ...]
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Document:
    """The parsed content of a file and where each of its fields stands."""

    path: Path
    data: Any
    lines: dict[Location, int]

    def line_of(self, location: Location) -> int | None:
        """The line of ``location``, or of the nearest enclosing field that has one."""
        for end in range(len(location), -1, -1):
            found = self.lines.get(location[:end])
            if found is not None:
                return found
        return None

    def validate(
        self,
        model: type[Model],
        error: type[DocumentError],
        data: Any = None,
        prefix: Location = (),
    ) -> Model:
        """``model`` validated from the document's data (or ``data``), every problem reported
        as ``error`` with its line and field; ``prefix`` locates ``data`` in the file."""
        try:
            return model.model_validate(self.data if data is None else data)
        except ValidationError as exc:
            problems: list[tuple[int | None, str, str]] = []
            for item in exc.errors():
                location: Location = (*prefix, *item["loc"])
                field = ".".join(str(part) for part in location) or "(file)"
                problems.append((self.line_of(location), field, describe(item)))
            raise error(str(self.path), problems) from exc


def describe(error: Any) -> str:
    """A pydantic error item as a short sentence a person can act on."""
    if error["type"] == "missing":
        return "is required"
    if error["type"] == "extra_forbidden":
        return "is not a known field (check its spelling)"
    return str(error["msg"]).removeprefix("Value error, ")


def _line_map(node: yaml.Node, path: Location, lines: dict[Location, int], seen: set[int]) -> None:
    if id(node) in seen:  # an alias (*name): its expansion could grow without bound
        raise ValueError(
            f"line {node.start_mark.line + 1}: anchors and aliases (&name, *name) are not "
            "allowed; write the value out"
        )
    seen.add(id(node))
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            lines[(*path, name)] = key.start_mark.line + 1
            _line_map(value, (*path, name), lines, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines, seen)


def read_document(path: Path, error: type[DocumentError]) -> Document:
    """Parse ``path`` as YAML (or JSON); a missing file or bad syntax raises ``error``."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(str(path), [(None, "(file)", "does not exist")]) from None
    except UnicodeDecodeError as exc:
        raise error(str(path), [(None, "(file)", "is not UTF-8 text")]) from exc
    except OSError as exc:  # a directory, no permission, …
        raise error(str(path), [(None, "(file)", f"cannot be read: {exc.strerror}")]) from exc
    try:
        return _parse(path, text, error)
    except RecursionError as exc:
        raise error(str(path), [(None, "(file)", "is nested too deeply")]) from exc


def _parse(path: Path, text: str, error: type[DocumentError]) -> Document:
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise error(str(path), [(exc.lineno, "(syntax)", exc.msg)]) from exc
    lines: dict[Location, int] = {}
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None:
            _line_map(node, (), lines, set())
        if path.suffix.lower() != ".json":
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        if path.suffix.lower() == ".json":  # valid JSON that YAML cannot map: no line numbers
            return Document(path, data, {})
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise error(str(path), [(line, "(syntax)", str(problem))]) from exc
    except (ValueError, TypeError) as exc:  # a date such as 2024-02-30, an alias
        raise error(str(path), [(None, "(value)", str(exc))]) from exc
    return Document(path, data, lines)
