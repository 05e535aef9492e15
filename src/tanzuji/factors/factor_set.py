"""A versioned, immutable collection of emission factors and its lookups."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tanzuji.errors import FactorNotFound, FactorSetError
from tanzuji.factors.factor import EmissionFactor
from tanzuji.geography import fallback_chain

__all__ = ["FactorMatch", "FactorSet"]


@dataclass(frozen=True)
class FactorMatch:
    """The factor a lookup by activity found, and how it got there.

    ``tried`` lists the geographies looked at before ``matched_geography``;
    ``fell_back`` is true when the factor is not for the geography asked for.
    """

    factor: EmissionFactor
    requested_geography: str
    matched_geography: str
    year: int | None
    tried: tuple[str, ...]

    @property
    def fell_back(self) -> bool:
        return self.matched_geography != self.requested_geography

    def explain(self) -> str:
        """One sentence for reports, e.g. 'no factor for CN-GZ; used CN (ELEC-…)'."""
        if not self.fell_back:
            return f"{self.factor.id} for {self.matched_geography}"
        return (
            f"no factor for {', '.join(self.tried)}; fell back to "
            f"{self.matched_geography} ({self.factor.id})"
        )


class FactorSet:
    """An immutable, versioned set of emission factors, e.g. ``GZ-2026.1``.

    Look a factor up by its id (``factor_set["ELEC-GZ-2023"]``) or by what it
    is for (:meth:`find`), where the geography falls back from province to
    grid region to country to the world.
    """

    def __init__(self, version: str, factors: Iterable[EmissionFactor], title: str = "") -> None:
        if not version.strip():
            raise FactorSetError("a factor set needs a version, e.g. 'GZ-2026.1'")
        self.version = version
        self.title = title or version
        by_id: dict[str, EmissionFactor] = {}
        for factor in factors:
            if factor.id in by_id:
                raise FactorSetError(f"factor id {factor.id!r} appears twice in set {version}")
            by_id[factor.id] = factor
        self._by_id = by_id
        self._by_activity: dict[tuple[str, str], list[EmissionFactor]] = {}
        for factor in by_id.values():
            same_place = self._by_activity.setdefault((factor.activity, factor.geography), [])
            for other in same_place:
                if _overlap(factor, other):
                    raise FactorSetError(
                        f"factors {other.id!r} and {factor.id!r} are both for "
                        f"{factor.activity!r} in {factor.geography} with reference year "
                        f"{factor.reference_year} and overlapping validity: a lookup could not "
                        f"choose; give them different years, validity or activities"
                    )
            same_place.append(factor)

    def __repr__(self) -> str:
        return f"FactorSet({self.version!r}, {len(self)} factors)"

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[EmissionFactor]:
        return iter(self._by_id.values())

    def __contains__(self, factor_id: object) -> bool:
        return factor_id in self._by_id

    def __getitem__(self, factor_id: str) -> EmissionFactor:
        try:
            return self._by_id[factor_id]
        except KeyError:
            raise FactorNotFound(
                f"no factor {factor_id!r} in factor set {self.version}; "
                f"'tanzuji factors search' lists the factors it has"
            ) from None

    def activities(self) -> list[str]:
        """Every activity the set has a factor for, sorted."""
        return sorted({activity for activity, _ in self._by_activity})

    def search(self, text: str) -> list[EmissionFactor]:
        """Factors whose id, activity or names contain ``text`` (case-insensitive)."""
        needle = text.casefold()
        return [
            f
            for f in self
            if any(needle in field.casefold() for field in (f.id, f.activity, f.name_zh, f.name_en))
        ]

    def find(self, activity: str, geography: str, year: int | None = None) -> FactorMatch:
        """The best factor for ``activity`` in ``geography`` and ``year``.

        Geographies are tried in :func:`tanzuji.geography.fallback_chain` order.
        At the first geography with a factor valid in ``year``, the one whose
        reference year is the latest not after ``year`` wins (or, failing
        that, the earliest after it); without a year, the latest.
        """
        chain = fallback_chain(geography)
        for position, place in enumerate(chain):
            candidates = [
                f
                for f in self._by_activity.get((activity, place), [])
                if year is None or f.valid_in(year)
            ]
            if candidates:
                return FactorMatch(
                    _closest(candidates, year), geography, place, year, chain[:position]
                )
        known = [a for a in self.activities() if activity in a or a in activity]
        hint = f"; did you mean {', '.join(known)}?" if known else ""
        in_year = f" valid in {year}" if year is not None else ""
        raise FactorNotFound(
            f"no factor for activity {activity!r}{in_year} in {' → '.join(chain)} "
            f"(factor set {self.version}){hint}"
        )


def _overlap(a: EmissionFactor, b: EmissionFactor) -> bool:
    """Whether two factors for one activity and place would tie in a lookup."""
    if a.reference_year != b.reference_year:
        return False
    start_a, start_b = a.valid_from or 0, b.valid_from or 0
    end_a, end_b = a.valid_to or 9999, b.valid_to or 9999
    return start_a <= end_b and start_b <= end_a


def _closest(candidates: list[EmissionFactor], year: int | None) -> EmissionFactor:
    def reference(f: EmissionFactor) -> int:
        return f.reference_year or 0

    if year is None:
        return max(candidates, key=reference)
    earlier = [f for f in candidates if reference(f) <= year]
    if earlier:
        return max(earlier, key=reference)
    return min(candidates, key=reference)
