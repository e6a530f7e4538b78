"""The SSIAD's on-call inbox over a night, on a phone and a pinned clock (demo territory): at 22 h
a message from the hospital arrives (``receive_external``, as the connector delivers it); Nadia,
the night nurse on call, takes it and answers from her phone and leaves a handover note; a second
message nobody takes goes to the manager after the inbox's minutes; at 7 h Paul, on call in the
morning, gets both at handover, with Nadia's note. No sleep: the clock is pinned and the routing
round runs once per step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in
from virage.agenda.kinds import CORE_KINDS
from virage.agenda.seeding import seed_appointment
from virage.agenda.timeutil import PARIS
from virage.db import connect
from virage.inboxes import clock, routing, storage
from virage.inboxes.model import ExternalMessage
from virage.inboxes.settings import InboxSettings, seed
from virage.sdk import inboxes

pytestmark = pytest.mark.browser

ADDRESS = "astreinte-essai.ssiad@val-de-loue.mssante.fr"
NIGHT = datetime(2027, 1, 14, 21, 0)  # a night of its own, far from the demo's days


def _ids(server_env) -> tuple[int, dict[str, int]]:
    sid = query(server_env, "SELECT id FROM structures WHERE name = ?", ["SSIAD du Val-de-Loue"])
    users = dict(
        query(
            server_env,
            "SELECT username, id FROM users WHERE username IN (?, ?, ?)",
            ["nadia.nuit", "paul.infirmier", "claire.direction"],
        )
    )
    return sid[0][0], users


def _at(monkeypatch, local: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: local.replace(tzinfo=PARIS).astimezone(UTC))


def _message(n: int, subject: str, body: str) -> ExternalMessage:
    return ExternalMessage(
        message_id=f"<essai-{n}@ch-val-de-loue.mssante.fr>",
        sender="urgences@ch-val-de-loue.mssante.fr",
        subject=subject,
        body=body,
        received_at=datetime(2027, 1, 14, 21, 0, tzinfo=UTC),
    )


def test_a_night_of_the_on_call_inbox_on_a_phone(
    live_server, server_env, browser, capture, monkeypatch
):
    sid, users = _ids(server_env)
    kinds = {k.name: k for k in CORE_KINDS}
    db = connect(server_env["VIRAGE_DB"])
    try:
        inbox_id = seed(
            db,
            sid,
            InboxSettings(
                name="Astreinte de nuit (essai)", external_address=ADDRESS, claim_minutes=15
            ),
        )
        for who, start, hours in (
            ("nadia.nuit", NIGHT, 10),
            ("paul.infirmier", NIGHT + timedelta(hours=10), 12),
        ):
            seed_appointment(
                db,
                kinds,
                structure_id=sid,
                kind="on_call",
                title="Astreinte",
                professional_ids=[users[who]],
                start_local=start,
                duration_minutes=hours * 60,
            )
        inbox = storage.inbox(db, inbox_id)
        _at(monkeypatch, NIGHT + timedelta(hours=1))  # 22 h
        first = inboxes.receive_external(
            db,
            None,
            inbox_address=ADDRESS,
            message=_message(
                1,
                "Retour à domicile ce soir",
                "Patiente rentrée à 21 h 30, pansement à revoir au matin.",
            ),
        )
        second = inboxes.receive_external(
            db,
            None,
            inbox_address=ADDRESS,
            message=_message(2, "Matériel à récupérer", "Lit médicalisé livré demain 9 h."),
        )
        assert storage.item(db, first)["routed_to"] == users["nadia.nuit"]
    finally:
        db.close()

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    sign_in(page, live_server, "nadia.nuit")
    page.goto(f"{live_server}/boites/elements/{first}")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retour à domicile ce soir")
    take = page.get_by_role("button", name="Je prends")
    assert take.bounding_box()["height"] >= 44
    take.click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Pris par Nadia")).to_be_visible()
    page.get_by_label("Votre réponse").fill("Bien reçu, passage prévu demain 8 h.")
    page.get_by_role("button", name="Répondre").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Réponse enregistrée dans Virage")).to_be_visible()
    capture(page, "boites-astreinte-element", full_page=True)
    page.goto(f"{live_server}/boites/{inbox_id}")
    page.wait_for_load_state("load")
    page.get_by_label("Note pour la relève").fill(
        "Pansement de la patiente rentrée ce soir à revoir à 8 h ; famille prévenue."
    )
    page.get_by_role("button", name="Enregistrer la note de relève").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Votre note du")).to_be_visible()
    capture(page, "boites-note-de-releve", full_page=True)
    context.close()

    db = connect(server_env["VIRAGE_DB"])
    try:
        # Nobody takes the second message: after 15 minutes it goes to the manager.
        _at(monkeypatch, NIGHT + timedelta(hours=1, minutes=10))
        assert routing.run_inbox(db, None, inbox) == 0
        _at(monkeypatch, NIGHT + timedelta(hours=1, minutes=16))
        assert routing.run_inbox(db, None, inbox) == 1
        row = storage.item(db, second)
        assert row["routed_to"] == users["claire.direction"] and row["escalation_level"] == 1
        # 7 h: Paul is on call; both open items are his, with Nadia's note.
        _at(monkeypatch, NIGHT + timedelta(hours=10))
        assert routing.run_inbox(db, None, inbox) == 2
        assert storage.item(db, first)["claimed_by"] == users["paul.infirmier"]
        assert storage.item(db, second)["routed_to"] == users["paul.infirmier"]
    finally:
        db.close()

    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    page = context.new_page()
    sign_in(page, live_server, "paul.infirmier")
    page.goto(f"{live_server}/boites/elements/{first}")
    page.wait_for_load_state("load")
    expect(page.get_by_text("Reçu à la relève")).to_be_visible()
    expect(page.get_by_text("famille prévenue")).to_be_visible()
    capture(page, "boites-recu-a-la-releve", full_page=True)
    page.get_by_label("Issue, en une ligne").fill("Pansement refait à 8 h")
    page.get_by_role("button", name="Clore").click()
    page.wait_for_load_state("load")
    expect(page.get_by_text("Clos par Paul")).to_be_visible()
    context.close()
