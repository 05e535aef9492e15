"""A demonstration province: every organization is FICTIONAL, every number comes from the
illustrative example plants shipped with the rules (``tanzuji/examples/<rule>.yaml``).

The regulator, two verifiers, data partners of every kind, a buyer, and fourteen enterprises
across Guizhou's key industries in their real counties, each with a year of activity data
entered through the shipped rules and taken along the workflow to a different point (draft,
calculated, submitted, under verification, returned with comments, verified). Unified social
credit codes are made up with a valid check character; names say 演示 / demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tanzuji.access import OrganizationKind, Role
from tanzuji.errors import Conflict
from tanzuji.services.accounts import AccountService, actor_for
from tanzuji.services.context import Context
from tanzuji.services.demo_certification import certify_demo
from tanzuji.services.demo_grading import publish_demo_benchmarks
from tanzuji.services.factor_sets import FactorSetService
from tanzuji.services.products import ProductService
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.models import Membership, Organization
from tanzuji.uscc import check_character

__all__ = ["DEMO_PASSWORD", "DemoAccount", "load_demo"]

DEMO_PASSWORD = "tanzuji-demo-2026"
"""The password of every demo account (printed when the demo is loaded)."""


@dataclass(frozen=True)
class DemoAccount:
    """One demo sign-in."""

    email: str
    role: str
    organization: str


@dataclass(frozen=True)
class _Enterprise:
    key: str
    name_zh: str
    name_en: str
    county: str
    industry: str
    products: tuple[tuple[str, str], ...]  # (example file stem, where the workflow stops)


_ENTERPRISES = (
    _Enterprise(
        "meitan-tea",
        "湄潭演示茶业有限公司",
        "Meitan Demo Tea Co.",
        "湄潭县",
        "茶叶",
        (("tea-green", "verified"),),
    ),
    _Enterprise(
        "duyun-tea",
        "都匀演示毛尖茶厂",
        "Duyun Demo Tea Works",
        "都匀市",
        "茶叶",
        (("tea-other", "returned"),),
    ),
    _Enterprise(
        "renhuai-baijiu",
        "仁怀演示酱香酒业有限公司",
        "Renhuai Demo Distillery",
        "仁怀市",
        "白酒",
        (("baijiu", "under_verification"),),
    ),
    _Enterprise(
        "shibing-herb",
        "施秉演示中药材合作社",
        "Shibing Demo Herb Cooperative",
        "施秉县",
        "中药材",
        (("herb", "calculated"),),
    ),
    _Enterprise(
        "panzhou-coal",
        "盘州演示煤矿",
        "Panzhou Demo Colliery",
        "盘州市",
        "煤炭",
        (("coal-raw", "verified"),),
    ),
    _Enterprise(
        "liuzhi-washery",
        "六枝演示洗煤厂",
        "Liuzhi Demo Washery",
        "六枝特区",
        "煤炭",
        (("coal-washed", "submitted"),),
    ),
    _Enterprise(
        "shuicheng-coke",
        "水城演示焦化有限公司",
        "Shuicheng Demo Coking",
        "水城区",
        "焦化",
        (("coke", "verified"),),
    ),
    _Enterprise(
        "xiuwen-cement",
        "修文演示水泥有限公司",
        "Xiuwen Demo Cement",
        "修文县",
        "水泥",
        (("cement", "verified"),),
    ),
    _Enterprise(
        "zhongshan-steel",
        "钟山演示钢铁有限公司",
        "Zhongshan Demo Steel",
        "钟山区",
        "钢铁",
        (("steel-bf-bof", "under_verification"), ("steel-product", "draft")),
    ),
    _Enterprise(
        "zunyi-eaf",
        "遵义演示电炉钢厂",
        "Zunyi Demo EAF Steel",
        "汇川区",
        "钢铁",
        (("steel-eaf", "calculated"),),
    ),
    _Enterprise(
        "kaiyang-phosphate",
        "开阳演示磷化工有限公司",
        "Kaiyang Demo Phosphate",
        "开阳县",
        "磷化工",
        (
            ("phosphate-rock", "verified"),
            ("sulfuric-acid", "verified"),
            ("phosphoric-acid", "submitted"),
            ("phosphate-fertilizer", "calculated"),
        ),
    ),
    _Enterprise(
        "wengan-phosphorus",
        "瓮安演示黄磷有限公司",
        "Weng'an Demo Phosphorus",
        "瓮安县",
        "磷化工",
        (("yellow-phosphorus", "returned"),),
    ),
    _Enterprise(
        "fuquan-fertilizer",
        "福泉演示复合肥厂",
        "Fuquan Demo Fertilizer",
        "福泉市",
        "磷化工",
        (("compound-fertilizer", "draft"),),
    ),
    _Enterprise(
        "guiyang-battery",
        "贵阳演示新能源电池有限公司",
        "Guiyang Demo Battery",
        "贵阳经济技术开发区",
        "动力电池",
        (
            ("battery-li-ion", "verified"),
            ("battery-lead-acid", "calculated"),
            ("electricity", "calculated"),
        ),
    ),
)

_PARTNERS = (
    ("association", OrganizationKind.ASSOCIATION, "贵州省演示茶叶协会", "Demo Tea Association"),
    (
        "institute",
        OrganizationKind.RESEARCH_INSTITUTE,
        "贵州演示碳足迹研究院",
        "Demo Carbon Footprint Institute",
    ),
    ("credit", OrganizationKind.CREDIT_AGENCY, "演示征信有限公司", "Demo Credit Agency"),
    ("rating", OrganizationKind.RATING_AGENCY, "演示信用评级有限公司", "Demo Rating Agency"),
    ("bank", OrganizationKind.BANK, "演示银行贵州省分行", "Demo Bank, Guizhou Branch"),
)

_ORDER = ("draft", "calculated", "submitted", "under_verification", "returned", "verified")


def _example(stem: str) -> dict[str, Any]:
    text = (files("tanzuji") / "examples" / f"{stem}.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


class _Loader:
    def __init__(self, session: Session, context: Context) -> None:
        self.session = session
        self.operator = context
        self.accounts = AccountService(session, context)
        self.serial = 9_000_000
        self.created: list[DemoAccount] = []

    def code(self) -> str:
        self.serial += 1
        first17 = f"91520000MA{self.serial:07d}"
        return first17 + check_character(first17)

    def organization(
        self, kind: OrganizationKind, name_zh: str, name_en: str, **more: Any
    ) -> Organization:
        coded = kind is not OrganizationKind.BUYER and kind is not OrganizationKind.REGULATOR
        return self.accounts.create_organization(
            kind, name_zh, name_en=name_en, uscc=self.code() if coded else None, **more
        )

    def member(self, email: str, name: str, organization: Organization, role: Role) -> Context:
        user = self.accounts.create_user(email, name, DEMO_PASSWORD)
        membership = self.accounts.add_member(user.id, organization.id, role)
        self.created.append(DemoAccount(email, role.value, organization.name_zh))
        return self.context_of(membership)

    def context_of(self, membership: Membership) -> Context:
        self.session.refresh(membership, ["organization"])
        return Context(actor_for(membership), self.operator.clock)


def load_demo(
    session: Session,
    context: Context,
    progress: Callable[[str], None] = lambda _: None,
    *,
    issuer_key: Ed25519PrivateKey | None = None,
    public_url: str = "http://127.0.0.1:8000",
) -> list[DemoAccount]:
    """Fill an empty database with the demo province; the accounts made (all with
    :data:`DEMO_PASSWORD`). ``progress`` hears of each product as it is entered.
    The demo's certificates are signed with ``issuer_key`` (the deployment's issuer key) for
    the deployment at ``public_url``; without a key the demo has no certificates.
    :class:`Conflict` if the database holds organizations already."""
    if session.scalar(select(func.count()).select_from(Organization)):
        raise Conflict(
            "the database holds organizations already; the demo loads only into an empty one"
        )
    FactorSetService(session, context).register_bundled()
    load = _Loader(session, context)
    regulator = load.organization(
        OrganizationKind.REGULATOR, "贵州省生态环境厅（演示）", "Guizhou regulator (demo)"
    )
    officer = load.member("regulator@tanzuji.example", "省厅演示账号", regulator, Role.REGULATOR)
    verifiers = []
    for key, name_zh, name_en in (
        ("verifier", "贵州演示碳核查有限公司", "Demo Carbon Verification Co."),
        ("verifier2", "黔南演示认证检测中心", "Qiannan Demo Certification Centre"),
    ):
        organization = load.organization(OrganizationKind.VERIFIER, name_zh, name_en)
        verifiers.append(
            (
                organization,
                load.member(f"{key}@tanzuji.example", name_zh, organization, Role.VERIFIER),
            )
        )
    for key, kind, name_zh, name_en in _PARTNERS:
        organization = load.organization(
            kind,
            name_zh,
            name_en,
            may_propose_factors=kind is OrganizationKind.RESEARCH_INSTITUTE,
        )
        load.member(f"{key}@tanzuji.example", name_zh, organization, Role.DATA_PARTNER)
    buyer = load.organization(
        OrganizationKind.BUYER, "贵州省政府采购中心（演示）", "Demo public buyer"
    )
    load.member("buyer@tanzuji.example", "采购演示账号", buyer, Role.BUYER)
    verifier, auditor = verifiers[0]
    # a declared conflict: the second verifier once advised the Renhuai distillery
    renhuai: Organization | None = None
    for enterprise in _ENTERPRISES:
        organization = load.organization(
            OrganizationKind.ENTERPRISE,
            enterprise.name_zh,
            enterprise.name_en,
            county=enterprise.county,
            industry=enterprise.industry,
        )
        admin = load.member(
            f"{enterprise.key}@tanzuji.example",
            enterprise.name_zh,
            organization,
            Role.ENTERPRISE_ADMIN,
        )
        if enterprise.key == "renhuai-baijiu":
            renhuai = organization
        for stem, stop in enterprise.products:
            _walk(session, admin, officer, auditor, verifier, _example(stem), stop)
            progress(f"{enterprise.name_zh}: {stem} → {stop}")
    assert renhuai is not None
    VerificationService(session, verifiers[1][1]).declare_conflict(
        renhuai.id, "曾为该企业提供碳管理咨询（演示） / advised the distillery before (demo)"
    )
    publish_demo_benchmarks(session, officer)
    certify_demo(session, load, issuer_key=issuer_key, public_url=public_url)
    return load.created


def _walk(
    session: Session,
    enterprise: Context,
    officer: Context,
    auditor: Context,
    verifier: Organization,
    example: dict[str, Any],
    stop: str,
) -> None:
    """Enter one example plant's data and take it along the workflow up to ``stop``."""
    rule_id = str(example["rule"]).partition("@")[0]
    product = ProductService(session, enterprise).create(
        example["product"], example["name_zh"], rule_id, name_en=example["name_en"]
    )
    data = {key: value for key, value in example.items() if key != "organization"}
    submissions = SubmissionService(session, enterprise)
    submission = submissions.create(product.id, data)
    reached = _ORDER.index(stop)
    if reached >= _ORDER.index("calculated"):
        submissions.calculate(submission.id)
    if reached >= _ORDER.index("submitted"):
        submissions.submit(submission.id)
    if reached >= _ORDER.index("under_verification"):
        case = VerificationService(session, officer).assign(submission.id, verifier.id)
        if stop == "returned":
            first_input = next(iter(data["inputs"]))
            VerificationService(session, auditor).decide(
                case.id,
                "return",
                [
                    {
                        "body": "请上传该项的计量记录或发票（演示） / please attach the meter "
                        "readings or invoices (demo)",
                        "input_name": first_input,
                    }
                ],
            )
        elif stop == "verified":
            VerificationService(session, auditor).decide(case.id, "accept")
