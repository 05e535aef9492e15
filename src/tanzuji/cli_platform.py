"""Command-line operation of a deployment: migrate, load the demo, create accounts, serve.

Configuration comes only from the environment (see :mod:`tanzuji.settings`).
"""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table
from sqlalchemy import select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Role
from tanzuji.errors import NotFound, TanzujiError
from tanzuji.services.accounts import AccountService
from tanzuji.services.context import Context
from tanzuji.services.demo import DEMO_PASSWORD, load_demo
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.keys import DeploymentKeys
from tanzuji.services.ledger import LedgerService
from tanzuji.settings import load_settings
from tanzuji.store import Database, current_revision, head_revision, upgrade
from tanzuji.store.models import Organization

__all__ = ["db_app", "demo_load", "org_app", "serve", "user_app"]

out = Console(soft_wrap=True, markup=False, highlight=False)

db_app = typer.Typer(help="The database: migrate it, see where it stands.", no_args_is_help=True)
user_app = typer.Typer(help="Accounts of a deployment.", no_args_is_help=True)
org_app = typer.Typer(help="Organizations of a deployment.", no_args_is_help=True)


def _database() -> Database:
    return Database(load_settings().url)


def _migrate(database: Database) -> None:
    upgrade(database)
    with database.transaction() as session:
        added = FactorSetService(session, Context.command_line()).register_bundled()
        _sign_tree_head(session)
    out.print(
        f"database {database.engine.url.render_as_string()} at revision {head_revision()}"
        + (f"; factor sets registered: {', '.join(added)}" if added else "")
    )


def _sign_tree_head(session: Session) -> None:
    """Sign a tree head if the command appended to the ledger (in its transaction)."""
    key = DeploymentKeys.of(load_settings()).log
    LedgerService(session, Context.command_line()).sign_tree_head(key)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the newest schema and register the bundled factor sets."""
    _migrate(_database())


@db_app.command("status")
def db_status() -> None:
    """The schema revision of the database and of this tanzuji."""
    database = _database()
    current = current_revision(database)
    out.print(f"database: {current or 'empty'}; tanzuji: {head_revision()}")
    if current != head_revision():
        out.print("run 'tanzuji db upgrade'")


def demo_load(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="do nothing (no error) if data is there already")
    ] = False,
) -> None:
    """Migrate, then fill an empty database with the demo province and print its accounts."""
    database = _database()
    _migrate(database)
    with database.transaction() as session:
        if if_empty and session.scalar(select(Organization.id).limit(1)) is not None:
            out.print(
                "the database holds data already; the demo was not loaded again (to load this "
                f"version's demo afresh, remove {load_settings().data_dir} first)"
            )
            return
        settings = load_settings()
        accounts = load_demo(
            session,
            Context.command_line(),
            progress=lambda step: out.print(step, style="dim"),
            issuer_key=DeploymentKeys.of(settings).issuer,
            public_url=settings.public_url,
        )
        _sign_tree_head(session)
    table = Table(
        Column("e-mail", no_wrap=True), "role", "organization", title="演示账号 demo accounts"
    )
    for account in accounts:
        table.add_row(account.email, account.role, account.organization)
    out.print(table)
    out.print(f"password of every demo account: {DEMO_PASSWORD}")


@org_app.command("create")
def org_create(
    kind: Annotated[OrganizationKind, typer.Option(help="what the organization is")],
    name: Annotated[str, typer.Option(help="its Chinese name")],
    uscc: Annotated[str | None, typer.Option(help="unified social credit code")] = None,
    name_en: Annotated[str, typer.Option(help="its English name")] = "",
    county: Annotated[str, typer.Option(help="county, e.g. 仁怀市")] = "",
) -> None:
    """Register an organization (e.g. the regulator of a new deployment)."""
    with _database().transaction() as session:
        made = AccountService(session, Context.command_line()).create_organization(
            kind, name, name_en=name_en, uscc=uscc, county=county
        )
        out.print(f"organization {made.id} ({made.kind.value}) {made.name_zh}")


@user_app.command("create")
def user_create(
    email: Annotated[str, typer.Option(help="the e-mail address to sign in with")],
    organization: Annotated[
        str, typer.Option(help="organization id or unified social credit code")
    ],
    role: Annotated[Role, typer.Option(help="the role in that organization")],
    name: Annotated[str, typer.Option(help="display name")] = "",
) -> None:
    """Create an account with a role in an organization; the password is asked for."""
    password: str = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with _database().transaction() as session:
        found = session.scalar(
            select(Organization).where(Organization.uscc == organization.upper())
        )
        if found is None:
            try:
                found = session.get(Organization, uuid.UUID(organization))
            except ValueError:
                found = None
        if found is None:
            raise NotFound(f"no organization {organization}", field="organization")
        accounts = AccountService(session, Context.command_line())
        user = accounts.create_user(email, name or email, password)
        accounts.add_member(user.id, found.id, role)
        out.print(f"user {user.email} is {role.value} of {found.name_zh}")


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="port to listen on")] = 8000,
) -> None:
    """Serve the web application with uvicorn (the database must be migrated)."""
    import uvicorn

    from tanzuji.web.app import create_app
    from tanzuji.web.logs import configure_logging

    settings = load_settings()
    database = Database(settings.url)
    if current_revision(database) != head_revision():
        raise TanzujiError(
            f"the database {settings.url} is not at revision {head_revision()}: "
            "run 'tanzuji db upgrade'"
        )
    database.dispose()
    configure_logging()
    out.print(f"tanzuji on http://{host}:{port}  (API: /api/v1, docs: /api/docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_config=None, access_log=False)
