"""The checks of the public verification page in the visitor's language.

:func:`tanzuji.credentials.verify_credential` and the ledger check say what they found in
English, for the command line and the logs. The page says it again from the check's name,
whether it passed and the facts it is about (issuer, key, dates, status list bits, ledger
entry and tree head), so that a Chinese page shows Chinese sentences; the English words of a
failed check stay available as its technical detail.
"""

from __future__ import annotations

import datetime
from typing import Any

from tanzuji.certification import CertificateStatus
from tanzuji.credentials import Check, CredentialCheck
from tanzuji.services.public_certificates import LedgerCheck, LedgerProblemKind, PublicCertificate
from tanzuji.web.i18n import Locale
from tanzuji.web.pages.render import N_

__all__ = ["CHECK_LABELS", "NOT_CHECKED", "credential_checks", "ledger_problems"]

CHECK_LABELS = {
    Check.SHAPE: N_("The document is a credential"),
    Check.CONTEXT: N_("W3C Verifiable Credentials 2.0"),
    Check.PROOF: N_("Signature (eddsa-jcs-2022)"),
    Check.ISSUER: N_("Issuer controls the signing key"),
    Check.PUBLIC_KEY: N_("Signed with this platform's issuer key"),
    Check.VALID_FROM: N_("Validity has begun"),
    Check.VALID_UNTIL: N_("Not expired"),
    Check.REVOCATION: N_("Not revoked"),
    Check.SUSPENSION: N_("Not suspended"),
}
"""What each credential check asks, as the page's list names it."""

CHECK_RESULTS: dict[tuple[Check, bool], str] = {
    (Check.SHAPE, True): N_("The document has every member a credential needs."),
    (Check.SHAPE, False): N_("Members a credential needs are missing or malformed."),
    (Check.CONTEXT, True): N_("Data model: W3C VC 2.0; type {types}."),
    (Check.CONTEXT, False): N_("The document is not a W3C VC 2.0 credential."),
    (Check.PROOF, True): N_("The signature is valid for the document exactly as it is."),
    (Check.PROOF, False): N_(
        "The signature is not valid for the document as it is: it was changed after signing."
    ),
    (Check.ISSUER, True): N_("The issuer {issuer} controls the signing key."),
    (Check.ISSUER, False): N_("The issuer {issuer} does not control the signing key."),
    (Check.PUBLIC_KEY, True): N_(
        "The signing key is this platform's issuer key {key} (published in its did.json)."
    ),
    (Check.PUBLIC_KEY, False): N_("The signing key is not this platform's issuer key {key}."),
    (Check.VALID_FROM, True): N_("Valid from {moment}."),
    (Check.VALID_FROM, False): N_("Not valid before {moment}."),
    (Check.VALID_UNTIL, True): N_("Valid until {moment}."),
    (Check.VALID_UNTIL, False): N_("Expired at {moment}."),
    (Check.REVOCATION, True): N_("Bit {index} of the revocation list is clear."),
    (Check.REVOCATION, False): N_("Bit {index} of the revocation list is set: withdrawn."),
    (Check.SUSPENSION, True): N_("Bit {index} of the suspension list is clear."),
    (Check.SUSPENSION, False): N_("Bit {index} of the suspension list is set: suspended."),
}
"""What a check found, by its name and whether it passed."""

STATUS_SET_BY = {
    Check.REVOCATION: CertificateStatus.WITHDRAWN,
    Check.SUSPENSION: CertificateStatus.SUSPENDED,
}
"""The certificate status that sets the certificate's bit in each list."""
STATUS_UNREADABLE = {
    Check.REVOCATION: N_("The revocation list could not be read: its signature or bits fail."),
    Check.SUSPENSION: N_("The suspension list could not be read: its signature or bits fail."),
}
"""A status check that failed although the certificate's status does not set its bit."""
NOT_CHECKED = N_("Not checked: a status list was not available.")

LEDGER_PROBLEMS = {
    LedgerProblemKind.NO_ENTRY: N_("The ledger has no entry {index}."),
    LedgerProblemKind.NOT_THE_ISSUE: N_(
        "Entry {index} is a {kind} event, not the issue of this certificate."
    ),
    LedgerProblemKind.DIGEST_DIFFERS: N_(
        "The stored credential is not the one whose SHA-256 the ledger recorded."
    ),
    LedgerProblemKind.NO_TREE_HEAD: N_("No tree head is signed yet."),
    LedgerProblemKind.HEAD_NOT_SIGNED: N_(
        "The latest tree head's signature does not verify with the ledger's key."
    ),
    LedgerProblemKind.NOT_COVERED: N_(
        "The latest signed tree head ({size} entries) does not cover entry {index} yet."
    ),
    LedgerProblemKind.NOT_INCLUDED: N_("The inclusion proof does not lead to the signed root."),
}
"""Each ledger problem in plain words; its English detail is the technical one."""


def _moment(text: str | None, locale: Locale) -> str:
    """An XML Schema date-time of the credential in the visitor's format (China time)."""
    if text is None:
        return "—"
    try:
        return locale.datetime(datetime.datetime.fromisoformat(text))
    except ValueError:
        return text


def _status_index(credential: dict[str, Any], purpose: str) -> str:
    entries = credential.get("credentialStatus", [])
    for entry in entries if isinstance(entries, list) else [entries]:
        if isinstance(entry, dict) and entry.get("statusPurpose") == purpose:
            return str(entry.get("statusListIndex", "—"))
    return "—"


def _result(check: CredentialCheck, found: PublicCertificate, locale: Locale) -> str:
    report, credential = found.credential, found.view.credential
    bit_set_by = STATUS_SET_BY.get(check.name)
    if bit_set_by is not None and not check.passed and found.view.status is not bit_set_by:
        return locale.gettext(STATUS_UNREADABLE[check.name])
    method = report.verification_method or ""
    return locale.gettext(
        CHECK_RESULTS[(check.name, check.passed)],
        types=", ".join(map(str, credential.get("type", []))),
        issuer=report.issuer or "—",
        key=method.partition("#")[2] or method or "—",
        moment=_moment(
            report.valid_from if check.name is Check.VALID_FROM else report.valid_until, locale
        ),
        index=_status_index(credential, check.name.value),
    )


def credential_checks(found: PublicCertificate, locale: Locale) -> list[dict[str, Any]]:
    """The credential's checks as the page lists them: what each asks, what it found, and,
    for a failed one, the verifier's own (English) words."""
    return [
        {
            "label": locale.gettext(CHECK_LABELS[check.name]),
            "passed": check.passed,
            "result": _result(check, found, locale),
            "technical": "" if check.passed else check.detail,
        }
        for check in found.credential.checks
    ]


def ledger_problems(ledger: LedgerCheck, locale: Locale) -> list[dict[str, str]]:
    """What failed in the ledger check, in plain words, each with its technical detail."""
    size = ledger.tree_head.tree_size if ledger.tree_head else "—"
    kind = ledger.entry_kind.value if ledger.entry_kind else "—"
    return [
        {
            "text": locale.gettext(
                LEDGER_PROBLEMS[problem.kind], index=ledger.entry_index, size=size, kind=kind
            ),
            "technical": problem.detail,
        }
        for problem in ledger.problems
    ]
