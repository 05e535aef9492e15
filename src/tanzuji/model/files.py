"""Product model files: YAML or JSON, validated, with errors that point to a line.

A file holds either one product model (a mapping with ``id``) or a network::

    include: [suppliers/fresh-leaf.yaml]   # other model files, relative to this one
    products:
      - id: gz-green-tea
        ...

Its JSON Schema (:func:`json_schema`, published as
``src/tanzuji/schemas/product-model.schema.json``) is generated from the
pydantic models, so editors can check a file as it is typed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tanzuji.errors import ModelFileError, TanzujiError
from tanzuji.model.product import ProductModel

__all__ = ["ModelFile", "json_schema", "load_models"]

Location = tuple[str | int, ...]


class ModelFile(BaseModel):
    """A file of product models: a list of products and the files it includes."""

    model_config = ConfigDict(extra="forbid", title="tanzuji product model file")

    include: list[str] = Field(
        default_factory=list, description="other model files, relative to this one"
    )
    products: list[ProductModel] = Field(default_factory=list)


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a model file: either one :class:`ProductModel` or a :class:`ModelFile`."""
    network = ModelFile.model_json_schema(ref_template="#/$defs/{model}")
    definitions = network.pop("$defs", {})
    definitions["ModelFile"] = network
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://tanzuji.org/schemas/product-model.schema.json",
        "title": "tanzuji product model file (one product or a network)",
        "anyOf": [{"$ref": "#/$defs/ProductModel"}, {"$ref": "#/$defs/ModelFile"}],
        "$defs": definitions,
    }


def _line_map(node: yaml.Node, path: Location, lines: dict[Location, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else str(key.start_mark.line)
            lines[(*path, name)] = key.start_mark.line + 1
            _line_map(value, (*path, name), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines)


def _line_of(lines: dict[Location, int], location: Location) -> int | None:
    for end in range(len(location), -1, -1):
        found = lines.get(location[:end])
        if found is not None:
            return found
    return None


def _read(path: Path) -> tuple[Any, dict[Location, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ModelFileError(str(path), [(None, "(file)", "does not exist")]) from None
    except UnicodeDecodeError as exc:
        raise ModelFileError(str(path), [(None, "(file)", "is not UTF-8 text")]) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ModelFileError(str(path), [(line, "(syntax)", str(problem))]) from exc
    lines: dict[Location, int] = {}
    if node is not None:
        _line_map(node, (), lines)
    return data, lines


def _describe(error: Any) -> str:
    message = str(error["msg"])
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] in ("missing",):
        return "is required"
    if error["type"] == "extra_forbidden":
        return "is not a known field (check its spelling)"
    return message


def _parse(path: Path, seen: set[Path]) -> list[ProductModel]:
    resolved = path.resolve()
    if resolved in seen:
        raise ModelFileError(
            str(path), [(None, "include", "includes itself (directly or through other files)")]
        )
    seen = seen | {resolved}
    data, lines = _read(path)
    single = isinstance(data, dict) and "id" in data
    document = {"products": [data]} if single else data
    if not isinstance(document, dict):
        raise ModelFileError(
            str(path),
            [(1, "(file)", "must be a product (with an id) or a mapping with 'products'")],
        )
    try:
        parsed = ModelFile.model_validate(document)
    except ValidationError as exc:
        problems: list[tuple[int | None, str, str]] = []
        for error in exc.errors():
            location: Location = tuple(error["loc"])
            if single and location[:2] == ("products", 0):
                location = location[2:]
            field = ".".join(str(part) for part in location) or "(file)"
            problems.append((_line_of(lines, location), field, _describe(error)))
        raise ModelFileError(str(path), problems) from exc
    except TanzujiError as exc:
        raise ModelFileError(str(path), [(None, "(model)", str(exc))]) from exc
    models = list(parsed.products)
    for include in parsed.include:
        models += _parse(path.parent / include, seen)
    return models


def load_models(path: str | Path) -> list[ProductModel]:
    """Every product model in a ``.yaml``/``.yml``/``.json`` file and the files it includes.

    The file's own products come first (the first is its main product), then
    those of the included files.

    Raises :class:`~tanzuji.errors.ModelFileError` listing every problem with its
    line and field.
    """
    path = Path(path)
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise ModelFileError(str(path), [(None, "(file)", "use a .yaml, .yml or .json file")])
    return _parse(path, set())


def dump_schema(path: str | Path) -> Path:
    """Write :func:`json_schema` to ``path`` (pretty-printed, UTF-8)."""
    path = Path(path)
    path.write_text(
        json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
