"""Data-sharing grants (数据共享授权): an enterprise lets a data partner (association, research
institute, credit or rating agency, bank) read chosen products' footprints for a period, and
their activity data if it says so. Every read under a grant is logged, and the enterprise
sees the log.

What is shared
    Only *verified* footprints: for each product, the footprint of the current revision of
    its verified submission with the latest reference period. A calculated but unverified
    footprint is the enterprise's own claim and may still change; a bank or rating agency
    deciding on it should wait for the third party's check. (Statuses that later issues add
    after ``verified`` — certified, labelled, published — belong in :data:`SHARED_STATUSES`.)

    The footprint is shared as its disclosed figures: total, fossil, biogenic and land-use
    parts, by stage and by gas, data quality, uncertainty, and the rule, factor set and GWP it
    was computed with, each with its unit. Line-by-line contributions are left out: divided by
    the published factors they give back the activity amounts, which only a grant with
    ``include_activity_data`` shares.

When a grant is in force
    From ``valid_from`` (inclusive) until ``valid_until`` (exclusive), unless revoked.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Permission
from tanzuji.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from tanzuji.services.audit import record
from tanzuji.services.context import Actor, Context
from tanzuji.services.paging import Page, check_window
from tanzuji.services.submissions import SubmissionService
from tanzuji.store.models import (
    Footprint,
    Grant,
    GrantRead,
    Organization,
    Product,
    Revision,
    Submission,
    User,
    grant_products,
)
from tanzuji.workflow import Status

__all__ = [
    "SHARED_STATUSES",
    "GrantState",
    "ReadEntry",
    "SharedActivityData",
    "SharedFootprint",
    "SharingService",
    "grant_state",
    "shared_figures",
]

SHARED_STATUSES = (Status.VERIFIED,)
"""The statuses whose footprints and activity data a grant shares: verified ones only."""

MAX_PRODUCTS = 1000
"""The most products one grant names."""

GrantState = Literal["pending", "active", "expired", "revoked"]

_FIGURES = (
    "product",
    "name_zh",
    "name_en",
    "declared_unit",
    "boundary",
    "total_kgco2e",
    "fossil_kgco2e",
    "biogenic_kgco2e",
    "luc_kgco2e",
    "by_stage",
    "by_gas",
    "primary_data_share",
    "data_quality",
)
_UNCERTAINTY = ("iterations", "mean", "median", "sd", "p2_5", "p97_5")


def grant_state(grant: Grant, now: datetime.datetime) -> GrantState:
    """Where a grant stands at ``now``."""
    if grant.revoked_at is not None:
        return "revoked"
    if now < grant.valid_from:
        return "pending"
    if now >= grant.valid_until:
        return "expired"
    return "active"


def shared_figures(result: dict[str, Any]) -> dict[str, Any]:
    """The part of a stored footprint result a grant shares (see the module's notes): the
    disclosed figures with their units, without line-by-line contributions."""
    figures = {key: result[key] for key in _FIGURES if key in result}
    provenance = result.get("provenance") or {}
    figures["provenance"] = {key: provenance.get(key) for key in ("rule", "factor_set", "gwp")}
    uncertainty = result.get("uncertainty")
    figures["uncertainty"] = (
        {key: uncertainty.get(key) for key in _UNCERTAINTY} if uncertainty else None
    )
    units = dict(result.get("units") or {})
    units.setdefault("kgco2e", f"kgCO2e per {result.get('declared_unit', '')}")
    units["uncertainty"] = units["kgco2e"]
    figures["units"] = units
    return figures


@dataclass(frozen=True)
class SharedFootprint:
    """A product under a grant and its latest verified footprint (``None``: none yet)."""

    grant: Grant
    product: Product
    enterprise: Organization
    submission: Submission | None
    footprint: Footprint | None
    figures: dict[str, Any] | None


@dataclass(frozen=True)
class SharedActivityData:
    """The activity data behind a product's latest verified footprint, read under a grant."""

    grant: Grant
    product: Product
    enterprise: Organization
    submission: Submission
    revision: Revision


@dataclass(frozen=True)
class ReadEntry:
    """One read under one of the enterprise's grants: who, of which partner, what, when."""

    read: GrantRead
    reader: User
    partner: Organization
    product: Product


class SharingService:
    """Grants and the reads made under them, for the acting user of ``context``."""

    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.context = context

    # the enterprise ----------------------------------------------------------------------

    def grant(
        self,
        partner_id: uuid.UUID,
        product_ids: Iterable[uuid.UUID],
        valid_from: datetime.datetime,
        valid_until: datetime.datetime,
        include_activity_data: bool = False,
    ) -> Grant:
        """Let a data partner read the footprints of some of the acting enterprise's products
        from ``valid_from`` until ``valid_until`` (and their activity data if
        ``include_activity_data``)."""
        actor = self._enterprise_admin()
        partner = self.session.get(Organization, partner_id)
        if partner is None:
            raise NotFound(f"no organization {partner_id}", field="partner_id")
        if not partner.kind.is_data_partner:
            raise InvalidInput(
                f"{partner.name_zh} is a {partner.kind.value}, not a data partner: data is "
                "shared with an association, research institute, credit agency, rating agency "
                "or bank",
                field="partner_id",
            )
        products = self._own_products(actor, product_ids)
        for name, value in (("valid_from", valid_from), ("valid_until", valid_until)):
            if value.tzinfo is None:
                raise InvalidInput(f"give {name} with a timezone, e.g. +08:00", field=name)
        valid_from, valid_until = (t.astimezone(datetime.UTC) for t in (valid_from, valid_until))
        if valid_until <= valid_from:
            raise InvalidInput("valid_until must come after valid_from", field="valid_until")
        if valid_until <= self.context.now():
            raise InvalidInput("valid_until is in the past", field="valid_until")
        grant = Grant(
            enterprise_id=actor.organization_id,
            partner_id=partner.id,
            include_activity_data=include_activity_data,
            valid_from=valid_from,
            valid_until=valid_until,
            revoked_at=None,
            created_by=actor.user_id,
            created_at=self.context.now(),
            products=products,
        )
        self.session.add(grant)
        self.session.flush()
        record(
            self.session,
            self.context,
            "grant.create",
            "grant",
            grant.id,
            partner=str(partner.id),
            products=[p.code for p in products],
            valid_from=valid_from.isoformat(),
            valid_until=valid_until.isoformat(),
            include_activity_data=include_activity_data,
        )
        return grant

    def revoke(self, grant_id: uuid.UUID) -> Grant:
        """End one of the acting enterprise's grants now; reads under it stop at once."""
        actor = self._enterprise_admin()
        grant = self.session.get(Grant, grant_id)
        if grant is None or grant.enterprise_id != actor.organization_id:
            raise NotFound(f"no grant {grant_id}", field="grant_id")
        if grant.revoked_at is not None:
            raise Conflict(
                f"the grant was revoked already, at {grant.revoked_at.isoformat()}",
                field="grant_id",
            )
        grant.revoked_at = self.context.now()
        self.session.flush()
        record(
            self.session, self.context, "grant.revoke", "grant", grant.id,
            partner=str(grant.partner_id),
        )  # fmt: skip
        return grant

    def read_log(self, *, limit: int = 50, offset: int = 0) -> Page:
        """Every read made under the acting enterprise's grants, newest first, as
        :class:`ReadEntry` items."""
        actor = self._enterprise_admin()
        check_window(limit, offset)
        query = (
            select(GrantRead, User, Organization, Product)
            .join(Grant, Grant.id == GrantRead.grant_id)
            .join(User, User.id == GrantRead.reader_id)
            .join(Organization, Organization.id == Grant.partner_id)
            .join(Product, Product.id == GrantRead.product_id)
            .where(Grant.enterprise_id == actor.organization_id)
        )
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.execute(
            query.order_by(GrantRead.read_at.desc(), GrantRead.id).limit(limit).offset(offset)
        )
        items = [ReadEntry(*row) for row in rows]
        return Page(items, total, limit, offset)

    # both sides ---------------------------------------------------------------------------

    def grants(self, *, limit: int = 50, offset: int = 0) -> Page:
        """The grants the acting enterprise made, or (for a data partner) the grants made to
        it, newest first."""
        actor = self.context.actor
        if actor is None:
            raise NotAuthenticated("sign in to see data-sharing grants")
        if Permission.GRANT_MANAGE in actor.permissions:
            mine = Grant.enterprise_id == actor.organization_id
        elif Permission.SHARED_READ in actor.permissions:
            mine = Grant.partner_id == actor.organization_id
        else:
            raise PermissionDenied(
                f"a {actor.role.value} may not see data-sharing grants "
                f"({Permission.GRANT_MANAGE.value} or {Permission.SHARED_READ.value})"
            )
        check_window(limit, offset)
        query = select(Grant).where(mine)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        rows = self.session.scalars(
            query.order_by(Grant.created_at.desc(), Grant.id).limit(limit).offset(offset)
        )
        return Page(list(rows), total, limit, offset)

    # the data partner ---------------------------------------------------------------------

    def shared_footprints(
        self, product_id: uuid.UUID | None = None, *, limit: int = 50, offset: int = 0
    ) -> Page:
        """The products shared with the acting data partner by grants in force now, each with
        its latest verified footprint (:class:`SharedFootprint` items, by product code); every
        product served is logged as a read under its grant."""
        actor = self.context.require(Permission.SHARED_READ)
        check_window(limit, offset)
        granted = self._granted(actor)
        if product_id is not None:
            granted = granted.where(Product.id == product_id)
        products = granted.with_only_columns(Product.id).distinct().subquery()
        total = self.session.scalar(select(func.count()).select_from(products)) or 0
        if product_id is not None and total == 0:
            raise NotFound(f"no product {product_id} shared with you", field="product_id")
        page = list(
            self.session.scalars(
                select(Product)
                .where(Product.id.in_(select(products.c.id)))
                .order_by(Product.code, Product.id)
                .limit(limit)
                .offset(offset)
            )
        )
        items = []
        for product in page:
            grant = self._grant_for(actor, product.id, activity_data=False)
            assert grant is not None
            submission = self._latest_verified(product.id)
            footprint = None
            if submission is not None:
                footprint = SubmissionService(self.session, self.context).latest_footprint(
                    submission
                )
            enterprise = self.session.get(Organization, product.organization_id)
            assert enterprise is not None
            items.append(
                SharedFootprint(
                    grant=grant,
                    product=product,
                    enterprise=enterprise,
                    submission=submission,
                    footprint=footprint,
                    figures=shared_figures(footprint.result) if footprint else None,
                )
            )
            self._log(actor, grant, product, "footprint")
        self.session.flush()
        return Page(items, total, limit, offset)

    def shared_activity_data(self, product_id: uuid.UUID) -> SharedActivityData:
        """The activity data behind a shared product's latest verified footprint, if a grant
        in force includes activity data (:class:`PermissionDenied` if the grants in force
        share only footprints); the read is logged."""
        actor = self.context.require(Permission.SHARED_READ)
        if self._grant_for(actor, product_id, activity_data=False) is None:
            raise NotFound(f"no product {product_id} shared with you", field="product_id")
        grant = self._grant_for(actor, product_id, activity_data=True)
        if grant is None:
            raise PermissionDenied(
                "the enterprise shares this product's footprint with you, not its activity "
                "data: ask it for a grant that includes activity data"
            )
        product = self.session.get(Product, product_id)
        assert product is not None
        submission = self._latest_verified(product_id)
        if submission is None:
            raise NotFound(
                f"product {product.code} has no verified activity data yet", field="product_id"
            )
        revision = self.session.scalar(
            select(Revision).where(
                Revision.submission_id == submission.id, Revision.number == submission.revision
            )
        )
        assert revision is not None, "every submission has its current revision"
        enterprise = self.session.get(Organization, product.organization_id)
        assert enterprise is not None
        self._log(actor, grant, product, "activity_data")
        self.session.flush()
        return SharedActivityData(grant, product, enterprise, submission, revision)

    # helpers ------------------------------------------------------------------------------

    def _enterprise_admin(self) -> Actor:
        actor = self.context.require(Permission.GRANT_MANAGE)
        if actor.organization_kind is not OrganizationKind.ENTERPRISE:
            raise PermissionDenied("only an enterprise shares its data")
        return actor

    def _own_products(self, actor: Actor, product_ids: Iterable[uuid.UUID]) -> list[Product]:
        wanted = list(dict.fromkeys(product_ids))
        if not wanted:
            raise InvalidInput("name at least one product to share", field="product_ids")
        if len(wanted) > MAX_PRODUCTS:
            raise InvalidInput(
                f"a grant names at most {MAX_PRODUCTS} products; make several",
                field="product_ids",
            )
        found = {
            p.id: p
            for p in self.session.scalars(
                select(Product).where(
                    Product.id.in_(wanted), Product.organization_id == actor.organization_id
                )
            )
        }
        missing = [str(i) for i in wanted if i not in found]
        if missing:
            raise NotFound(f"no product {', '.join(missing)}", field="product_ids")
        return [found[i] for i in wanted]

    def _granted(self, actor: Actor) -> Select[Grant, Product]:
        """(grant, product) pairs of the grants to the actor's organization in force now."""
        now = self.context.now()
        return (
            select(Grant, Product)
            .join(grant_products, grant_products.c.grant_id == Grant.id)
            .join(Product, Product.id == grant_products.c.product_id)
            .where(
                Grant.partner_id == actor.organization_id,
                Grant.revoked_at.is_(None),
                Grant.valid_from <= now,
                Grant.valid_until > now,
                Product.organization_id == Grant.enterprise_id,
            )
        )

    def _grant_for(
        self, actor: Actor, product_id: uuid.UUID, *, activity_data: bool
    ) -> Grant | None:
        """The newest grant in force sharing the product (with its activity data, if asked)."""
        query = self._granted(actor).where(Product.id == product_id)
        if activity_data:
            query = query.where(Grant.include_activity_data.is_(True))
        found = self.session.scalars(
            query.with_only_columns(Grant).order_by(Grant.created_at.desc(), Grant.id).limit(1)
        )
        return found.first()

    def _latest_verified(self, product_id: uuid.UUID) -> Submission | None:
        query = (
            select(Submission)
            .where(Submission.product_id == product_id, Submission.status.in_(SHARED_STATUSES))
            .order_by(Submission.period_end.desc(), Submission.updated_at.desc())
        )
        return self.session.scalars(query.limit(1)).first()

    def _log(self, actor: Actor, grant: Grant, product: Product, what: str) -> None:
        self.session.add(
            GrantRead(
                grant_id=grant.id,
                reader_id=actor.user_id,
                product_id=product.id,
                what=what,
                read_at=self.context.now(),
            )
        )
