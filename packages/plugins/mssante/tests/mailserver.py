"""A real mail server for the tests, on 127.0.0.1 only, in a throwaway folder.

- IMAP: Debian's ``dovecot`` (package ``dovecot-imapd``) started with a configuration of its own
  (implicit TLS only, ``ssl = required``, a passwd-file, maildirs, logs and sockets in the
  folder, a free port), stopped and removed at the end;
- SMTP: ``aiosmtpd`` with STARTTLS required and authentication, delivering each message into the
  recipient's maildir through dovecot itself (``doveadm save``), like an operator's relay would;
- TLS: a throwaway certificate authority and a server certificate for 127.0.0.1, made with the
  ``openssl`` command; the client trusts that authority through a CA file, never by switching
  verification off.

Each test run (the SQLite and PostgreSQL passes run at the same time) gets its own servers on
free ports. Without dovecot the tests are skipped, unless ``VIRAGE_REQUIRE_MAILSERVER=1``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

#: The password of every test account.
PASSWORD = "mot-de-passe-de-test"

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
DOVEADM = shutil.which("doveadm") or "/usr/bin/doveadm"


def available() -> bool:
    return Path(DOVECOT).exists() and Path(DOVEADM).exists() and bool(shutil.which("openssl"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_authority(folder: Path, name: str) -> Path:
    """A certificate authority (``name``.crt / ``name``.key); returns the certificate's path."""
    _openssl(
        "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", f"{name}.key", "-out", f"{name}.crt", "-days", "2",
        "-subj", f"/CN=Virage {name} test CA",
        "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )  # fmt: skip
    return folder / f"{name}.crt"


def make_server_cert(folder: Path, ca: str = "ca") -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost signed by the authority ``ca``."""
    (folder / "san.cnf").write_text("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    _openssl(
        "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1",
        cwd=folder,
    )  # fmt: skip
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", f"{ca}.crt", "-CAkey", f"{ca}.key",
        "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "san.cnf",
        cwd=folder,
    )  # fmt: skip
    return folder / "server.crt", folder / "server.key"


def _users() -> tuple[str, str, int, int]:
    """(internal user, login user, mail uid, mail gid): root runs dovecot's own Debian users."""
    if os.geteuid() == 0:
        internal = pwd.getpwnam("dovecot")
        return "dovecot", "dovenull", internal.pw_uid, internal.pw_gid
    me = pwd.getpwuid(os.getuid())
    return me.pw_name, me.pw_name, me.pw_uid, me.pw_gid


CONF = """\
base_dir = {d}/run
state_dir = {d}/state
log_path = {d}/dovecot.log
info_log_path = {d}/dovecot.log
listen = 127.0.0.1
protocols = imap
ssl = required
ssl_cert = <{d}/tls/server.crt
ssl_key = <{d}/tls/server.key
ssl_min_protocol = TLSv1.2
{dh}
disable_plaintext_auth = yes
auth_mechanisms = plain
auth_failure_delay = 0
default_internal_user = {internal}
default_login_user = {login}
first_valid_uid = 1
mail_location = maildir:{d}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={d}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
"""


@dataclass
class MailServer:
    """The running servers: where to connect, which CA to trust, the accounts."""

    folder: Path
    imap_port: int
    smtp_port: int
    ca_file: Path
    wrong_ca_file: Path
    passwords: dict[str, str] = field(default_factory=dict)
    _smtp: object | None = None

    @property
    def conf(self) -> Path:
        return self.folder / "dovecot.conf"

    def environment(self, credentials: Path) -> dict[str, str]:
        """The plugin's settings pointing at these servers."""
        return {
            "VIRAGE_MSSANTE_IMAP_HOST": "127.0.0.1",
            "VIRAGE_MSSANTE_IMAP_PORT": str(self.imap_port),
            "VIRAGE_MSSANTE_SMTP_HOST": "127.0.0.1",
            "VIRAGE_MSSANTE_SMTP_PORT": str(self.smtp_port),
            "VIRAGE_MSSANTE_SMTP_TLS": "starttls",
            "VIRAGE_MSSANTE_CA_FILE": str(self.ca_file),
            "VIRAGE_MSSANTE_CREDENTIALS_FILE": str(credentials),
        }

    def deliver(self, address: str, raw: bytes) -> None:
        """Put a message into ``address``'s mailbox as the operator's server would."""
        subprocess.run(
            [DOVEADM, "-c", str(self.conf), "save", "-u", address],
            input=raw,
            check=True,
            capture_output=True,
            timeout=30,
        )

    def mailbox(self, address: str) -> list[bytes]:
        """Every message in ``address``'s INBOX, read over IMAPS like a client."""
        import imaplib

        context = ssl.create_default_context(cafile=str(self.ca_file))
        with imaplib.IMAP4_SSL("127.0.0.1", self.imap_port, ssl_context=context) as imap:
            imap.login(address, self.passwords[address])
            imap.select("INBOX", readonly=True)
            _, data = imap.uid("SEARCH", None, "ALL")
            out = []
            for uid in data[0].split():
                _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
                out.append(parts[0][1])
            return out

    def stop(self) -> None:
        if self._smtp is not None:
            with contextlib.suppress(Exception):
                self._smtp.stop()
        pid_file = self.folder / "run" / "master.pid"
        with contextlib.suppress(OSError, ValueError):
            pid = int(pid_file.read_text().strip())
            os.kill(pid, signal.SIGTERM)  # our own dovecot only: the pid it wrote in our folder
            deadline = time.monotonic() + 10
            while pid_file.exists() and time.monotonic() < deadline:
                time.sleep(0.02)
        shutil.rmtree(self.folder, ignore_errors=True)


def _wait_port(port: int, log: Path, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(
        "dovecot n'écoute pas : " + (log.read_text() if log.exists() else "pas de journal")
    )


def start(accounts: dict[str, str]) -> MailServer:
    """Start dovecot (IMAPS) and aiosmtpd (SMTP + STARTTLS) for ``accounts`` (address → password)."""
    folder = Path(tempfile.mkdtemp(prefix="virage-mail-"))
    internal, login, uid, gid = _users()
    (folder / "tls").mkdir()
    ca_file = make_authority(folder / "tls", "ca")
    wrong_ca = make_authority(folder / "tls", "autre")
    make_server_cert(folder / "tls")
    for sub in ("run", "state", "mail", "home"):
        (folder / sub).mkdir()
    for sub in ("mail", "home"):
        os.chown(folder / sub, uid, gid)
    folder.chmod(0o755)
    (folder / "passwd").write_text(
        "".join(f"{address}:{{PLAIN}}{password}::::::\n" for address, password in accounts.items())
    )
    dh = "/usr/share/dovecot/dh.pem"
    port = free_port()
    (folder / "dovecot.conf").write_text(
        CONF.format(
            d=folder,
            port=port,
            internal=internal,
            login=login,
            uid=uid,
            gid=gid,
            dh=f"ssl_dh = <{dh}" if Path(dh).exists() else "",
        )
    )
    server = MailServer(folder, port, 0, ca_file, wrong_ca, dict(accounts))
    try:
        with open(folder / "start.log", "wb") as out:  # dovecot forks: no pipe to wait on
            subprocess.run(
                [DOVECOT, "-c", str(folder / "dovecot.conf")],
                check=True,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                timeout=30,
            )
        _wait_port(port, folder / "dovecot.log")
        from smtp_relay import start_relay

        server._smtp, server.smtp_port = start_relay(server)
    except Exception:
        server.stop()
        raise
    return server
