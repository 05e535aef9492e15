"""The factor database: published versions, proposed changes and publishing.

A published version is kept whole in the database (its CSV table and SHA-256) and never
changes, so every footprint can be recomputed with the version it used. Changes come as
proposals (add, replace or retire one factor, with its source) from the regulator or a research
institute it authorized; before the regulator publishes them as a new version, an impact report
(:mod:`tanzuji.services.factor_impact`) recomputes every stored footprint with the candidate set
in one batch of the engine and shows what would change. Publishing changes no footprint: each
keeps the version it was computed with, and new calculations use the newest version.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import (
    Conflict,
    FactorFileError,
    FactorSetError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
)
from tanzuji.factors import (
    EmissionFactor,
    FactorSet,
    bundled_factor_set,
    bundled_versions,
    factor_csv,
)
from tanzuji.factors.tables import parse_factor_csv
from tanzuji.ledger.events import EventKind
from tanzuji.services.audit import record
from tanzuji.services.context import Actor, Context
from tanzuji.services.factor_impact import ImpactReport, impact_report
from tanzuji.services.ledger import LedgerService
from tanzuji.services.ledger_events import factor_set_published
from tanzuji.services.paging import Page, check_window
from tanzuji.services.versions import check_new_version
from tanzuji.store.models import FactorProposal, FactorSetVersion, Organization

__all__ = ["CHANGES", "FactorSetService"]

CHANGES = ("add", "replace", "retire")
"""What a proposal may do to one factor."""
_STATUSES = ("open", "rejected", "published")
_MAX_ID = 64  # the width of FactorProposal.factor_id


@lru_cache(maxsize=16)
def _parsed(version: str, sha256: str, table: str) -> FactorSet:
    """A stored version as a :class:`FactorSet` (cached: published versions never change)."""
    del sha256  # part of the cache key only
    return FactorSet(version, parse_factor_csv(table, f"factor set {version}"))


@lru_cache(maxsize=16)
def _rows(version: str, sha256: str, table: str) -> tuple[dict[str, str], ...]:
    """The rows of a stored version's table, column → text (cached like :func:`_parsed`)."""
    del version, sha256
    return tuple(dict(row) for row in csv.DictReader(io.StringIO(table)))


def _row_factor(row: Mapping[str, str], field: str = "factor") -> EmissionFactor:
    """The factor of one table row, checked by the table parser itself; every bad cell is
    named by its column (``factor.<column>``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(row))
    writer.writerow(list(row.values()))
    try:
        (factor,) = parse_factor_csv(buffer.getvalue(), "the proposed factor")
    except FactorFileError as exc:
        problems = [
            {"field": f"{field}.{column}", "message": message}
            for _, column, message in exc.problems
        ]
        first = problems[0]
        raise InvalidInput(
            f"{first['field']}: {first['message']}", field=first["field"], problems=problems
        ) from exc
    return factor


def _canonical_row(factor: EmissionFactor) -> dict[str, str]:
    """The factor as the published table will hold it (column → text, empty cells left out)."""
    (row,) = csv.DictReader(io.StringIO(factor_csv([factor])))
    return {column: text for column, text in row.items() if text}


def _text_row(factor_id: str, row: Mapping[str, Any]) -> dict[str, str]:
    """A row as entered (numbers allowed), as text; the id defaults to ``factor_id``."""
    cells: dict[str, str] = {}
    for column, value in row.items():
        if not isinstance(column, str) or not column.strip():
            raise InvalidInput("every column of the factor row needs a name", field="factor")
        if isinstance(value, bool) or not isinstance(value, str | int | float | None):
            raise InvalidInput(
                f"give {column} as text or a number", field=f"factor.{column.strip()}"
            )
        cells[column.strip()] = "" if value is None else str(value).strip()
    given = cells.get("id", "")
    if given and given != factor_id:
        raise InvalidInput(
            f"the row is for factor {given!r}, but the proposal names {factor_id!r}",
            field="factor.id",
        )
    return {"id": factor_id, **{k: v for k, v in cells.items() if k != "id"}}


class FactorSetService:
    """Factor set versions and proposed changes to them, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    # published versions (public) ----------------------------------------------------------

    def register_bundled(self) -> list[str]:
        """Store every bundled version not stored yet (on first start); the versions added."""
        added = []
        for version in bundled_versions():
            if self.session.get(FactorSetVersion, version) is not None:
                continue
            factors = bundled_factor_set(version)
            table = factor_csv(factors)
            stored = FactorSetVersion(
                version=version,
                title=factors.title,
                based_on=None,
                table=table,
                sha256=hashlib.sha256(table.encode("utf-8")).hexdigest(),
                factor_count=len(factors),
                published_at=self.context.now(),
                published_by=None,
            )
            self.session.add(stored)
            LedgerService(self.session, self.context).record(
                EventKind.FACTOR_SET_PUBLISHED, factor_set_published(stored)
            )
            record(self.session, self.context, "factor_set.register", "factor_set", version)
            added.append(version)
        self.session.flush()
        return added

    def latest(self) -> FactorSetVersion:
        """The most recently published version: the one new footprints use."""
        query = select(FactorSetVersion).order_by(FactorSetVersion.published_at.desc())
        found = self.session.scalars(query.limit(1)).first()
        if found is None:
            raise NotFound("no factor set is published yet: run 'tanzuji db upgrade'")
        return found

    def factor_set(self, version: str) -> FactorSet:
        """The published version ``version`` as a :class:`FactorSet`."""
        stored = self.get(version)
        return _parsed(stored.version, stored.sha256, stored.table)

    def versions(self) -> list[FactorSetVersion]:
        """Every published version, newest first."""
        query = select(FactorSetVersion).order_by(FactorSetVersion.published_at.desc())
        return list(self.session.scalars(query))

    def get(self, version: str) -> FactorSetVersion:
        """The stored version ``version`` (metadata and whole table)."""
        stored = self.session.get(FactorSetVersion, version)
        if stored is None:
            raise NotFound(f"no factor set {version}", field="factor_set_version")
        return stored

    def rows(self, version: str, *, limit: int = 100, offset: int = 0) -> Page:
        """A page of the version's table rows (column → text, as in its CSV)."""
        check_window(limit, offset)
        stored = self.get(version)
        rows = _rows(stored.version, stored.sha256, stored.table)
        return Page([dict(row) for row in rows[offset : offset + limit]], len(rows), limit, offset)

    # proposals ----------------------------------------------------------------------------

    def propose(
        self,
        change: str,
        factor_id: str,
        factor_row: Mapping[str, Any] | None,
        reason: str,
    ) -> FactorProposal:
        """Propose adding, replacing or retiring one factor of the latest version, with the
        reason; an added or replacing row carries its ``source`` like every table row."""
        actor = self._proposer()
        if change not in CHANGES:
            raise InvalidInput(f"change is one of {', '.join(CHANGES)}", field="change")
        factor_id = factor_id.strip()
        if not factor_id or len(factor_id) > _MAX_ID:
            raise InvalidInput(f"name the factor (at most {_MAX_ID} characters)", field="factor_id")
        if not reason.strip():
            raise InvalidInput("say why the factor should change", field="reason")
        base = self.factor_set(self.latest().version)
        if change == "add" and factor_id in base:
            raise InvalidInput(
                f"factor set {base.version} has {factor_id} already: propose a replacement",
                field="factor_id",
            )
        if change != "add" and factor_id not in base:
            raise InvalidInput(f"factor set {base.version} has no {factor_id}", field="factor_id")
        row: dict[str, str] | None = None
        if change == "retire":
            if factor_row:
                raise InvalidInput(
                    "a retirement names the factor only: leave out the row", "factor"
                )
        else:
            if not factor_row:
                raise InvalidInput(f"an {change} needs the factor's table row", field="factor")
            factor = _row_factor(_text_row(factor_id, factor_row))
            row = _canonical_row(factor)
        proposal = FactorProposal(
            change=change,
            factor_id=factor_id,
            factor=row,
            reason=reason.strip(),
            proposed_by=actor.user_id,
            organization_id=actor.organization_id,
            proposed_at=self.context.now(),
            status="open",
            published_in=None,
        )
        _candidate(base, [proposal], "factor", base.version)  # the set it makes must hold
        self.session.add(proposal)
        self.session.flush()
        record(
            self.session,
            self.context,
            "factor.propose",
            "factor_proposal",
            proposal.id,
            change=change,
            factor_id=factor_id,
            base=base.version,
            reason=proposal.reason,
        )
        return proposal

    def proposals(self, status: str | None = None, *, limit: int = 50, offset: int = 0) -> Page:
        """Proposals, newest first: all for the regulator, a research institute's own for it."""
        actor = self._actor()
        check_window(limit, offset)
        query = select(FactorProposal)
        if not {Permission.FACTOR_PUBLISH, Permission.OVERSIGHT_READ} & actor.permissions:
            if actor.organization_kind is not OrganizationKind.RESEARCH_INSTITUTE:
                raise PermissionDenied(
                    "only the regulator and research institutes see factor proposals"
                )
            query = query.where(FactorProposal.organization_id == actor.organization_id)
        if status is not None:
            if status not in _STATUSES:
                raise InvalidInput(f"status is one of {', '.join(_STATUSES)}", field="status")
            query = query.where(FactorProposal.status == status)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        found = self.session.scalars(
            query.order_by(FactorProposal.proposed_at.desc(), FactorProposal.id)
            .limit(limit)
            .offset(offset)
        )
        return Page(list(found), total, limit, offset)

    def reject(self, proposal_id: uuid.UUID, reason: str) -> FactorProposal:
        """The regulator turns an open proposal down, saying why (kept with the proposal and in
        the audit log)."""
        self.context.require(Permission.FACTOR_PUBLISH)
        proposal = self.session.get(FactorProposal, proposal_id)
        if proposal is None:
            raise NotFound(f"no factor proposal {proposal_id}", field="proposal_id")
        if proposal.status != "open":
            raise Conflict(f"the proposal is {proposal.status} already", field="proposal_id")
        if not reason.strip():
            raise InvalidInput("say why the proposal is rejected", field="reason")
        self._decide([proposal], "rejected", field="proposal_id", reason=reason.strip())
        record(
            self.session,
            self.context,
            "factor.reject",
            "factor_proposal",
            proposal.id,
            factor_id=proposal.factor_id,
            reason=reason.strip(),
        )
        return proposal

    # impact and publishing ----------------------------------------------------------------

    def impact(self, proposal_ids: Sequence[uuid.UUID]) -> ImpactReport:
        """Every stored footprint (the newest of each submission's current revision)
        recomputed with the latest version plus ``proposal_ids``, in one engine batch."""
        actor = self._actor()
        if not {Permission.FACTOR_PUBLISH, Permission.OVERSIGHT_READ} & actor.permissions:
            self.context.require(Permission.FACTOR_PUBLISH)
        base = self.factor_set(self.latest().version)
        proposals = self._open_proposals(proposal_ids)
        candidate = _candidate(base, proposals, "proposal_ids", f"{base.version}+{len(proposals)}")
        return impact_report(self.session, self.context, base, proposals, candidate)

    def publish(
        self, version: str, title: str, proposal_ids: Sequence[uuid.UUID]
    ) -> FactorSetVersion:
        """Publish the latest version with ``proposal_ids`` applied as ``version``: stored whole,
        never changed afterwards; stored footprints keep the version they used."""
        actor = self.context.require(Permission.FACTOR_PUBLISH)
        title = check_new_version(
            version,
            title,
            [*bundled_versions(), *(v.version for v in self.versions())],
            what="factor set",
            example="GZ-2026.2",
        )
        latest = self.latest()
        if self.context.now() <= latest.published_at:
            raise Conflict(
                f"{latest.version} was published at {latest.published_at.isoformat()}, not "
                "before now: check the server's clock",
                field="version",
            )
        base = self.factor_set(latest.version)
        proposals = self._open_proposals(proposal_ids)
        factors = _candidate(base, proposals, "proposal_ids", version)
        table = factor_csv(factors)
        stored = FactorSetVersion(
            version=version,
            title=title,
            based_on=base.version,
            table=table,
            sha256=hashlib.sha256(table.encode("utf-8")).hexdigest(),
            factor_count=len(factors),
            published_at=self.context.now(),
            published_by=actor.user_id,
        )
        try:
            with self.session.begin_nested():
                self.session.add(stored)
                self.session.flush()
                self._decide(proposals, "published", version)
        except IntegrityError as exc:
            raise Conflict(f"factor set {version} exists already", field="version") from exc
        LedgerService(self.session, self.context).record(
            EventKind.FACTOR_SET_PUBLISHED, factor_set_published(stored)
        )
        record(
            self.session,
            self.context,
            "factor_set.publish",
            "factor_set",
            version,
            based_on=base.version,
            sha256=stored.sha256,
            factors=stored.factor_count,
            proposals=[str(p.id) for p in proposals],
        )
        return stored

    # helpers ------------------------------------------------------------------------------

    def _actor(self) -> Actor:
        if self.context.actor is None:
            raise NotAuthenticated("sign in to work on factor sets")
        return self.context.actor

    def _proposer(self) -> Actor:
        """The regulator, or a member of a research institute the regulator authorized."""
        actor = self._actor()
        if Permission.FACTOR_PROPOSE in actor.permissions:
            return actor
        organization = self.session.get(Organization, actor.organization_id)
        authorized = (
            organization is not None
            and organization.kind is OrganizationKind.RESEARCH_INSTITUTE
            and organization.may_propose_factors
        )
        if not authorized:
            raise PermissionDenied(
                "only the regulator or a research institute it authorized proposes factor changes"
            )
        if actor.via_token:  # no token scope can carry factor:propose for a data partner
            raise PermissionDenied("a research institute proposes factor changes signed in")
        return actor

    def _open_proposals(self, proposal_ids: Sequence[uuid.UUID]) -> list[FactorProposal]:
        if not proposal_ids:
            raise InvalidInput("name at least one open proposal", field="proposal_ids")
        if len(set(proposal_ids)) != len(proposal_ids):
            raise InvalidInput("a proposal is named twice", field="proposal_ids")
        found = {
            p.id: p
            for p in self.session.scalars(
                select(FactorProposal).where(FactorProposal.id.in_(list(proposal_ids)))
            )
        }
        proposals = []
        for proposal_id in proposal_ids:
            proposal = found.get(proposal_id)
            if proposal is None:
                raise NotFound(f"no factor proposal {proposal_id}", field="proposal_ids")
            if proposal.status != "open":
                where = f" in {proposal.published_in}" if proposal.published_in else ""
                raise Conflict(
                    f"proposal {proposal_id} is {proposal.status}{where}; only open proposals "
                    "are weighed and published",
                    field="proposal_ids",
                )
            proposals.append(proposal)
        return proposals

    def _decide(
        self,
        proposals: Sequence[FactorProposal],
        status: str,
        version: str | None = None,
        field: str = "proposal_ids",
        reason: str = "",
    ) -> None:
        """Move open ``proposals`` to ``status`` in one guarded update, so that two decisions
        made at once cannot both land (the second finds a proposal no longer open)."""
        done = self.session.execute(
            update(FactorProposal)
            .where(
                FactorProposal.id.in_([p.id for p in proposals]), FactorProposal.status == "open"
            )
            .values(
                status=status,
                published_in=version,
                decided_by=self._actor().user_id,
                decided_at=self.context.now(),
                decision_reason=reason,
            )
        )
        if cast("CursorResult[Any]", done).rowcount != len(proposals):
            for proposal in proposals:
                self.session.expire(proposal)
            raise Conflict(
                "a proposal was decided by someone else meanwhile: reload the proposals",
                field=field,
            )


def _candidate(
    base: FactorSet, proposals: Iterable[FactorProposal], field: str, version: str
) -> FactorSet:
    """``base`` with ``proposals`` applied (replacements in place, additions at the end) as
    ``version``; :class:`InvalidInput` naming ``field`` if they do not fit ``base`` or each
    other."""
    changes: dict[str, FactorProposal] = {}
    for proposal in proposals:
        other = changes.get(proposal.factor_id)
        if other is not None:
            raise InvalidInput(
                f"proposals {other.id} and {proposal.id} both change {proposal.factor_id}: "
                "choose one",
                field=field,
            )
        present = proposal.factor_id in base
        if present == (proposal.change == "add"):
            state = "has" if present else "has no"
            raise InvalidInput(
                f"proposal {proposal.id} ({proposal.change} {proposal.factor_id}) no longer fits: "
                f"factor set {base.version} {state} {proposal.factor_id}",
                field=field,
            )
        changes[proposal.factor_id] = proposal

    def new(proposal: FactorProposal) -> EmissionFactor:
        assert proposal.factor is not None, "an add or replace carries its row"
        return _row_factor(proposal.factor, field)

    factors = [
        new(changes[f.id]) if f.id in changes else f
        for f in base
        if f.id not in changes or changes[f.id].change != "retire"
    ]
    factors += [new(p) for p in changes.values() if p.change == "add"]
    try:
        return FactorSet(version, factors)
    except FactorSetError as exc:
        raise InvalidInput(str(exc), field=field) from exc
