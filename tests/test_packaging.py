"""Every data file the package reads is named in pyproject's package-data, so wheels carry it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "tanzuji"


def test_every_data_file_is_packaged() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tanzuji"]
    packaged = {path for pattern in patterns for path in PACKAGE.glob(pattern)}
    data = {
        path
        for folder in ("data", "examples", "schemas")
        for path in (PACKAGE / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert sorted(str(p.relative_to(PACKAGE)) for p in data - packaged) == []
