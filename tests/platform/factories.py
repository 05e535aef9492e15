"""Test data for the platform: organizations of every kind, one user per role, and the
context each acts in. Rows are made directly (one password hash for all), not through the
services, so that a test of one use case does not depend on another."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from functools import cache

from argon2 import PasswordHasher
from sqlalchemy.orm import Session

from tanzuji.access import PERMISSIONS, OrganizationKind, Role
from tanzuji.services.context import Actor, Context
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.store.models import Membership, Organization, Product, User
from tanzuji.uscc import check_character

PASSWORD = "guizhou-tea-2025"
NOW = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC)


@cache
def password_hash() -> str:
    """The test users' password as argon2id with the cheapest parameters: verification reads
    the parameters from the hash, so signing in stays the real code path, only faster."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)


def uscc(serial: int) -> str:
    """A valid (check character and all) but made-up code for Guizhou (520000)."""
    first17 = f"91520000MA{serial:07d}"
    return first17 + check_character(first17)


@dataclass
class Clock:
    """A clock the test moves by hand."""

    now: datetime.datetime = NOW

    def __call__(self) -> datetime.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += datetime.timedelta(**delta)


@dataclass
class World:
    """A small province: the regulator, two enterprises, two verifiers, a certification body,
    a bank and a buyer."""

    session: Session
    clock: Clock
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    memberships: dict[str, Membership] = field(default_factory=dict)

    def organization(
        self, key: str, kind: OrganizationKind, name: str, **columns: object
    ) -> Organization:
        organization = Organization(
            kind=kind, name_zh=name, name_en="", county="仁怀市", industry="", created_at=NOW,
            **columns,
        )  # fmt: skip
        self.session.add(organization)
        self.session.flush()
        self.organizations[key] = organization
        return organization

    def member(self, key: str, organization: str, role: Role) -> Membership:
        user = User(
            email=f"{key}@example.cn",
            display_name=key,
            password_hash=password_hash(),
            locale="zh",
            active=True,
            created_at=NOW,
        )
        self.session.add(user)
        self.session.flush()
        membership = Membership(
            user_id=user.id, organization_id=self.organizations[organization].id, role=role
        )
        self.session.add(membership)
        self.session.flush()
        self.users[key], self.memberships[key] = user, membership
        return membership

    def context(self, key: str) -> Context:
        """The context of the user ``key`` signed in."""
        membership = self.memberships[key]
        organization = self.session.get(Organization, membership.organization_id)
        assert organization is not None
        actor = Actor(
            user_id=membership.user_id,
            organization_id=membership.organization_id,
            organization_kind=organization.kind,
            role=membership.role,
            permissions=PERMISSIONS[membership.role],
        )
        return Context(actor, self.clock)

    def product(self, organization: str, code: str, rule_id: str) -> Product:
        product = Product(
            organization_id=self.organizations[organization].id,
            code=code,
            name_zh=code,
            name_en=code,
            rule_id=rule_id,
            public=False,
            created_at=NOW,
        )
        self.session.add(product)
        self.session.flush()
        return product


def make_world(session: Session) -> World:
    """The province every platform test starts from (rolled back after each test)."""
    world = World(session, Clock())
    world.organization("regulator", OrganizationKind.REGULATOR, "贵州省生态环境厅（示例）")
    world.organization("tea", OrganizationKind.ENTERPRISE, "示例茶业", uscc=uscc(1))
    world.organization("coal", OrganizationKind.ENTERPRISE, "示例煤业", uscc=uscc(2))
    world.organization("verifier", OrganizationKind.VERIFIER, "示例核查机构", uscc=uscc(3))
    world.organization("verifier2", OrganizationKind.VERIFIER, "另一核查机构", uscc=uscc(4))
    world.organization("body", OrganizationKind.CERTIFICATION_BODY, "示例认证中心", uscc=uscc(6))
    world.organization("bank", OrganizationKind.BANK, "示例银行", uscc=uscc(5))
    world.organization("institute", OrganizationKind.RESEARCH_INSTITUTE, "示例研究院")
    world.organization("buyer", OrganizationKind.BUYER, "示例采购单位")
    world.member("officer", "regulator", Role.REGULATOR)
    world.member("tea_admin", "tea", Role.ENTERPRISE_ADMIN)
    world.member("tea_user", "tea", Role.ENTERPRISE_USER)
    world.member("coal_admin", "coal", Role.ENTERPRISE_ADMIN)
    world.member("auditor", "verifier", Role.VERIFIER)
    world.member("auditor2", "verifier2", Role.VERIFIER)
    world.member("certifier", "body", Role.CERTIFIER)
    world.member("banker", "bank", Role.DATA_PARTNER)
    world.member("researcher", "institute", Role.DATA_PARTNER)
    world.member("purchaser", "buyer", Role.BUYER)
    FactorSetService(session, Context(None, world.clock, operator=True)).register_bundled()
    return world


def unknown_id() -> uuid.UUID:
    return uuid.uuid4()
