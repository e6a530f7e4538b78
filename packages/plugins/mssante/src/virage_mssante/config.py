"""The connector's settings, read from the environment (``VIRAGE_MSSANTE_*``), and the TLS
context every connection uses.

Credentials are **not** in the database: ``VIRAGE_MSSANTE_CREDENTIALS_FILE`` names a file the
service alone reads (one line per bridged address: ``adresse mot-de-passe``), the way an
operator's secrets are usually handed over. So no password sits in a backup, an export, a page
or the journal, and rotating one is editing a file. The inbox a line serves is the one whose
external address it names (set in Virage's inbox settings).

TLS always: IMAP over implicit TLS (IMAPS, port 993), SMTP with STARTTLS (587) or implicit TLS
(465); the server's certificate is verified against the system's authorities, or against
``VIRAGE_MSSANTE_CA_FILE`` (an operator's own authority; the tests' throwaway one). There is no
setting that turns verification off.
"""

from __future__ import annotations

import logging
import os
import ssl
from dataclasses import dataclass, field
from pathlib import Path

#: Bounds: raw bytes read of one message, messages per inbox and round, credential lines.
MAX_RAW_BYTES = 512 * 1024
MAX_PER_ROUND = 100
MAX_CREDENTIALS = 500
DEFAULT_POLL_SECONDS = 120.0
log = logging.getLogger("virage.mssante")


def _int(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        return max(low, min(high, int(raw))) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Config:
    imap_host: str = ""
    imap_port: int = 993
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_tls: str = "starttls"
    ca_file: str = ""
    credentials_file: str = ""
    poll_seconds: float = DEFAULT_POLL_SECONDS
    timeout: float = 30.0
    passwords: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def configured(self) -> bool:
        return bool(self.imap_host or self.smtp_host)

    def password(self, address: str) -> str | None:
        return self.passwords.get(address.strip().lower())

    def tls_context(self) -> ssl.SSLContext:
        """Certificate and host name verified, TLS 1.2 at least; never weaker."""
        context = ssl.create_default_context(cafile=self.ca_file or None)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        return context


def read_credentials(path: str) -> dict[str, str]:
    """``adresse mot-de-passe`` per line (``#`` comments); bounded; the passwords never logged."""
    if not path:
        return {}
    out: dict[str, str] = {}
    try:
        with Path(path).open(encoding="utf-8") as lines:
            for n, line in enumerate(lines):
                if n >= MAX_CREDENTIALS * 4:
                    break
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                address, _, password = line.partition(" ")
                if address and password.strip() and len(out) < MAX_CREDENTIALS:
                    out[address.strip().lower()] = password.strip()
    except (OSError, UnicodeDecodeError):  # each inbox then says it has no credentials
        log.warning("MSSanté : fichier des identifiants illisible (%s).", path)
        return {}
    return out


def load() -> Config:
    env = os.environ.get
    seconds = env("VIRAGE_MSSANTE_POLL_SECONDS", "").strip()
    try:
        poll = max(0.0, min(3600.0, float(seconds))) if seconds else DEFAULT_POLL_SECONDS
    except ValueError:
        poll = DEFAULT_POLL_SECONDS
    tls = env("VIRAGE_MSSANTE_SMTP_TLS", "starttls").strip().lower()
    credentials = env("VIRAGE_MSSANTE_CREDENTIALS_FILE", "").strip()
    return Config(
        imap_host=env("VIRAGE_MSSANTE_IMAP_HOST", "").strip(),
        imap_port=_int("VIRAGE_MSSANTE_IMAP_PORT", 993, 1, 65535),
        smtp_host=env("VIRAGE_MSSANTE_SMTP_HOST", "").strip(),
        smtp_port=_int("VIRAGE_MSSANTE_SMTP_PORT", 465 if tls == "implicit" else 587, 1, 65535),
        smtp_tls="implicit" if tls == "implicit" else "starttls",
        ca_file=env("VIRAGE_MSSANTE_CA_FILE", "").strip(),
        credentials_file=credentials,
        poll_seconds=poll,
        timeout=float(_int("VIRAGE_MSSANTE_TIMEOUT_SECONDS", 30, 1, 300)),
        passwords=read_credentials(credentials),
    )
