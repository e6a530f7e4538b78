"""The SMTP side of the test mail server: aiosmtpd on 127.0.0.1, STARTTLS and authentication
required, each accepted message saved into its recipients' maildirs through dovecot."""

from __future__ import annotations

import ssl

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

#: The relay refuses bigger messages (like an operator's server would).
MAX_SIZE = 30 * 1024 * 1024


class Deliver:
    def __init__(self, server) -> None:
        self.server = server

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address not in self.server.passwords:
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        for address in envelope.rcpt_tos:
            self.server.deliver(address, envelope.original_content)
        return "250 Message accepted for delivery"


def start_relay(server):
    """Start the SMTP relay on a free port; returns (controller, port)."""
    from mailserver import free_port

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(
        server.folder / "tls" / "server.crt", server.folder / "tls" / "server.key"
    )

    def authenticate(smtp, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and server.passwords.get(auth_data.login.decode()) == auth_data.password.decode()
        )
        return AuthResult(success=ok)

    port = free_port()
    controller = Controller(
        Deliver(server),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_require_tls=True,
        auth_required=True,
        data_size_limit=MAX_SIZE,
    )
    controller.start()
    return controller, port
