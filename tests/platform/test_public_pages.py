"""The public pages through HTTP, signed out: the verification page a label's QR code opens,
the labels (SVG, PNG, PDF; 410 once the certificate is suspended or withdrawn), the registry
with its filters, CSV and JSON open data, and the yearly disclosure report (HTML and PDF),
which never shows activity data or suppliers."""

from __future__ import annotations

import csv
import io
import re
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tanzuji.services.context import Context
from tanzuji.services.disclosure import DisclosureService
from tanzuji.store.models import Product, Submission
from tests.labels.tools import decode_qr, pdf_pages, pdf_text
from tests.platform.api import bearer, client_for
from tests.platform.factories import PASSWORD, World
from tests.platform.test_certification import verified
from tests.platform.test_certification_api import PUBLIC_URL, certify
from tests.platform.test_pages import sign_in
from tests.platform.test_sharing import verified as verified_product


@pytest.fixture
def client(world: World) -> TestClient:
    return client_for(world, public_url=PUBLIC_URL)


@pytest.fixture
def certificate(client: TestClient, world: World) -> dict[str, Any]:
    return certify(client, world, verified(world))


def review(client: TestClient, world: World, certificate: dict[str, Any], action: str) -> None:
    response = client.post(
        f"/api/v1/certificates/{certificate['id']}/reviews",
        json={"action": action, "reason": "surveillance visit"},
        headers=bearer(world, "certifier"),
    )
    assert response.status_code == 201, response.text


class TestVerificationPage:
    def test_shows_a_valid_certificate_and_every_check_passing(
        self, client: TestClient, certificate: dict[str, Any]
    ) -> None:
        page = client.get(f"/v/{certificate['number']}")
        assert page.status_code == 200
        html = page.text
        assert 'class="standing standing-valid"' in html
        assert ">有效" in html
        for shown in (certificate["number"], "示例茶业", "kg CO<sub>2</sub>e", "GB/T 24067-2024",
                      "tea-green@", "从摇篮到大门", "示例核查机构", "示例认证中心",
                      "账本核验"):  # fmt: skip
            assert shown in html, shown
        assert "✗" not in html  # every ledger and credential check passed
        assert f"/v/{certificate['number']}/label.png" in html
        assert f"/api/v1/certificates/{certificate['number']}/credential" in html

    def test_in_english(self, client: TestClient, certificate: dict[str, Any]) -> None:
        html = client.get(f"/v/{certificate['number']}?lang=en").text
        for shown in ("Valid", "Ledger check", "The inclusion proof leads from the entry",
                      "cradle to gate", "Signed credential"):  # fmt: skip
            assert shown in html, shown

    def test_withdrawn_shows_revoked(
        self, client: TestClient, world: World, certificate: dict[str, Any]
    ) -> None:
        review(client, world, certificate, "withdraw")
        html = client.get(f"/v/{certificate['number']}").text
        assert 'class="standing standing-withdrawn"' in html
        assert "已撤销" in html
        assert "label.png" not in html

    def test_the_checks_speak_the_visitor_s_language(
        self, client: TestClient, world: World, certificate: dict[str, Any]
    ) -> None:
        review(client, world, certificate, "withdraw")
        page = client.get(f"/v/{certificate['number']}").text
        checks = page[page.index('id="credential-heading"') : page.index('id="downloads-heading"')]
        for shown in ("文档包含可验证凭证所需的全部成员", "签名与当前文档完全相符",
                      "撤销状态列表的第 0 位已置位：证书已撤销", "暂停状态列表的第 0 位未置位",
                      "技术细节（英文）"):  # fmt: skip
            assert shown in checks, shown
        visible = re.sub(r'<code lang="en">.*?</code>|<[^>]+>', " ", checks, flags=re.S)
        assert not re.search(r"[A-Za-z]+ [a-z]+ [a-z]+", visible), visible
        english = client.get(f"/v/{certificate['number']}?lang=en").text
        for shown in ("The document has every member a credential needs.",
                      "Bit 0 of the revocation list is set: withdrawn.",
                      "Bit 0 of the suspension list is clear."):  # fmt: skip
            assert shown in english, shown

    def test_names_are_shown_as_text_never_as_markup(
        self, client: TestClient, world: World, certificate: dict[str, Any]
    ) -> None:
        markup = '<script>alert("x")</script><img src=x onerror=alert(1)>'
        product = world.session.get(Product, uuid.UUID(certificate["product_id"]))
        assert product is not None
        product.name_zh = product.name_en = markup
        world.session.flush()
        enterprise = world.organizations["tea"].id
        for path in (f"/v/{certificate['number']}", "/registry", f"/disclosure/{enterprise}/2025"):
            page = client.get(path).text
            assert "<script>alert" not in page, path
            assert "<img src=x" not in page, path
            assert "&lt;script&gt;alert" in page, path
        svg = client.get(f"/v/{certificate['number']}/label.svg").text
        assert "<script" not in svg
        assert "&lt;script&gt;" in svg

    def test_an_unknown_number_is_a_friendly_404(self, client: TestClient) -> None:
        page = client.get("/v/GZ-PCF-1999-000001")
        assert page.status_code == 404
        assert "没有编号为 GZ-PCF-1999-000001 的证书" in page.text
        assert 'href="/registry"' in page.text


class TestLabels:
    def test_the_png_s_qr_code_opens_the_verification_page(
        self, client: TestClient, certificate: dict[str, Any]
    ) -> None:
        response = client.get(f"/v/{certificate['number']}/label.png")
        assert response.status_code == 200
        assert response.headers["content-type"] == "image/png"
        assert decode_qr(response.content) == [f"{PUBLIC_URL}/v/{certificate['number']}"]

    def test_svg_and_pdf(self, client: TestClient, certificate: dict[str, Any]) -> None:
        svg = client.get(f"/v/{certificate['number']}/label.svg?lang=en")
        assert svg.headers["content-type"].startswith("image/svg+xml")
        assert "Carbon footprint" in svg.text
        assert certificate["number"] in svg.text
        pdf = client.get(f"/v/{certificate['number']}/label.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf_pages(pdf.content) == 1
        assert certificate["number"] in pdf_text(pdf.content)

    @pytest.mark.parametrize(("action", "word"), [("suspend", "已暂停"), ("withdraw", "已撤销")])
    def test_gone_once_suspended_or_withdrawn(
        self,
        client: TestClient,
        world: World,
        certificate: dict[str, Any],
        action: str,
        word: str,
    ) -> None:
        review(client, world, certificate, action)
        for kind in ("svg", "png", "pdf"):
            response = client.get(f"/v/{certificate['number']}/label.{kind}")
            assert response.status_code == 410
            assert f"“{word}”" in response.text

    def test_unknown_number(self, client: TestClient) -> None:
        assert client.get("/v/GZ-PCF-1999-000001/label.svg").status_code == 404


class TestRegistry:
    def test_lists_certified_products_signed_out(
        self, client: TestClient, certificate: dict[str, Any]
    ) -> None:
        page = client.get("/registry")
        assert page.status_code == 200
        assert certificate["number"] in page.text
        assert "共找到 1 张证书" in page.text

    @pytest.mark.parametrize(
        ("query", "found"),
        [
            ("category=tea-green", True),
            ("category=baijiu", False),
            ("county=仁怀市", True),
            ("county=都匀市", False),
            ("enterprise=茶业", True),
            ("enterprise=煤业", False),
            ("product=GZ-GREEN", True),  # the code, in any case
            ("standing=valid", True),
            ("standing=withdrawn", False),
        ],
    )
    def test_filters(
        self, client: TestClient, certificate: dict[str, Any], query: str, found: bool
    ) -> None:
        assert (certificate["number"] in client.get(f"/registry?{query}").text) is found

    def test_standing_follows_the_clock(
        self, client: TestClient, world: World, certificate: dict[str, Any]
    ) -> None:
        world.clock.advance(days=3 * 365)
        assert certificate["number"] in client.get("/registry?standing=expired").text
        assert certificate["number"] not in client.get("/registry?standing=valid").text

    def test_a_bad_filter_is_named(self, client: TestClient) -> None:
        response = client.get("/api/v1/registry?grade=best")
        assert response.status_code == 422
        assert response.json()["field"] == "grade"
        response = client.get("/api/v1/registry?standing=lost")
        assert response.json()["field"] == "standing"

    def test_csv_has_a_bom_and_units_in_its_headers(
        self, client: TestClient, certificate: dict[str, Any]
    ) -> None:
        response = client.get("/registry.csv?lang=en")
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert "Footprint (kg CO2e per declared unit)" in rows[0]
        assert len(rows) == 2
        record = dict(zip(rows[0], rows[1], strict=True))
        assert record["Certificate number"] == certificate["number"]
        assert record["Standing"] == "Valid"
        assert record["Verification page"] == f"{PUBLIC_URL}/v/{certificate['number']}"

    def test_csv_names_never_start_a_spreadsheet_formula(
        self, client: TestClient, world: World, certificate: dict[str, Any]
    ) -> None:
        product = world.session.get(Product, uuid.UUID(certificate["product_id"]))
        assert product is not None
        product.name_en = '=HYPERLINK("https://evil.example","click")'
        world.session.flush()
        response = client.get("/registry.csv?lang=en")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        record = dict(zip(rows[0], rows[1], strict=True))
        assert record["Product"] == '\'=HYPERLINK("https://evil.example","click")'

    def test_json_open_data(self, client: TestClient, certificate: dict[str, Any]) -> None:
        body = client.get("/api/v1/registry?category=tea-green").json()
        assert body["total"] == 1
        assert "terms" in body
        item = body["items"][0]
        assert item["number"] == certificate["number"]
        assert item["standing"] == "valid"
        assert item["footprint"]["unit"] == "kg CO2e"
        assert item["links"]["verification"] == f"{PUBLIC_URL}/v/{certificate['number']}"

    def test_buyers_are_pointed_to_the_registry(self, client: TestClient) -> None:
        response = client.post(
            "/sign-in",
            data={"email": "purchaser@example.cn", "password": PASSWORD, "next": "/"},
            follow_redirects=True,
        )  # fmt: skip
        nav = response.text[response.text.index("<nav") : response.text.index("</nav>")]
        assert 'href="/registry"' in nav
        assert 'href="/shared"' not in nav


SUPPLIER = "贵州示例化肥有限公司"
AMOUNTS = {"made_tea": 48123, "natural_gas": 20987, "ldpe_packaging": 1613}
"""Activity amounts and a supplier, entered by the enterprise, that no public report shows."""
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def confidential_submission(world: World) -> Submission:
    """A verified tea submission whose data names a supplier and has telling amounts."""
    product = world.product("tea", "gz-green-tea", "tea-green")
    inputs = {**AMOUNTS, "urea": {"amount": 30, "unit": "t", "note": f"供应商：{SUPPLIER}"}}
    return verified_product(world, product, **inputs)


class TestDisclosure:
    def test_the_report_lists_the_certified_footprint_and_its_method(
        self, client: TestClient, world: World, certificate: dict[str, Any]
    ) -> None:
        enterprise = world.organizations["tea"].id
        page = client.get(f"/disclosure/{enterprise}/2025")
        assert page.status_code == 200
        for shown in (certificate["number"], "GB/T 24067-2024", "方法说明", "kg CO<sub>2</sub>e",
                      "从摇篮到大门", "CN-2026.1"):  # fmt: skip
            assert shown in page.text, shown
        pdf = client.get(f"/disclosure/{enterprise}/2025.pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        text = pdf_text(pdf.content)
        assert certificate["number"] in text
        assert "产品碳足迹信息披露报告" in text
        assert "第 1 页" in text

    @pytest.mark.usefixtures("certificate")
    def test_a_year_with_nothing_to_disclose_says_so(
        self, client: TestClient, world: World
    ) -> None:
        page = client.get(f"/disclosure/{world.organizations['tea'].id}/2024")
        assert "该企业本年度没有获证或公开的产品碳足迹" in page.text

    def test_an_enterprise_that_disclosed_nothing_has_no_report(
        self, client: TestClient, world: World
    ) -> None:
        verified(world)  # verified, neither certified nor public
        page = client.get(f"/disclosure/{world.organizations['tea'].id}/2025")
        assert page.status_code == 404
        assert world.organizations["tea"].name_zh not in page.text

    def test_never_activity_data_or_suppliers(self, client: TestClient, world: World) -> None:
        number = certify(client, world, confidential_submission(world))["number"]
        enterprise = world.organizations["tea"].id
        html = client.get(f"/disclosure/{enterprise}/2025").text
        text = pdf_text(client.get(f"/disclosure/{enterprise}/2025.pdf").content)
        secrets = [SUPPLIER] + [f"{amount}" for amount in AMOUNTS.values()]
        secrets += [f"{amount:,}" for amount in AMOUNTS.values()]
        for document in (html, text):
            assert number in document  # the report is there ...
            for secret in secrets:  # ... without what the enterprise keeps to itself
                assert secret not in UUID.sub("", document), secret

    @pytest.mark.usefixtures("certificate")
    def test_the_enterprise_reaches_its_reports_from_its_dashboard(self, world: World) -> None:
        enterprise = world.organizations["tea"].id
        tea = client_for(world)
        sign_in(tea, "tea_admin")
        home = tea.get("/").text
        assert "信息披露报告" in home
        assert f'href="/disclosure/{enterprise}/2025"' in home
        assert f'href="/disclosure/{enterprise}/2025.pdf"' in home
        assert tea.get(f"/disclosure/{enterprise}/2025").status_code == 200

    def test_the_years_are_those_of_certified_and_public_footprints(self, world: World) -> None:
        disclosure = DisclosureService(world.session, Context(None, world.clock))
        enterprise = world.organizations["tea"].id
        assert disclosure.years(enterprise) == []
        public = world.product("tea", "gz-public-tea", "tea-green")
        public.public = True
        verified_product(world, public)
        hidden = world.product("tea", "gz-hidden-tea", "tea-green")
        verified_product(world, hidden)
        assert disclosure.years(enterprise) == [2025]
        assert disclosure.report(enterprise, 2025).footprints[0].product_code == "gz-public-tea"
        assert disclosure.years(world.organizations["verifier"].id) == []

    def test_unknown_enterprise_or_year(self, client: TestClient, world: World) -> None:
        assert client.get("/disclosure/not-an-id/2025").status_code == 404
        assert client.get(f"/disclosure/{world.organizations['bank'].id}/2025").status_code == 404
        tea = world.organizations["tea"].id
        assert client.get(f"/disclosure/{tea}/1999").status_code == 422
        assert client.get(f"/disclosure/{tea}/20x5").status_code == 404
