"""The product rules that ship with tanzuji (``data/rules/<category>/<version>.yaml``)."""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

from tanzuji.errors import RuleFileError
from tanzuji.rules.files import load_rule
from tanzuji.rules.rule import Rule

__all__ = ["bundled_rules", "find_rule", "rule_for"]


@cache
def bundled_rules() -> tuple[Rule, ...]:
    """Every shipped rule version, sorted by id and version."""
    root = files("tanzuji") / "data" / "rules"
    rules: list[Rule] = []
    for category in sorted(root.iterdir(), key=lambda entry: entry.name):
        if not category.is_dir():
            continue
        for version in sorted(category.iterdir(), key=lambda entry: entry.name):
            if version.name.endswith(".yaml"):
                with as_file(version) as path:
                    rule = load_rule(path)
                if (rule.id, f"{rule.version}.yaml") != (category.name, version.name):
                    raise RuleFileError(
                        str(path),
                        [(None, "id", f"{rule.key} must live in {rule.id}/{rule.version}.yaml")],
                    )
                rules.append(rule)
    return tuple(sorted(rules, key=lambda rule: (rule.id, rule.version)))


def find_rule(key: str) -> Rule:
    """The rule ``id@version``, or the latest version of ``id``."""
    rule_id, _, version = key.partition("@")
    candidates = [
        r for r in bundled_rules() if r.id == rule_id and (not version or r.version == version)
    ]
    if not candidates:
        known = ", ".join(sorted({r.key for r in bundled_rules()}))
        raise RuleFileError(key, [(None, "rule", f"no such rule; the rules are {known}")])
    return max(candidates, key=lambda r: tuple(int(p) for p in r.version.split(".")))


def rule_for(requested: str, data_rule: str) -> Rule:
    """The rule to apply when ``requested`` (``id`` or ``id@version``) meets data made under
    ``data_rule``: data that names a version keeps it, so a footprint stays reproducible after
    a new version of its rule ships; an explicit ``id@version`` always wins."""
    if "@" not in requested and data_rule.partition("@")[0] == requested and "@" in data_rule:
        return find_rule(data_rule)
    return find_rule(requested)
