"""Configuration: environment variables, or a TOML settings file they point to.

=============================  ==========================================  ==================
variable                       meaning                                     default
=============================  ==========================================  ==================
``TANZUJI_SETTINGS``           a TOML file with any of the keys below      (none)
                               (lower case, without the prefix)
``TANZUJI_DATA_DIR``           where the SQLite database, evidence files   ``./var``
                               and the factor library live
``TANZUJI_DATABASE_URL``       SQLAlchemy URL, e.g.                        SQLite in the data
                               ``postgresql+psycopg://u@host/db``          directory
``TANZUJI_MAX_UPLOAD_BYTES``   largest evidence file or workbook accepted  20 MiB
``TANZUJI_SESSION_HOURS``      how long a sign-in lasts                    12
``TANZUJI_COOKIE_SECURE``      send the session cookie over HTTPS only     ``true``
``TANZUJI_PUBLIC_URL``         the address the public reaches this         ``http://127.0.0.1:8000``
                               deployment at: label QR codes, the
                               ``did:web`` of the issuer
=============================  ==========================================  ==================

An environment variable wins over the file. Nothing else configures tanzuji.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from tanzuji.errors import TanzujiError
from tanzuji.records import Record

__all__ = ["Settings", "load_settings"]

_PREFIX = "TANZUJI_"


class Settings(Record):
    """The settings of one tanzuji deployment."""

    data_dir: Path = Path("var")
    database_url: str = ""
    max_upload_bytes: int = Field(20 * 1024 * 1024, gt=0)
    session_hours: float = Field(12, gt=0)
    cookie_secure: bool = True
    public_url: str = "http://127.0.0.1:8000"

    @field_validator("public_url")
    @classmethod
    def _an_http_address(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")) or " " in value:
            raise ValueError("must be an http:// or https:// address, e.g. https://pcf.example.cn")
        return value.rstrip("/")

    @property
    def url(self) -> str:
        """The database URL: the one configured, or SQLite in :attr:`data_dir`."""
        return self.database_url or f"sqlite:///{self.data_dir / 'tanzuji.db'}"

    @property
    def evidence_dir(self) -> Path:
        """Where evidence files are kept, each under its SHA-256."""
        return self.data_dir / "evidence"

    @property
    def keys_dir(self) -> Path:
        """Where the deployment's Ed25519 signing keys are kept (created on first use)."""
        return self.data_dir / "keys"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """The settings from ``environ`` (default: the process environment) and its settings file."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    file = environ.get(f"{_PREFIX}SETTINGS")
    if file:
        try:
            values.update(tomllib.loads(Path(file).read_text(encoding="utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise TanzujiError(f"settings file {file}: {exc}") from exc
    for name in Settings.model_fields:
        if f"{_PREFIX}{name.upper()}" in environ:
            values[name] = environ[f"{_PREFIX}{name.upper()}"]
    try:
        return Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"{_PREFIX}{'.'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise TanzujiError(f"bad settings: {problems}") from exc
