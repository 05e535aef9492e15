"""Product category rules: rules as data, safe formulas, checking and building models."""

from tanzuji.rules.apply import (
    ActivityData,
    InputValue,
    Problem,
    account,
    build,
    check,
    checked_model,
    cut_off_problems,
)
from tanzuji.rules.bundled import bundled_rules, find_rule, rule_for
from tanzuji.rules.files import load_activity_data, load_rule
from tanzuji.rules.formula import Formula
from tanzuji.rules.rule import Constant, CutOffRule, Rule, RuleInput, RuleLine, SectorStandard

__all__ = [
    "ActivityData",
    "Constant",
    "CutOffRule",
    "Formula",
    "InputValue",
    "Problem",
    "Rule",
    "RuleInput",
    "RuleLine",
    "SectorStandard",
    "account",
    "build",
    "bundled_rules",
    "check",
    "checked_model",
    "cut_off_problems",
    "find_rule",
    "load_activity_data",
    "load_rule",
    "rule_for",
]
