"""Settings of a Virage instance, read from ``VIRAGE_*`` environment variables."""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from virage.errors import ConfigurationError

DEFAULT_DB = Path("var/virage.db")


def _flag(environ: Mapping[str, str], name: str) -> bool:
    raw = environ.get(name, "").strip().lower()
    if raw in ("", "0", "false", "non", "no", "off"):
        return False
    if raw in ("1", "true", "oui", "yes", "on"):
        return True
    raise ConfigurationError(
        f"{name}={raw!r} n'est pas compris : utilisez 1/0, oui/non ou true/false."
    )


def _default_docs_dir() -> Path | None:
    # A source checkout keeps the built site at the repository root (./scripts/demo builds it).
    for candidate in (Path.cwd() / "site", Path(__file__).resolve().parents[4] / "site"):
        if (candidate / "index.html").is_file():
            return candidate
    return None


def _minutes(
    environ: Mapping[str, str], name: str, default: int, maximum: int = 60, unit: str = "minutes"
) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > maximum:
        raise ConfigurationError(
            f"{name}={raw!r} n'est pas compris : indiquez un nombre de {unit} entre 0 et {maximum}."
        )
    return int(raw)


def _database(raw: str) -> dict[str, Path | str]:
    """``VIRAGE_DB``: a PostgreSQL URL (``db_url``) or a SQLite path (``db_path``)."""
    if raw.startswith(("postgresql://", "postgres://")):
        return {"db_url": raw}
    if "://" in raw:
        raise ConfigurationError(
            f"VIRAGE_DB : « {raw.split('://')[0]}:// » n'est pas pris en charge ; indiquez le chemin "
            "d'un fichier SQLite ou une adresse postgresql://utilisateur@hôte:port/base."
        )
    return {"db_path": Path(raw) if raw else DEFAULT_DB}


FORWARDED_HEADERS = ("x-forwarded-for", "forwarded")


def _networks(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    """Comma- or space-separated IP addresses and networks (``127.0.0.1, 10.0.0.0/8, ::1``),
    checked and written as networks (``127.0.0.1/32``)."""
    items = environ.get(name, "").replace(",", " ").split()
    if len(items) > 100:
        raise ConfigurationError(f"{name} : 100 adresses ou réseaux au plus.")
    networks = []
    for item in items:
        try:
            networks.append(str(ipaddress.ip_network(item, strict=False)))
        except ValueError:
            raise ConfigurationError(
                f"{name} : « {item[:60]} » n'est ni une adresse IP ni un réseau "
                "(exemples : 127.0.0.1, 10.0.0.0/8, ::1)."
            ) from None
    return tuple(networks)


def _forwarded_header(environ: Mapping[str, str], name: str) -> str:
    raw = environ.get(name, "").strip().lower() or FORWARDED_HEADERS[0]
    if raw not in FORWARDED_HEADERS:
        raise ConfigurationError(
            f"{name}={raw[:60]!r} n'est pas compris : indiquez X-Forwarded-For ou Forwarded "
            "(l'en-tête que votre proxy inverse écrit)."
        )
    return raw


def _public_url(environ: Mapping[str, str], name: str) -> str:
    raw = environ.get(name, "").strip().rstrip("/")
    if raw and (not raw.startswith(("http://", "https://")) or " " in raw or len(raw) > 200):
        raise ConfigurationError(
            f"{name}={raw[:60]!r} n'est pas compris : indiquez l'adresse complète, par exemple "
            "https://virage.mon-reseau.fr"
        )
    return raw


@dataclass(frozen=True)
class Settings:
    """Configuration of one Virage instance.

    Every field comes from an environment variable (``Settings.from_env``) so that the same code runs
    embedded on a laptop, in the test suite and on a territorial network's server.
    """

    db_path: Path = DEFAULT_DB
    """``VIRAGE_DB`` as a path: the SQLite database file (created if missing)."""
    db_url: str = ""
    """``VIRAGE_DB`` as a URL: the PostgreSQL database of a network
    (``postgresql://virage@db.example:5432/virage``); it wins over ``db_path``."""
    db_pool_size: int = 10
    """``VIRAGE_DB_POOL_SIZE``: PostgreSQL connections one process may open at most (2 to 200)."""
    plugins: tuple[str, ...] | None = None
    """``VIRAGE_PLUGINS``: comma-separated allow-list of plugin names; unset = every installed plugin."""
    trace_hooks: bool = False
    """``VIRAGE_TRACE_HOOKS``: log every hook call and its result (for plugin developers)."""
    docs_dir: Path | None = None
    """``VIRAGE_DOCS_DIR``: folder of the built documentation site served under ``/docs/``."""
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32), repr=False)
    """``VIRAGE_SECRET_KEY``: secret signing the forms' CSRF tokens; random (per process) if unset, so
    every process of one instance must share it (``virage serve --workers N`` refuses to start
    without it)."""
    debug: bool = False
    """``VIRAGE_DEBUG``: show tracebacks (never in production)."""
    transmission_grace_minutes: int = 5
    """``VIRAGE_TRANSMISSION_GRACE_MINUTES``: minutes during which the author may still correct or
    withdraw a transmission (0 to 60); afterwards it is immutable (corrections are new entries)."""
    trusted_proxies: tuple[str, ...] = ()
    """``VIRAGE_TRUSTED_PROXIES``: addresses or networks of the reverse proxies whose forwarded
    header is believed (comma-separated); unset = none: the client is the socket's peer."""
    forwarded_header: str = FORWARDED_HEADERS[0]
    """``VIRAGE_FORWARDED_HEADER``: ``X-Forwarded-For`` (default) or ``Forwarded`` (RFC 7239), the
    header those proxies write; the other one is ignored."""
    public_url: str = ""
    """``VIRAGE_PUBLIC_URL``: the address people open Virage at (``https://virage.example.org``),
    for the links the command line prints (invitations, password resets); the pages use the
    address of the request when it is unset."""
    documents_dir: Path | None = None
    """``VIRAGE_DOCUMENTS_DIR``: folder of the persons' documents and photos (files named by
    their SHA-256); unset = a ``documents`` folder next to the SQLite database (``var/documents``
    on PostgreSQL)."""
    documents_max_mb: int = 20
    """``VIRAGE_DOCUMENTS_MAX_MB``: largest file accepted, in megabytes (1 to 200)."""

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        db_raw = env.get("VIRAGE_DB", "").strip()
        plugins_raw = env.get("VIRAGE_PLUGINS")
        plugins = None
        if plugins_raw is not None and plugins_raw.strip() != "*":
            plugins = tuple(p.strip() for p in plugins_raw.split(",") if p.strip())
        docs_raw = env.get("VIRAGE_DOCS_DIR", "").strip()
        docs_dir = Path(docs_raw) if docs_raw else _default_docs_dir()
        kwargs: dict = {}
        if env.get("VIRAGE_SECRET_KEY"):
            kwargs["secret_key"] = env["VIRAGE_SECRET_KEY"]
        settings = cls(
            **_database(db_raw),
            db_pool_size=_minutes(env, "VIRAGE_DB_POOL_SIZE", 10, maximum=200, unit="connexions"),
            plugins=plugins,
            trace_hooks=_flag(env, "VIRAGE_TRACE_HOOKS"),
            docs_dir=docs_dir,
            debug=_flag(env, "VIRAGE_DEBUG"),
            transmission_grace_minutes=_minutes(env, "VIRAGE_TRANSMISSION_GRACE_MINUTES", 5),
            trusted_proxies=_networks(env, "VIRAGE_TRUSTED_PROXIES"),
            forwarded_header=_forwarded_header(env, "VIRAGE_FORWARDED_HEADER"),
            public_url=_public_url(env, "VIRAGE_PUBLIC_URL"),
            documents_dir=Path(env["VIRAGE_DOCUMENTS_DIR"].strip())
            if env.get("VIRAGE_DOCUMENTS_DIR", "").strip()
            else None,
            documents_max_mb=_minutes(
                env, "VIRAGE_DOCUMENTS_MAX_MB", 20, maximum=200, unit="mégaoctets"
            )
            or 20,
            **kwargs,
        )
        settings.check()
        return settings

    def check(self) -> None:
        """Raise ``ConfigurationError`` with an actionable message when a value cannot work."""
        if self.is_postgres:
            return
        path = self.db_path
        parent = path.expanduser().resolve().parent
        if parent.exists() and not parent.is_dir():
            raise ConfigurationError(f"VIRAGE_DB : {parent} n'est pas un dossier.")
        if path.is_dir():
            raise ConfigurationError(
                f"VIRAGE_DB : {self.db_path} est un dossier ; indiquez le chemin d'un fichier, "
                "par exemple var/virage.db."
            )

    @property
    def is_postgres(self) -> bool:
        """The instance runs on PostgreSQL (``VIRAGE_DB`` is a ``postgresql://`` URL)."""
        return bool(self.db_url)

    @property
    def database(self) -> Path | str:
        """What :func:`virage.db.connect` opens: the PostgreSQL URL, else the SQLite path."""
        return self.db_url or self.db_path

    @property
    def documents_root(self) -> Path:
        """The folder of the documents' files (``VIRAGE_DOCUMENTS_DIR`` or its default)."""
        if self.documents_dir is not None:
            return self.documents_dir
        if self.is_postgres:
            return Path("var/documents")
        return self.db_path.expanduser().parent / "documents"

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)
