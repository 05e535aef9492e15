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

from pydantic import BaseModel, ConfigDict, Field

from tanzuji.documents import read_document
from tanzuji.errors import ModelFileError
from tanzuji.model.product import ProductModel

__all__ = ["ModelFile", "json_schema", "load_models"]


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


def _parse(path: Path, chain: set[Path], loaded: set[Path]) -> list[ProductModel]:
    """The models of ``path`` and of the files it includes, each file once.

    ``chain`` holds the files that include this one (a loop is an error);
    ``loaded`` every file read so far (a file two others include is read once).
    """
    resolved = path.resolve()
    if resolved in chain:
        raise ModelFileError(
            str(path), [(None, "include", "includes itself (directly or through other files)")]
        )
    if resolved in loaded:
        return []
    loaded.add(resolved)
    document = read_document(path, ModelFileError)
    single = isinstance(document.data, dict) and "id" in document.data
    if single:
        parsed = ModelFile(products=[document.validate(ProductModel, ModelFileError)])
    elif isinstance(document.data, dict):
        parsed = document.validate(ModelFile, ModelFileError)
    else:
        raise ModelFileError(
            str(path),
            [(1, "(file)", "must be a product (with an id) or a mapping with 'products'")],
        )
    models = list(parsed.products)
    for include in parsed.include:
        models += _parse(path.parent / include, chain | {resolved}, loaded)
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
    return _parse(path, set(), set())


def dump_schema(path: str | Path) -> Path:
    """Write :func:`json_schema` to ``path`` (pretty-printed, UTF-8)."""
    path = Path(path)
    path.write_text(
        json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
