"""Reading what the labels and reports print, with the tools a person would use: Debian's
``zbarimg`` (zbar-tools) decodes QR codes from a PNG, ``pdfinfo`` and ``pdftotext``
(poppler-utils) read a PDF's pages and text. ``make pytest`` installs both."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

__all__ = ["decode_qr", "pdf_info", "pdf_pages", "pdf_text"]


def _tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: apt-get install {package} (make pytest does)")
    return found


def _with_file(data: bytes, suffix: str, command: list[str], *after: str) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"file{suffix}"
        path.write_bytes(data)
        done = subprocess.run(
            [*command, str(path), *after], capture_output=True, text=True, check=False, timeout=60
        )
    if done.returncode not in (0, 4):  # zbarimg: 4 = no code found, which the caller asserts
        pytest.fail(f"{command[0]} failed ({done.returncode}): {done.stderr}")
    return done.stdout


def decode_qr(png: bytes) -> list[str]:
    """Every QR code zbarimg finds in the image, as text."""
    out = _with_file(png, ".png", [_tool("zbarimg", "zbar-tools"), "--quiet", "--raw",
                                   "-Sdisable", "-Sqrcode.enable"])  # fmt: skip
    return [line for line in out.splitlines() if line]


def pdf_info(pdf: bytes) -> dict[str, str]:
    """What pdfinfo reports: ``Pages``, ``Page size`` (in points, with the paper's name), ..."""
    out = _with_file(pdf, ".pdf", [_tool("pdfinfo", "poppler-utils")])
    pairs = (line.split(":", 1) for line in out.splitlines() if ":" in line)
    return {name.strip(): value.strip() for name, value in pairs}


def pdf_pages(pdf: bytes) -> int:
    """The number of pages pdfinfo reports."""
    return int(pdf_info(pdf)["Pages"])


def pdf_text(pdf: bytes) -> str:
    """The text of the PDF, as pdftotext extracts it (UTF-8)."""
    return _with_file(pdf, ".pdf", [_tool("pdftotext", "poppler-utils"), "-enc", "UTF-8"], "-")
