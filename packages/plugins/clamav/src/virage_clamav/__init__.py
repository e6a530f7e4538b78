"""virage-clamav: the reference antivirus of Virage's document intake, through ClamAV's ``clamd``.

It implements the hook ``scan_document(data, filename)``: the document is streamed to clamd
(``INSTREAM``, :mod:`virage_clamav.client`) and the verdict returned as a ``ScanVerdict``. A
signature found → ``clean=False`` and the intake refuses the document. clamd unreachable, too
slow or refusing the stream → :class:`ScannerUnavailable` (HTTP 503, French message): the
document is refused too, never accepted unscanned (fail closed).

Settings, read from the environment at each scan:

- ``VIRAGE_CLAMAV_SOCKET``: clamd's unix socket (Debian: ``/run/clamav/clamd.ctl``), or
- ``VIRAGE_CLAMAV_HOST`` and ``VIRAGE_CLAMAV_PORT`` (default 3310): clamd's TCP socket;
- ``VIRAGE_CLAMAV_TIMEOUT``: seconds allowed to each socket operation (default 30);
- ``VIRAGE_CLAMAV_MAX_BYTES``: largest document sent (default 25 Mio, clamd's default
  ``StreamMaxLength``); a bigger one is refused without being sent.

With none of the socket settings, the plugin scans nothing (the hook answers ``None``) and the
document pages say that no antivirus is configured.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

from virage.sdk import VirageError, hookimpl
from virage.sdk.documents import ScanVerdict
from virage_clamav.client import ClamdError, Endpoint, instream, ping

__version__ = "0.1.0"

log = logging.getLogger("virage_clamav")

#: The versions of the Virage SDK (``virage.sdk``) this plugin works with.
VIRAGE_SDK = ">=1.8,<2"  # virage.sdk.documents (SDK 1.8)

SCANNER = "ClamAV"
DEFAULT_MAX_BYTES = 25 * 1024 * 1024


class ScannerUnavailable(VirageError):
    """The antivirus could not give a verdict: the document is refused (fail closed)."""

    status_code = 503


def _number(env: Mapping[str, str], name: str, default: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ScannerUnavailable(
            f"Réglage {name} invalide ({raw[:40]!r}) : indiquez un nombre positif."
        ) from None
    if value <= 0:
        raise ScannerUnavailable(f"Réglage {name} invalide : indiquez un nombre positif.")
    return value


def endpoint(environ: Mapping[str, str] | None = None) -> Endpoint | None:
    """clamd's address from the environment, ``None`` when no antivirus is configured."""
    env = os.environ if environ is None else environ
    timeout = _number(env, "VIRAGE_CLAMAV_TIMEOUT", 30.0)
    path = (env.get("VIRAGE_CLAMAV_SOCKET") or "").strip()
    if path:
        return Endpoint(socket_path=path, timeout=timeout)
    host = (env.get("VIRAGE_CLAMAV_HOST") or "").strip()
    if host:
        port = int(_number(env, "VIRAGE_CLAMAV_PORT", 3310))
        return Endpoint(host=host, port=port, timeout=timeout)
    return None


def scan(data: bytes, environ: Mapping[str, str] | None = None) -> ScanVerdict | None:
    """Scans ``data`` with clamd; ``None`` when no clamd is configured."""
    env = os.environ if environ is None else environ
    where = endpoint(env)
    if where is None:
        return None
    limit = int(_number(env, "VIRAGE_CLAMAV_MAX_BYTES", DEFAULT_MAX_BYTES))
    if len(data) > limit:
        raise ScannerUnavailable(
            f"Document trop volumineux pour l'antivirus ({len(data) // 1024} Kio, au plus "
            f"{limit // 1024} Kio) : il n'est pas enregistré. Envoyez un fichier plus petit."
        )
    try:
        signature = instream(where, data)
    except ClamdError as exc:
        # The detail (address, error) goes to the server's log, not to the person.
        log.warning("clamd on %s gave no verdict: %s", where.describe(), exc)
        raise ScannerUnavailable(
            "L'antivirus ne répond pas : le document n'est pas enregistré. Réessayez dans "
            "quelques minutes ; si cela dure, prévenez l'administrateur du réseau."
        ) from exc
    return ScanVerdict(clean=signature is None, scanner=SCANNER, signature=signature)


@hookimpl
def scan_document(data: bytes, filename: str) -> ScanVerdict | None:
    """Scans an incoming document with clamd (see the module's settings)."""
    return scan(data)


@hookimpl
def extra_plugin_info():
    """Says where clamd is expected, and whether it answers."""
    try:
        where = endpoint()
    except ScannerUnavailable as exc:
        return {"description": f"Antivirus ClamAV des documents reçus : {exc.message}"}
    if where is None:
        state = "aucun clamd configuré, les documents ne sont pas analysés"
    else:
        answers = "répond" if ping(where) else "ne répond pas"
        state = f"clamd sur {where.describe()}, {answers}"
    return {"description": f"Antivirus ClamAV des documents reçus ({state})."}
