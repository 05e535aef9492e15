"""Evidence files on disk, content-addressed: each kept once under its SHA-256.

A file with digest ``abcdef…`` lives at ``<root>/ab/cdef…`` (the first two hex digits name a
folder, so no folder holds more than a 256th of the files). It is written to a temporary file
in the same folder, flushed to disk and renamed into place, so a reader never sees half a
file; uploading the same bytes again finds them there and writes nothing. Every read hashes
the bytes again: a file altered on disk is reported, never served.

The database row (:class:`tanzuji.store.models.Evidence`) says which submission a file backs;
the file is written before that row commits, so a rolled-back upload can leave a file no row
names. Such a file is harmless (the next upload of the same bytes reuses it) and a sweep can
remove it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path

from tanzuji.errors import StoreError, Tampered
from tanzuji.settings import Settings

__all__ = ["EvidenceMissing", "EvidenceStore", "EvidenceTampered"]

_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class EvidenceMissing(StoreError):
    """An evidence file the database names is not on disk (wrong data directory, or deleted)."""


class EvidenceTampered(Tampered):
    """An evidence file whose bytes no longer hash to the SHA-256 it was stored under."""


class EvidenceStore:
    """The evidence files under ``root``, each at most ``max_bytes`` long."""

    def __init__(self, root: Path, max_bytes: int = 20 * 1024 * 1024) -> None:
        self.root = root
        self.max_bytes = max_bytes

    @classmethod
    def from_settings(cls, settings: Settings) -> EvidenceStore:
        """The store of a deployment: ``<data_dir>/evidence``, its upload limit."""
        return cls(settings.evidence_dir, settings.max_upload_bytes)

    def path_of(self, sha256: str) -> Path:
        """Where the file with this digest lives (``<root>/ab/cdef…``)."""
        if not _SHA256.match(sha256):
            raise ValueError(f"not a SHA-256 in lower-case hex: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:]

    def put(self, content: bytes) -> str:
        """Keep ``content`` (once, however often it comes) and return its SHA-256.

        A file already there is kept if it still holds these bytes, and replaced if it was
        damaged, so uploading the original again repairs it.
        """
        sha256 = hashlib.sha256(content).hexdigest()
        target = self.path_of(sha256)
        try:
            if target.is_file() and self._digest_of(target) == sha256:
                return sha256
            target.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(content)
                    file.flush()
                    os.fsync(file.fileno())
                os.chmod(temporary, 0o440)  # evidence is never edited in place
                os.replace(temporary, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)
                raise
            _sync_folder(target.parent)
        except OSError as exc:
            raise StoreError(f"cannot store evidence file {sha256}: {exc.strerror}") from exc
        return sha256

    def read(self, sha256: str) -> bytes:
        """The bytes stored under ``sha256``, hashed again on the way out.

        :class:`EvidenceMissing` if the file is gone, :class:`EvidenceTampered` if its bytes
        no longer match the digest.
        """
        path = self.path_of(sha256)
        try:
            content = path.read_bytes()
        except FileNotFoundError as exc:
            raise EvidenceMissing(
                f"evidence file {sha256} is missing from the evidence store: check the data "
                "directory (TANZUJI_DATA_DIR) or restore the file from a backup"
            ) from exc
        except OSError as exc:
            raise StoreError(f"cannot read evidence file {sha256}: {exc.strerror}") from exc
        actual = hashlib.sha256(content).hexdigest()
        if actual != sha256:
            raise EvidenceTampered(
                f"evidence file {sha256} was altered on disk (its content now hashes to "
                f"{actual}): it is not served; restore it from a backup or have the enterprise "
                "upload the original again"
            )
        return content

    def __contains__(self, sha256: object) -> bool:
        return (
            isinstance(sha256, str)
            and _SHA256.match(sha256) is not None
            and self.path_of(sha256).is_file()
        )

    @staticmethod
    def _digest_of(path: Path) -> str:
        digest = hashlib.sha256()
        with path.open("rb") as file:
            for block in iter(lambda: file.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()


def _sync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); a platform without directory handles skips it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
