"""Model files: YAML and JSON, includes, errors that point to the line, the JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from tanzuji.errors import ModelFileError
from tanzuji.model import json_schema, load_models

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "green_tea.yaml"
SCHEMA = ROOT / "src" / "tanzuji" / "schemas" / "product-model.schema.json"

LEAF = """\
id: fresh-leaf
name_zh: 鲜叶
name_en: fresh tea leaf
declared_unit: 1 kg fresh leaf
reference_output: {amount: 200000, unit: kg}
reference_period: {start: 2025-01-01, end: 2025-12-31}
boundary: cradle-to-gate
geography: CN-GZ
stages:
  raw_material_acquisition:
    - {name: diesel, amount: 2.4, unit: t, factor: FUEL-DIESEL}
"""


def test_the_example_loads() -> None:
    (model,) = load_models(EXAMPLE)
    assert model.id == "gz-green-tea"
    assert len(list(model.lines())) == 15


def test_a_network_with_includes(tmp_path: Path) -> None:
    (tmp_path / "leaf.yaml").write_text(LEAF, encoding="utf-8")
    tea = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    tea["stages"]["raw_material_acquisition"] = [
        {"name": "fresh leaf", "amount": 225, "unit": "t", "product": "fresh-leaf"}
    ]
    (tmp_path / "tea.json").write_text(
        json.dumps({"include": ["leaf.yaml"], "products": [tea]}, default=str), encoding="utf-8"
    )
    models = load_models(tmp_path / "tea.json")
    assert [m.id for m in models] == ["gz-green-tea", "fresh-leaf"]


def test_errors_name_line_and_field(tmp_path: Path) -> None:
    broken = LEAF.replace("amount: 2.4, unit: t", "amount: -2.4, unit: tonnez").replace(
        "boundary: cradle-to-gate", "boundary: cradle-to-moon"
    )
    path = tmp_path / "leaf.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ModelFileError) as caught:
        load_models(path)
    problems = {(line, field) for line, field, _ in caught.value.problems}
    assert problems == {
        (7, "boundary"),
        (11, "stages.raw_material_acquisition.0.amount"),
        (11, "stages.raw_material_acquisition.0.unit"),
    }
    assert "unknown unit 'tonnez'" in str(caught.value)
    assert str(path) in str(caught.value)


def test_misspelt_field(tmp_path: Path) -> None:
    path = tmp_path / "leaf.yaml"
    path.write_text(LEAF.replace("geography:", "geograhpy:"), encoding="utf-8")
    with pytest.raises(ModelFileError) as caught:
        load_models(path)
    assert set(caught.value.problems) == {
        (8, "geograhpy", "is not a known field (check its spelling)"),
        (1, "geography", "is required"),  # missing: the enclosing mapping's line
    }


def test_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nstages: [\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"line \d+, field '\(syntax\)'"):
        load_models(path)


def test_include_loop(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("include: [b.yaml]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("include: [a.yaml]\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match="includes itself"):
        load_models(tmp_path / "a.yaml")


def test_wrong_suffix(tmp_path: Path) -> None:
    with pytest.raises(ModelFileError, match=r"use a \.yaml, \.yml or \.json file"):
        load_models(tmp_path / "model.txt")


class TestSchema:
    def test_published_schema_is_up_to_date(self) -> None:
        published = json.loads(SCHEMA.read_text(encoding="utf-8"))
        assert published == json_schema(), "run 'make schema' and commit the result"

    def test_the_example_validates_against_it(self) -> None:
        example = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
        jsonschema.validate(example, json_schema())

    def test_it_rejects_a_bad_boundary(self) -> None:
        example = json.loads(json.dumps(yaml.safe_load(EXAMPLE.read_text()), default=str))
        example["boundary"] = "cradle-to-moon"
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(example, json_schema())


def test_aliases_are_refused(tmp_path: Path) -> None:
    """A few hundred bytes of nested aliases would expand to millions of entries."""
    path = tmp_path / "bomb.yaml"
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"anchors and aliases \(&name, \*name\) are not"):
        load_models(path)


def test_a_directory_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "models.yaml").mkdir()
    with pytest.raises(ModelFileError, match="cannot be read"):
        load_models(tmp_path / "models.yaml")
