"""Roles and permissions as data, and the table of them in docs/platform.md."""

from __future__ import annotations

from pathlib import Path

from tanzuji.access import ORGANIZATION_ROLES, PERMISSIONS, OrganizationKind, Permission, Role

DOCS = Path(__file__).parents[1] / "docs" / "platform.md"


def test_every_role_has_permissions_and_an_organization_kind() -> None:
    assert set(PERMISSIONS) == set(Role)
    assert set().union(*ORGANIZATION_ROLES.values()) == set(Role)
    assert set(ORGANIZATION_ROLES) == set(OrganizationKind)


def test_only_the_regulator_publishes_and_only_enterprises_submit() -> None:
    assert [r for r in Role if Permission.FACTOR_PUBLISH in PERMISSIONS[r]] == [Role.REGULATOR]
    submitters = {r for r in Role if Permission.SUBMISSION_SUBMIT in PERMISSIONS[r]}
    assert submitters == {Role.ENTERPRISE_ADMIN, Role.ENTERPRISE_USER}


def test_the_documented_table_is_the_code() -> None:
    lines = [
        line for line in DOCS.read_text(encoding="utf-8").splitlines() if line.startswith("| `")
    ]
    header = next(
        line for line in DOCS.read_text(encoding="utf-8").splitlines()
        if line.startswith("| permission |")
    )  # fmt: skip
    roles = [Role(cell.strip()) for cell in header.strip("|").split("|")[1:]]
    documented = {}
    for line in lines:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0].strip("`") in {p.value for p in Permission}:
            documented[Permission(cells[0].strip("`"))] = {
                role for role, mark in zip(roles, cells[1:], strict=True) if mark == "✓"
            }
    assert documented == {p: {r for r in Role if p in PERMISSIONS[r]} for p in Permission}
