"""A small ``clamd`` client: ``PING`` and ``INSTREAM`` over a unix or TCP socket.

Written by hand rather than with the ``clamd`` package from PyPI (unmaintained since 2020): the
protocol is a few lines (``man clamd``, section « COMMANDS »), and owning them lets every step be
bounded — the size sent, the chunk size, the length of the reply read back and a timeout on each
socket operation. Any failure raises :class:`ClamdError`: the caller refuses the document (fail
closed), it never lets an unscanned file through.
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass

#: Bytes sent per INSTREAM chunk (clamd reads chunks of any size up to its ``StreamMaxLength``).
CHUNK = 64 * 1024
#: Longest reply read back from clamd; a verdict line is well under 1 KiB.
MAX_REPLY = 4096


class ClamdError(Exception):
    """clamd could not give a verdict: unreachable, too slow, refused the stream, odd reply."""


@dataclass(frozen=True)
class Endpoint:
    """Where clamd listens: a unix socket path, or a TCP host and port."""

    socket_path: str | None = None
    host: str | None = None
    port: int = 3310
    timeout: float = 30.0

    def describe(self) -> str:
        return self.socket_path or f"{self.host}:{self.port}"

    def connect(self) -> socket.socket:
        try:
            if self.socket_path:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(self.timeout)
                sock.connect(self.socket_path)
            else:
                sock = socket.create_connection((self.host, self.port), timeout=self.timeout)
                sock.settimeout(self.timeout)
        except OSError as exc:
            raise ClamdError(f"clamd injoignable sur {self.describe()} ({exc})") from exc
        return sock


def _read_reply(sock: socket.socket) -> str:
    """Reads one NUL-terminated reply, at most :data:`MAX_REPLY` bytes."""
    buf = b""
    while len(buf) < MAX_REPLY:
        try:
            part = sock.recv(MAX_REPLY - len(buf))
        except TimeoutError as exc:
            raise ClamdError("clamd n'a pas répondu à temps") from exc
        except OSError as exc:
            raise ClamdError(f"connexion à clamd interrompue ({exc})") from exc
        if not part:
            break
        buf += part
        if b"\0" in buf:
            break
    if b"\0" not in buf and len(buf) >= MAX_REPLY:
        raise ClamdError("réponse de clamd trop longue")
    return buf.split(b"\0", 1)[0].decode("utf-8", "replace").strip()


def ping(endpoint: Endpoint) -> bool:
    """True when clamd answers ``PONG``."""
    try:
        with endpoint.connect() as sock:
            sock.sendall(b"zPING\0")
            return _read_reply(sock) == "PONG"
    except (ClamdError, OSError):
        return False


def instream(endpoint: Endpoint, data: bytes) -> str | None:
    """Scans ``data``; returns the signature name when clamd finds one, ``None`` when clean.

    Raises :class:`ClamdError` on anything else (size limit of clamd, timeout, lost connection).
    """
    with endpoint.connect() as sock:
        try:
            sock.sendall(b"zINSTREAM\0")
            view = memoryview(data)
            for start in range(0, len(view), CHUNK):
                chunk = view[start : start + CHUNK]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
        except TimeoutError as exc:
            raise ClamdError("clamd n'a pas lu le document à temps") from exc
        except OSError:
            # clamd closes the stream when it exceeds its StreamMaxLength: its reply says so.
            pass
        reply = _read_reply(sock)
    if reply.endswith("FOUND"):
        # « stream: Eicar-Test-Local.UNOFFICIAL FOUND »
        return reply.removeprefix("stream:").removesuffix("FOUND").strip() or "inconnue"
    if reply == "stream: OK":
        return None
    if "size limit exceeded" in reply:
        raise ClamdError("document plus gros que ce que clamd accepte d'analyser (StreamMaxLength)")
    raise ClamdError(f"réponse inattendue de clamd : {reply[:200]!r}")
