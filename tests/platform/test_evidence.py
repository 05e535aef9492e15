"""Evidence files (证明材料): judged by their content, kept once under their SHA-256, attached to
the current revision while the enterprise holds the submission, read by whoever may read the
submission, and never served once altered on disk."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tanzuji.errors import IllegalTransition, InvalidInput, NotFound, PermissionDenied, TooLarge
from tanzuji.services.evidence import EvidenceService, clean_filename
from tanzuji.services.submissions import SubmissionService
from tanzuji.services.verification import VerificationService
from tanzuji.store.evidence import EvidenceMissing, EvidenceStore, EvidenceTampered
from tanzuji.store.models import AuditEvent, Evidence, Submission
from tests.platform.api import bearer, client_for
from tests.platform.factories import World, unknown_id
from tests.platform.test_submissions import tea_data

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + bytes(47)
CSV = "月份,电量 kWh\n2025-01,20000\n2025-02,19500\n".encode()


def workbook() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["月份", "电量 kWh"])
    book.active.append(["2025-01", 20000])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence", max_bytes=64 * 1024)


@pytest.fixture
def draft(world: World) -> Submission:
    product = world.product("tea", "gz-green-tea", "tea-green")
    return SubmissionService(world.session, world.context("tea_user")).create(
        product.id, tea_data()
    )


def evidence(world: World, who: str, store: EvidenceStore) -> EvidenceService:
    return EvidenceService(world.session, world.context(who), store)


def files_in(store: EvidenceStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file())


def rows(world: World) -> int:
    return world.session.scalar(select(func.count()).select_from(Evidence)) or 0


class TestUploading:
    def test_upload_list_and_download(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        made = evidence(world, "tea_user", store).upload(
            draft.id, "电费发票 2025-01.pdf", PDF, input_name="electricity"
        )
        assert (made.revision, made.input_name) == (1, "electricity")
        assert made.filename == "电费发票 2025-01.pdf"
        assert (made.media_type, made.size) == ("application/pdf", len(PDF))
        # content-addressed: data_dir/evidence/ab/cdef…
        assert files_in(store) == [store.root / made.sha256[:2] / made.sha256[2:]]

        (listed,) = evidence(world, "tea_admin", store).list(draft.id)
        assert listed.id == made.id
        row, content = evidence(world, "tea_admin", store).download(made.id)
        assert (row.id, content) == (made.id, PDF)

        event = world.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "evidence.upload")
        ).one()
        assert event.subject_id == str(draft.id)
        assert event.detail["sha256"] == made.sha256
        assert event.detail["input_name"] == "electricity"

    def test_the_same_file_twice_is_stored_once(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        service = evidence(world, "tea_user", store)
        first = service.upload(draft.id, "invoice.pdf", PDF, input_name="electricity")
        world.clock.advance(minutes=5)
        second = service.upload(draft.id, "invoice-copy.pdf", PDF, input_name="natural_gas")
        assert first.id != second.id  # two attachments …
        assert first.sha256 == second.sha256
        assert len(files_in(store)) == 1  # … one file on disk
        assert [e.filename for e in service.list(draft.id)] == ["invoice.pdf", "invoice-copy.pdf"]

    @pytest.mark.parametrize(
        ("name", "content", "media_type"),
        [
            ("meter.png", PNG, "image/png"),
            ("meter.JPG", JPEG, "image/jpeg"),
            ("meter.jpeg", JPEG, "image/jpeg"),
            ("readings.xlsx", workbook(), "application/vnd.openxmlformats-officedocument."
                                          "spreadsheetml.sheet"),
            ("readings.csv", CSV, "text/csv; charset=utf-8"),
            ("note.txt", "抄表员：张三\r\n".encode(), "text/plain; charset=utf-8"),
            ("bom.csv", b"\xef\xbb\xbfa,b\n1,2\n", "text/csv; charset=utf-8"),
        ],
    )  # fmt: skip
    def test_every_accepted_kind(
        self,
        world: World,
        store: EvidenceStore,
        draft: Submission,
        name: str,
        content: bytes,
        media_type: str,
    ) -> None:
        made = evidence(world, "tea_user", store).upload(draft.id, name, content)
        assert made.media_type == media_type

    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("invoice.pdf", EXE, "invoice.pdf is not a file accepted as evidence"),
            ("setup.exe", EXE, "judged by the content, not the name"),
            ("report.docx", word_document(), "not a file accepted as evidence"),
            ("broken.xlsx", b"PK\x03\x04 not really a zip", "not a file accepted as evidence"),
            ("latin1.csv", "Übersicht;1\n".encode("latin-1"), "UTF-8 text"),
            ("invoice.pdf", PNG, "invoice.pdf holds a PNG image: name it with .png"),
            ("meter", JPEG, "holds a JPEG image: name it with .jpg or .jpeg"),
            ("page.html", b"<html><script>alert(1)</script></html>", "name it with .txt"),
            ("empty.pdf", b"", "the file is empty"),
        ],
    )
    def test_a_wrong_type_is_refused_and_nothing_kept(
        self,
        world: World,
        store: EvidenceStore,
        draft: Submission,
        name: str,
        content: bytes,
        message: str,
    ) -> None:
        with pytest.raises(InvalidInput, match=message) as caught:
            evidence(world, "tea_user", store).upload(draft.id, name, content)
        assert caught.value.field == "file"
        assert (rows(world), files_in(store)) == (0, [])

    def test_macros_are_refused(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        buffer = io.BytesIO(workbook())
        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("xl/vbaProject.bin", b"\x00macro")
        with pytest.raises(InvalidInput, match="holds macros"):
            evidence(world, "tea_user", store).upload(draft.id, "a.xlsx", buffer.getvalue())

    def test_an_oversized_file(self, world: World, store: EvidenceStore, draft: Submission) -> None:
        with pytest.raises(TooLarge, match="65,537 bytes; at most 65,536") as caught:
            evidence(world, "tea_user", store).upload(draft.id, "big.pdf", PDF.ljust(65_537))
        assert caught.value.field == "file"
        assert (rows(world), files_in(store)) == (0, [])

    def test_the_input_must_be_one_of_the_rule(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        with pytest.raises(
            InvalidInput, match=r"rule tea-green@2026\.1 has no input 'clinker'"
        ) as e:
            evidence(world, "tea_user", store).upload(draft.id, "a.pdf", PDF, input_name="clinker")
        assert e.value.field == "input_name"
        assert "electricity" in str(e.value)  # the inputs it does have are listed
        assert files_in(store) == []

    def test_only_while_the_enterprise_holds_the_submission(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        submissions = SubmissionService(world.session, world.context("tea_user"))
        submissions.calculate(draft.id)
        evidence(world, "tea_user", store).upload(draft.id, "calculated.pdf", PDF)
        submissions.submit(draft.id)
        with pytest.raises(IllegalTransition, match="this one is submitted"):
            evidence(world, "tea_user", store).upload(draft.id, "late.pdf", PDF)
        assert rows(world) == 1

    def test_evidence_goes_with_the_current_revision(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        submissions = SubmissionService(world.session, world.context("tea_user"))
        submissions.revise(draft.id, draft.version, tea_data(natural_gas=20_000))
        made = evidence(world, "tea_user", store).upload(draft.id, "gas.pdf", PDF)
        assert made.revision == 2

    def test_file_names_are_cleaned(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        name = "C:\\scans\\..\\发票\u202e\x00.pdf"
        made = evidence(world, "tea_user", store).upload(draft.id, name, PDF)
        assert made.filename == "发票.pdf"
        assert clean_filename("../../.hidden.pdf") == "hidden.pdf"
        assert len(clean_filename("长" * 300 + ".pdf")) == 255
        assert clean_filename("长" * 300 + ".pdf").endswith("长.pdf")


class TestAccess:
    def test_another_enterprise_finds_nothing(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        made = evidence(world, "tea_user", store).upload(draft.id, "a.pdf", PDF)
        coal = evidence(world, "coal_admin", store)
        with pytest.raises(NotFound, match=f"no submission {draft.id}"):
            coal.upload(draft.id, "b.pdf", PDF)
        with pytest.raises(NotFound):
            coal.list(draft.id)
        with pytest.raises(NotFound, match=f"no evidence {made.id}") as caught:
            coal.download(made.id)
        assert str(draft.id) not in str(caught.value)  # says nothing of the submission
        with pytest.raises(NotFound):
            coal.download(unknown_id())

    def test_the_assigned_verifier_reads_and_the_read_is_logged(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        submissions = SubmissionService(world.session, world.context("tea_user"))
        submissions.calculate(draft.id)
        made = evidence(world, "tea_user", store).upload(
            draft.id, "meter.png", PNG, input_name="electricity"
        )
        submissions.submit(draft.id)
        with pytest.raises(NotFound):  # not assigned yet
            evidence(world, "auditor", store).list(draft.id)
        VerificationService(world.session, world.context("officer")).assign(
            draft.id, world.organizations["verifier"].id
        )
        auditor = evidence(world, "auditor", store)
        assert [e.id for e in auditor.list(draft.id)] == [made.id]
        assert auditor.download(made.id)[1] == PNG
        read = world.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "evidence.read")
        ).one()
        assert (read.actor_id, read.detail["evidence"]) == (
            world.users["auditor"].id, str(made.id))  # fmt: skip
        for outsider in ("auditor2", "banker"):
            with pytest.raises(NotFound):
                evidence(world, outsider, store).download(made.id)

    def test_the_enterprise_reading_its_own_is_not_logged(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        made = evidence(world, "tea_user", store).upload(draft.id, "a.pdf", PDF)
        evidence(world, "tea_admin", store).download(made.id)
        actions = world.session.scalars(select(AuditEvent.action)).all()
        assert "evidence.read" not in actions

    def test_only_an_enterprise_uploads(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        for who in ("auditor", "officer", "banker"):
            with pytest.raises(PermissionDenied, match="evidence:upload"):
                evidence(world, who, store).upload(draft.id, "a.pdf", PDF)


class TestTampering:
    def test_an_altered_file_is_detected_and_not_served(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        made = evidence(world, "tea_user", store).upload(draft.id, "invoice.pdf", PDF)
        path = store.path_of(made.sha256)
        os.chmod(path, 0o640)
        path.write_bytes(PDF.replace(b"Catalog", b"Catalug"))
        with pytest.raises(EvidenceTampered, match=f"evidence file {made.sha256} was altered"):
            evidence(world, "tea_admin", store).download(made.id)

    def test_uploading_the_original_again_repairs_it(
        self, world: World, store: EvidenceStore, draft: Submission
    ) -> None:
        made = evidence(world, "tea_user", store).upload(draft.id, "invoice.pdf", PDF)
        path = store.path_of(made.sha256)
        os.chmod(path, 0o640)
        path.write_bytes(b"%PDF-1.7 forged")
        evidence(world, "tea_user", store).upload(draft.id, "invoice.pdf", PDF)
        assert evidence(world, "tea_admin", store).download(made.id)[1] == PDF

    def test_a_missing_file(self, world: World, store: EvidenceStore, draft: Submission) -> None:
        made = evidence(world, "tea_user", store).upload(draft.id, "invoice.pdf", PDF)
        store.path_of(made.sha256).unlink()
        with pytest.raises(EvidenceMissing, match="missing from the evidence store"):
            evidence(world, "tea_admin", store).download(made.id)


class TestHTTP:
    @pytest.fixture
    def client(self, world: World, tmp_path: Path) -> TestClient:
        return client_for(world, data_dir=tmp_path, max_upload_bytes=64 * 1024)

    def test_upload_list_download(
        self, world: World, client: TestClient, draft: Submission, tmp_path: Path
    ) -> None:
        enterprise = bearer(world, "tea_user")
        url = f"/api/v1/submissions/{draft.id}/evidence"
        response = client.post(
            url,
            files={"file": ("C:\\scans\\电费 1月.pdf", PDF, "application/octet-stream")},
            data={"input_name": "electricity"},
            headers=enterprise,
        )
        assert response.status_code == 201, response.text
        made = response.json()
        assert made["size"] == {"value": len(PDF), "unit": "byte"}
        assert made["filename"] == "电费 1月.pdf"
        assert (tmp_path / "evidence" / made["sha256"][:2] / made["sha256"][2:]).is_file()

        listed = client.get(url, headers=enterprise).json()["items"]
        assert [e["id"] for e in listed] == [made["id"]]

        got = client.get(made["download"], headers=enterprise)
        assert got.status_code == 200
        assert got.content == PDF
        assert got.headers["content-type"] == "application/pdf"
        assert got.headers["content-disposition"] == (
            'attachment; filename="__ 1_.pdf"; '
            "filename*=UTF-8''%E7%94%B5%E8%B4%B9%201%E6%9C%88.pdf"
        )
        assert got.headers["x-content-type-options"] == "nosniff"

        coal = client.get(made["download"], headers=bearer(world, "coal_admin"))
        assert (coal.status_code, coal.json()["field"]) == (404, "evidence_id")

    def test_refusals(self, world: World, client: TestClient, draft: Submission) -> None:
        enterprise = bearer(world, "tea_user")
        url = f"/api/v1/submissions/{draft.id}/evidence"
        wrong = client.post(url, files={"file": ("a.pdf", EXE)}, headers=enterprise)
        assert (wrong.status_code, wrong.json()["field"]) == (422, "file")
        big = client.post(url, files={"file": ("a.pdf", PDF.ljust(70_000))}, headers=enterprise)
        assert (big.status_code, big.json()["code"]) == (413, "too_large")
        nobody = client.post(url, files={"file": ("a.pdf", PDF)})
        assert nobody.status_code == 401
        assert rows(world) == 0

    def test_a_tampered_file_is_not_served(
        self, world: World, client: TestClient, draft: Submission, tmp_path: Path
    ) -> None:
        enterprise = bearer(world, "tea_user")
        made = client.post(
            f"/api/v1/submissions/{draft.id}/evidence",
            files={"file": ("a.pdf", PDF)},
            headers=enterprise,
        ).json()
        path = tmp_path / "evidence" / made["sha256"][:2] / made["sha256"][2:]
        os.chmod(path, 0o640)
        path.write_bytes(b"%PDF-1.7 forged")
        response = client.get(made["download"], headers=enterprise)
        assert response.status_code >= 500
        assert "was altered on disk" in response.json()["message"]
