"""Safe, unit-checked formulas over a rule's named inputs.

A product rule computes some amounts from the activity data, e.g. the nitrogen
in the urea applied (``urea * urea_n_content``) or the CO2 from calcining
clinker (``clinker * (cao * 44.01 / 56.08 + mgo * 44.01 / 40.30)``, IPCC 2006
Vol. 3 Eq. 2.4 with the oxides' molar masses). A formula is parsed with
Python's :mod:`ast` and evaluated by walking the tree: only numbers, names of
inputs and constants, ``+ - * / **``, unary minus and the functions ``min``,
``max`` and ``sum`` are allowed. There is no ``eval``, no attribute access,
no subscripting and no other call.

Values are pint quantities, so adding kWh to kg fails, and the result must
convert to the unit the rule states. Every fault raises
:class:`~tanzuji.errors.FormulaError` naming the rule, the formula and the
inputs it used.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pint

from tanzuji import units
from tanzuji.errors import FormulaError
from tanzuji.units import normalize_unit, ureg

__all__ = ["Formula"]

Quantity = Any  # a pint Quantity; pint's own type is generic and not worth spelling here

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], Any]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
}


def _sum(*values: Quantity) -> Quantity:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


_FUNCTIONS: dict[str, Callable[..., Quantity]] = {"min": min, "max": max, "sum": _sum}
RESERVED = frozenset(_FUNCTIONS)
"""Names that cannot be inputs or constants."""
MAX_LENGTH = 500
"""Longest formula, in characters."""
MAX_DEPTH = 40
"""Deepest nesting of a formula's syntax tree."""


@dataclass(frozen=True)
class Formula:
    """An expression such as ``"urea * n_content"`` whose result is in ``unit``.

    ``names`` are the inputs and constants it refers to, found when it is parsed.
    """

    text: str
    unit: str
    names: frozenset[str]
    rule: str = ""
    may_be_negative: bool = False

    @classmethod
    def parse(
        cls, text: str, unit: str, *, rule: str = "", may_be_negative: bool = False
    ) -> Formula:
        """Parse and vet ``text``; raise :class:`FormulaError` for anything not allowed."""
        units.dimensionality(unit)  # UnknownUnit for a unit the registry does not know
        if len(text) > MAX_LENGTH:
            raise FormulaError(
                f"{_where(rule, text[:40] + '…')}: longer than {MAX_LENGTH} characters; split "
                "it into lines or constants"
            )
        try:
            tree = ast.parse(text, mode="eval")
        except (RecursionError, MemoryError) as exc:
            raise FormulaError(f"{_where(rule, text)}: nested too deeply") from exc
        except SyntaxError as exc:
            raise FormulaError(f"{_where(rule, text)}: not a valid expression ({exc.msg})") from exc
        names: set[str] = set()
        called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
        for node in ast.walk(tree):
            _vet(node, names, rule, text, called)
        if _depth(tree.body) > MAX_DEPTH:
            raise FormulaError(f"{_where(rule, text)}: nested more than {MAX_DEPTH} deep")
        return cls(text, unit, frozenset(names), rule, may_be_negative)

    def scales_with(self, name: str, constants: frozenset[str] = frozenset()) -> bool:
        """Whether the formula is ``name`` times or divided by numbers and ``constants`` only,
        so that a relative uncertainty of ``name`` is the formula's too."""
        return _proportional(ast.parse(self.text, mode="eval").body, name, constants)

    def evaluate(self, values: Mapping[str, Quantity]) -> float:
        """The result in :attr:`unit`, from ``values`` (pint quantities by name)."""
        missing = sorted(self.names - set(values))
        if missing:
            raise FormulaError(f"{self._where(values)}: no value for {', '.join(missing)}")
        tree = ast.parse(self.text, mode="eval")
        try:
            result = _evaluate(tree.body, values)
            if not isinstance(result, pint.Quantity):
                result = ureg.Quantity(result, "dimensionless")
            magnitude = float(result.to(normalize_unit(self.unit)).magnitude)
        except ZeroDivisionError as exc:
            raise FormulaError(f"{self._where(values)}: divides by zero") from exc
        except pint.errors.DimensionalityError as exc:
            raise FormulaError(
                f"{self._where(values)}: mixes units that do not fit "
                f"({exc.units1} and {exc.units2}); the result must be in {self.unit}"
            ) from exc
        except (OverflowError, ValueError, TypeError, RecursionError) as exc:
            raise FormulaError(f"{self._where(values)}: {exc}") from exc
        if magnitude != magnitude or magnitude in (float("inf"), float("-inf")):
            raise FormulaError(f"{self._where(values)}: the result is not a finite number")
        if magnitude < 0 and not self.may_be_negative:
            raise FormulaError(
                f"{self._where(values)}: gives {magnitude:g} {self.unit}, which cannot be "
                "negative; check the inputs"
            )
        return magnitude

    def _where(self, values: Mapping[str, Quantity]) -> str:
        used = ", ".join(
            f"{name} = {_show(values[name])}" for name in sorted(self.names) if name in values
        )
        return f"{_where(self.rule, self.text)}" + (f" with {used}" if used else "")


def _proportional(node: ast.expr, name: str, constants: frozenset[str]) -> bool:
    """``node`` is ``name`` multiplied or divided (not as divisor) by constant factors."""
    if isinstance(node, ast.Name):
        return node.id == name

    def constant(part: ast.expr) -> bool:
        return all(
            isinstance(n, ast.Constant | ast.BinOp | ast.operator | ast.Load)
            or (isinstance(n, ast.Name) and n.id in constants)
            for n in ast.walk(part)
        ) and not any(
            isinstance(n, ast.BinOp) and not isinstance(n.op, ast.Mult | ast.Div)
            for n in ast.walk(part)
        )

    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return (_proportional(node.left, name, constants) and constant(node.right)) or (
            constant(node.left) and _proportional(node.right, name, constants)
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _proportional(node.left, name, constants) and constant(node.right)
    return False


def _show(value: Quantity) -> str:
    return f"{value:~P}" if isinstance(value, pint.Quantity) else f"{value:g}"


def _depth(node: ast.AST) -> int:
    children = list(ast.iter_child_nodes(node))
    return 1 + max((_depth(child) for child in children), default=0)


def _where(rule: str, text: str) -> str:
    return f"rule {rule}, formula {text!r}" if rule else f"formula {text!r}"


def _vet(node: ast.AST, names: set[str], rule: str, text: str, called: set[int]) -> None:
    if isinstance(node, ast.Expression | ast.Load | ast.operator | ast.unaryop):
        if isinstance(node, ast.operator) and type(node) not in _BINARY:
            raise FormulaError(
                f"{_where(rule, text)}: the operator {type(node).__name__} is not allowed"
            )
        return
    if isinstance(node, ast.BinOp | ast.UnaryOp):
        if isinstance(node, ast.UnaryOp) and type(node.op) not in _UNARY:
            raise FormulaError(
                f"{_where(rule, text)}: the operator {type(node.op).__name__} is not allowed"
            )
        return
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise FormulaError(
                f"{_where(rule, text)}: only numbers may be written literally, not {node.value!r}"
            )
        return
    if isinstance(node, ast.Name):
        if node.id in _FUNCTIONS and id(node) not in called:
            raise FormulaError(
                f"{_where(rule, text)}: {node.id} is a function; call it, e.g. {node.id}(a, b)"
            )
        if node.id not in _FUNCTIONS:
            names.add(node.id)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            raise FormulaError(f"{_where(rule, text)}: only {', '.join(_FUNCTIONS)} may be called")
        if node.keywords or not node.args:
            raise FormulaError(
                f"{_where(rule, text)}: {node.func.id} takes one or more values, without keywords"
            )
        return
    raise FormulaError(
        f"{_where(rule, text)}: {type(node).__name__} is not allowed in a "
        "formula (numbers, names, + - * / **, min, max, sum only)"
    )


def _evaluate(node: ast.expr, values: Mapping[str, Quantity]) -> Quantity:
    if isinstance(node, ast.Constant):
        # floats overflow to an error where ints would grow without bound; parse() let
        # through only int and float constants
        return float(node.value)  # type: ignore[arg-type]
    if isinstance(node, ast.Name):
        return values[node.id]
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, values), _evaluate(node.right, values))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, values))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return _FUNCTIONS[node.func.id](*(_evaluate(arg, values) for arg in node.args))
    raise FormulaError(f"cannot evaluate {ast.dump(node)}")  # vetted away by parse()
