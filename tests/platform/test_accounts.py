"""Organizations, accounts, sign-in sessions and API tokens."""

from __future__ import annotations

import datetime

import pytest

from tanzuji.access import OrganizationKind, Permission, Role
from tanzuji.errors import Conflict, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from tanzuji.services.accounts import AccountService
from tanzuji.services.context import Context
from tests.platform.factories import PASSWORD, World, uscc


def accounts(world: World, who: str | None = None) -> AccountService:
    context = world.context(who) if who else Context(None, world.clock)
    return AccountService(world.session, context)


class TestOrganizations:
    def test_the_regulator_registers_an_enterprise(self, world: World) -> None:
        made = accounts(world, "officer").create_organization(
            OrganizationKind.ENTERPRISE, "仁怀示例酒业", uscc=uscc(42).lower(), county="仁怀市"
        )
        assert made.uscc == uscc(42)

    def test_an_enterprise_needs_a_valid_code(self, world: World) -> None:
        service = accounts(world, "officer")
        with pytest.raises(InvalidInput, match="unified social credit code") as caught:
            service.create_organization(OrganizationKind.ENTERPRISE, "无代码企业")
        assert caught.value.field == "uscc"
        with pytest.raises(InvalidInput, match="mistyped"):
            service.create_organization(
                OrganizationKind.ENTERPRISE, "错码企业", uscc=uscc(42)[:-1] + "0"
            )

    def test_a_code_belongs_to_one_organization(self, world: World) -> None:
        with pytest.raises(Conflict, match="exists already") as caught:
            accounts(world, "officer").create_organization(
                OrganizationKind.ENTERPRISE, "重复", uscc=uscc(1)
            )
        assert caught.value.field == "uscc"

    def test_an_enterprise_cannot_register_organizations(self, world: World) -> None:
        with pytest.raises(PermissionDenied, match="organization:manage"):
            accounts(world, "tea_admin").create_organization(OrganizationKind.BANK, "某银行")


class TestMembers:
    def test_an_admin_adds_a_colleague(self, world: World) -> None:
        service = accounts(world, "tea_admin")
        user = service.create_user("new@example.cn", "新同事", "a long password")
        membership = service.add_member(
            user.id, world.organizations["tea"].id, Role.ENTERPRISE_USER
        )
        assert membership.role is Role.ENTERPRISE_USER

    def test_an_admin_cannot_add_to_another_organization(self, world: World) -> None:
        user = world.users["tea_user"]
        with pytest.raises(PermissionDenied, match="its own organization"):
            accounts(world, "tea_admin").add_member(
                user.id, world.organizations["coal"].id, Role.ENTERPRISE_USER
            )

    def test_a_role_must_fit_the_organization(self, world: World) -> None:
        user = world.users["tea_user"]
        with pytest.raises(InvalidInput, match="a member of a bank may be data_partner"):
            accounts(world, "officer").add_member(
                user.id, world.organizations["bank"].id, Role.REGULATOR
            )

    @pytest.mark.parametrize(
        ("email", "password", "field"),
        [("not-an-address", "a long password", "email"), ("x@example.cn", "short", "password")],
    )
    def test_bad_accounts(self, world: World, email: str, password: str, field: str) -> None:
        with pytest.raises(InvalidInput) as caught:
            accounts(world, "tea_admin").create_user(email, "x", password)
        assert caught.value.field == field

    def test_one_account_per_address(self, world: World) -> None:
        with pytest.raises(Conflict, match="exists already"):
            accounts(world, "tea_admin").create_user("TEA_USER@example.cn", "x", "a long password")


class TestSessions:
    def test_sign_in_and_out(self, world: World) -> None:
        signed = accounts(world).sign_in("tea_user@example.cn", PASSWORD, hours=12)
        actor, csrf = accounts(world).session_actor(signed.token)
        assert actor.role is Role.ENTERPRISE_USER
        assert csrf == signed.csrf_token
        accounts(world).sign_out(signed.token)
        with pytest.raises(NotAuthenticated, match="sign in again"):
            accounts(world).session_actor(signed.token)

    def test_a_wrong_password_says_nothing_about_the_account(self, world: World) -> None:
        for email in ("tea_user@example.cn", "nobody@example.cn"):
            with pytest.raises(NotAuthenticated, match="wrong e-mail address or password"):
                accounts(world).sign_in(email, "guess guess guess", hours=12)

    def test_a_session_expires(self, world: World) -> None:
        signed = accounts(world).sign_in("tea_user@example.cn", PASSWORD, hours=1)
        world.clock.advance(hours=2)
        with pytest.raises(NotAuthenticated):
            accounts(world).session_actor(signed.token)

    def test_changing_the_password_ends_other_sessions(self, world: World) -> None:
        signed = accounts(world).sign_in("tea_user@example.cn", PASSWORD, hours=12)
        accounts(world, "tea_user").change_password(PASSWORD, "a brand new password")
        with pytest.raises(NotAuthenticated):
            accounts(world).session_actor(signed.token)
        accounts(world).sign_in("tea_user@example.cn", "a brand new password", hours=12)


class TestTokens:
    def test_a_token_acts_with_its_scopes_only(self, world: World) -> None:
        issued = accounts(world, "tea_user").create_token("erp", ["footprint:read"])
        actor = accounts(world).token_actor(issued.token)
        assert actor.permissions == {Permission.FOOTPRINT_READ}
        assert actor.via_token

    def test_a_token_cannot_exceed_its_role(self, world: World) -> None:
        with pytest.raises(InvalidInput, match="cannot grant factor:publish"):
            accounts(world, "tea_user").create_token("x", ["factor:publish"])
        with pytest.raises(InvalidInput, match="unknown scopes: everything"):
            accounts(world, "tea_user").create_token("x", ["everything"])

    def test_revoked_and_expired_tokens(self, world: World) -> None:
        service = accounts(world, "tea_user")
        revoked = service.create_token("a", ["footprint:read"])
        soon = world.clock.now + datetime.timedelta(days=1)
        expiring = service.create_token("b", ["footprint:read"], expires_at=soon)
        service.revoke_token(revoked.id)
        world.clock.advance(days=2)
        for token in (revoked.token, expiring.token):
            with pytest.raises(NotAuthenticated, match="unknown, revoked or expired"):
                accounts(world).token_actor(token)
        assert [t.name for t in service.tokens()] == ["a", "b"]

    def test_another_users_token_cannot_be_revoked(self, world: World) -> None:
        issued = accounts(world, "tea_user").create_token("a", ["footprint:read"])
        with pytest.raises(NotFound):
            accounts(world, "tea_admin").revoke_token(issued.id)

    def test_tokens_are_stored_as_hashes(self, world: World) -> None:
        issued = accounts(world, "tea_user").create_token("a", ["footprint:read"])
        (stored,) = accounts(world, "tea_user").tokens()
        assert issued.token not in stored.token_hash
        assert len(stored.token_hash) == 64
