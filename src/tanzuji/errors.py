"""The one error root of tanzuji and the faults the domain core can name.

Errors about a single value (unit, gas, geography, allocation) are also
``ValueError``s, so that pydantic validation reports them with the field they
belong to.

Every error says what went wrong *and* how to put it right, and names the
place (file, row, column, line, field) where the fault lies. Foreign
exceptions (pint, SciPy, pydantic, YAML, openpyxl) never leak out of the
domain core: they are caught at the boundary and re-raised as one of these,
chained with ``raise ... from exc``.
"""

from __future__ import annotations

__all__ = [
    "ActivityDataError",
    "AllocationError",
    "BenchmarkError",
    "Conflict",
    "CredentialError",
    "DocumentError",
    "FactorFileError",
    "FactorNotFound",
    "FactorSetError",
    "FieldError",
    "FormulaError",
    "GapListError",
    "Gone",
    "IllegalTransition",
    "InvalidInput",
    "LabelError",
    "LedgerInconsistent",
    "ModelError",
    "ModelFileError",
    "NotAuthenticated",
    "NotFound",
    "PermissionDenied",
    "PlatformError",
    "RuleFileError",
    "RuleInputError",
    "SingularSystem",
    "StoreError",
    "Tampered",
    "TanzujiError",
    "TooLarge",
    "UnitMismatch",
    "UnknownGas",
    "UnknownGeography",
    "UnknownProduct",
    "UnknownUnit",
]


class TanzujiError(Exception):
    """Root of every error tanzuji raises on purpose."""


class UnknownUnit(TanzujiError, ValueError):
    """A unit symbol that the unit registry does not know."""


class UnitMismatch(TanzujiError, ValueError):
    """Two units that cannot be converted into each other (e.g. kWh and kg)."""


class UnknownGas(TanzujiError, ValueError):
    """A greenhouse gas that the chosen GWP set has no value for."""


class UnknownGeography(TanzujiError, ValueError):
    """A geography code that is neither ISO 3166 nor a known grid region."""


class FactorNotFound(TanzujiError):
    """No emission factor matches an id, or an activity at a geography and year."""


class FactorSetError(TanzujiError, ValueError):
    """A factor set that cannot be formed: no version, or factors a lookup cannot tell apart."""


class FactorFileError(TanzujiError):
    """A factor table (CSV or Excel) with bad cells.

    ``problems`` lists every bad cell found, each as ``(row, column, message)``
    with the 1-based row number as a spreadsheet shows it (0 for the file as a whole).
    """

    def __init__(self, source: str, problems: list[tuple[int, str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s) in the factor table"]
        lines += [
            f"  row {row}, column {column!r}: {message}" if row > 0 else f"  {message}"
            for row, column, message in problems
        ]
        super().__init__("\n".join(lines))


class ModelError(TanzujiError, ValueError):
    """A product model that is inconsistent (stage outside the boundary, bad allocation, …)."""


class AllocationError(ModelError):
    """Co-product allocation that cannot be carried out as stated."""


class UnknownProduct(ModelError):
    """An activity line points to a product that no model in the network provides."""


class FieldError(TanzujiError, ValueError):
    """A value the domain core cannot use; ``field`` names it (``None`` when the whole thing
    is at fault), so that the services can pass it on as :class:`InvalidInput`."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class BenchmarkError(FieldError):
    """A grading benchmark that cannot be formed or used (``thresholds``, ``average``,
    ``fractions``, ``footprints``, ...)."""


class CredentialError(FieldError):
    """A verifiable credential, key, DID or status list that cannot be built or read as one
    (``proof.proofValue``, ``encodedList``, ...)."""


class LabelError(FieldError):
    """Carbon label content that cannot be printed as given (``value``, ``grade``,
    ``valid_until``, ``verification_url``, ...)."""


class DocumentError(TanzujiError):
    """A YAML or JSON document (model, rule, activity data) that cannot be read as one.

    ``problems`` lists each fault as ``(line, field, message)``; ``line`` is
    1-based, or ``None`` where the file gives no position.
    """

    kind = "document"

    def __init__(self, source: str, problems: list[tuple[int | None, str, str]]) -> None:
        self.source = source
        self.problems = problems
        lines = [f"{source}: {len(problems)} problem(s) in the {self.kind}"]
        for line, field, message in problems:
            where = f"line {line}" if line is not None else "(no line)"
            lines.append(f"  {where}, field {field!r}: {message}")
        super().__init__("\n".join(lines))


class ModelFileError(DocumentError):
    """A model file that cannot be read as product models."""

    kind = "model file"


class RuleFileError(DocumentError):
    """A product rule file that breaks its schema or refers to unknown inputs or factors."""

    kind = "rule file"


class GapListError(DocumentError):
    """The list of factor gaps shipped with a factor set that cannot be read."""

    kind = "factor gap list"


class ActivityDataError(DocumentError):
    """An activity data file that cannot be read as activity data."""

    kind = "activity data file"


class FormulaError(TanzujiError, ValueError):
    """A rule's formula that is not allowed, or that fails on the data it is given."""


class RuleInputError(TanzujiError):
    """Activity data that a product rule cannot turn into a footprint; ``problems`` lists all."""

    def __init__(self, rule: str, problems: list[str]) -> None:
        self.rule = rule
        self.problems = problems
        lines = [f"{len(problems)} problem(s) with the activity data under rule {rule}:"]
        super().__init__("\n".join(lines + [f"  {p}" for p in problems]))


class SingularSystem(TanzujiError):
    """A supply-chain network whose equations have no unique solution.

    This happens when products consume each other in a closed loop at a rate of
    one unit or more per unit produced, so that no finite footprint balances
    the loop. ``products`` names the products of the loop.
    """

    def __init__(self, message: str, products: list[str]) -> None:
        self.products = products
        super().__init__(message)


class StoreError(TanzujiError):
    """The database cannot be reached or used (wrong URL, server down, missing driver)."""


class Tampered(TanzujiError):
    """Stored data that no longer matches the hash it was recorded with: someone changed it
    outside tanzuji. Never served as if it were intact."""


class LedgerInconsistent(TanzujiError):
    """A ledger proof, tree head or entry that does not check out: a proof that does not lead
    to the signed root, a bad signature, or an entry whose hash differs from the tree's."""


class PlatformError(TanzujiError):
    """A request the platform refuses; ``code`` is stable for programs, ``field`` names the
    input at fault where there is one."""

    code = "refused"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAuthenticated(PlatformError):
    """No valid session or token: sign in, or send ``Authorization: Bearer <token>``."""

    code = "not_authenticated"


class PermissionDenied(PlatformError):
    """The acting user's role does not allow this."""

    code = "forbidden"


class NotFound(PlatformError):
    """Nothing with this id that the acting user may see (the two are not told apart)."""

    code = "not_found"


class Conflict(PlatformError):
    """The request clashes with what is stored: a duplicate, or a change made meanwhile."""

    code = "conflict"


class Gone(PlatformError):
    """Something that existed and was withdrawn from use: the label of a certificate that is
    suspended, withdrawn or expired."""

    code = "gone"


class IllegalTransition(Conflict):
    """A workflow action that the submission's status does not allow."""

    code = "illegal_transition"


class InvalidInput(PlatformError):
    """Input that breaks a rule of the platform; ``problems`` lists every fault found."""

    code = "invalid"

    def __init__(
        self, message: str, field: str | None = None, problems: list[dict[str, str]] | None = None
    ) -> None:
        super().__init__(message, field)
        self.problems = problems or []


class TooLarge(PlatformError):
    """An upload above the configured size limit."""

    code = "too_large"
