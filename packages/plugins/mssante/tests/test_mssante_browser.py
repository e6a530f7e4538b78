"""At 22 h a doctor's message reaches the on-call inbox from the operator's server, and the night
nurse answers it from her phone (issue 23): the doctor writes by SMTP (aiosmtpd relay → dovecot),
the connector fetches the mailbox over IMAPS (one round of ``fetch_all``, the code the poller
runs), the agenda routes the item to the nurse on call; in Chromium at a phone's size she opens
/boites, takes the item and answers; the answer arrives in the doctor's mailbox with
``In-Reply-To`` the message's ``Message-ID``. A second round files nothing more.

The server is uvicorn in a thread of this process (127.0.0.1, a port of its own), so that the
inboxes' clock pinned here at 22 h (Paris, ``virage.sdk.testing.pin_inboxes_clock``) holds for
the fetch, the routing and the pages. The operator's reception time (``INTERNALDATE``) stays the real
one. The nurse's session is made by the SDK's ``signed_in`` (the log-in pages are the core's to
test). No sleep: the test waits for the server's startup to be over and for the pages' states.
"""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import httpx
import pytest
import uvicorn
from mail_helpers import bridge, put_on_call, write
from playwright.sync_api import expect
from virage_mssante import config, fetch

from virage.sdk import PARIS
from virage.sdk.testing import (
    SESSION_COOKIE,
    connect,
    create_app,
    pin_inboxes_clock,
    signed_in,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
EVENING = datetime(2027, 1, 14, 21, 0)  # the nurse's on-call night, Paris time
AT_22 = datetime(2027, 1, 14, 22, 0, tzinfo=PARIS).astimezone(UTC)
MESSAGE_ID = "<retour-22h@hopital.mssante.test>"


class _Server(uvicorn.Server):
    """uvicorn telling when its startup is over (the application's hooks run, the socket open)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets=None) -> None:
        try:
            await super().startup(sockets=sockets)
        finally:
            self.ready.set()


@pytest.fixture
def live(world, mail, monkeypatch):
    """The application served on 127.0.0.1 by uvicorn in a thread; yields (base URL, app)."""
    monkeypatch.setenv("VIRAGE_INBOXES_ROUTING_SECONDS", "0")  # no round on the real clock
    pin_inboxes_clock(monkeypatch, AT_22)
    app = create_app(world.settings)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = _Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    assert server.ready.wait(timeout=30) and server.started, "le serveur n'a pas démarré"
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}", app
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()


def test_at_22h_the_night_nurse_answers_the_hospital_from_her_phone(world, mail, live, browser):
    base, app = live
    db = connect(world.settings.db_path)
    try:
        put_on_call(db, world, "nurse_a", start_local=EVENING)
        with httpx.Client(base_url=base) as client:
            inbox_id = bridge(client, db, world, mail.inbox_address)
        write(
            mail,
            "Retour à domicile ce soir",
            "Patiente rentrée à 21 h 30, pansement à revoir demain matin.",
            message_id=MESSAGE_ID,
        )
        assert fetch.fetch_all(db, app.state.plugins, config.load()).stored == 1
        session = signed_in(db, "nurse_a")
    finally:
        db.close()

    context = browser.new_context(viewport=PHONE, locale="fr-FR", timezone_id="Europe/Paris")
    context.add_cookies([{"name": SESSION_COOKIE, "value": session, "url": base}])
    page = context.new_page()
    page.goto(f"{base}/boites/")
    page.get_by_role("link", name="Astreinte SSIAD", exact=True).click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("D'astreinte maintenant : nurse a.")).to_be_visible()
    page.get_by_role("link", name="Retour à domicile ce soir").click()
    page.wait_for_load_state("load")
    expect(page.locator("#etat")).to_have_text("À prendre (adressé à nurse a)")
    expect(page.get_by_text("pansement à revoir demain matin")).to_be_visible()
    take = page.get_by_role("button", name="Je prends")
    assert take.bounding_box()["height"] >= 44
    take.click()
    page.wait_for_load_state("load")
    expect(page.locator("#etat")).to_have_text("Pris par nurse a")
    page.get_by_label("Votre réponse").fill("Bien reçu, passage prévu demain à 8 h.")
    page.get_by_role("button", name="Répondre").click()
    page.wait_for_load_state("load")
    expect(page.get_by_role("status")).to_have_text(
        "Réponse envoyée à l'expéditeur par la messagerie sécurisée."
    )
    expect(page.locator("#reponses")).to_contain_text("envoyée à l'expéditeur")

    (raw,) = mail.mailbox(mail.doctor_address)  # read over IMAPS, as the doctor's client does
    answer = BytesParser(policy=policy.default).parsebytes(raw)
    assert answer["In-Reply-To"] == MESSAGE_ID
    assert mail.inbox_address in answer["From"]
    assert answer["Subject"] == "Re : Retour à domicile ce soir"
    assert "passage prévu demain à 8 h" in answer.get_content()

    db = connect(world.settings.db_path)
    try:  # the poller's next round: the message is not filed twice
        assert fetch.fetch_all(db, app.state.plugins, config.load()).stored == 0
    finally:
        db.close()
    page.goto(f"{base}/boites/{inbox_id}")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="1 élément ouvert")).to_be_visible()
    expect(page.locator("#h-open + ul > li")).to_have_count(1)
    context.close()
