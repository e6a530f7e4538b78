"""The round in a dead zone: a nurse's phone keeps her day, and what she does there is sent once.

Paul (SSIAD nurse) opens « Ma journée » on a slow network (≈ 400 kbit/s, 400 ms), which keeps his
round on the phone, encrypted. The network drops; he reloads: the round is there. He checks in at
three visits, writes two transmissions, checks out of one. The network comes back: every write
reaches the server once, in order, audited, with the time he tapped. Then someone else logs in
on the same browser: nothing of Paul's round can be read there.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in
from tests.e2e.test_device_storage import DUMP_STORAGE

pytestmark = pytest.mark.browser

NURSE, NEXT = "paul.infirmier", "lucas.as"
SLOW = {"offline": False, "latency": 400, "downloadThroughput": 50_000, "uploadThroughput": 50_000}


def _user_id(server_env, username: str) -> int:
    return query(server_env, "SELECT id FROM users WHERE username = ?", (username,))[0][0]


def _checkins(server_env, user_id: int) -> list[tuple]:
    return query(
        server_env,
        "SELECT appointment_id, checked_in_at, checked_out_at FROM agenda_checkins"
        " WHERE user_id = ? ORDER BY checked_in_at",
        (user_id,),
    )


def test_the_round_works_offline_and_is_sent_once(live_server, server_env, browser, capture):
    paul = _user_id(server_env, NURSE)
    ctx = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="fr-FR",
        timezone_id="Europe/Paris",
        service_workers="allow",
    )
    page = ctx.new_page()
    sign_in(page, live_server, NURSE)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW)

    def network(on: bool) -> None:
        # The context (the service worker) and the page's own throttled session, together.
        ctx.set_offline(not on)
        cdp.send("Network.emulateNetworkConditions", {**SLOW, "offline": not on})

    # Online, at the start of the shift: the round is kept on the phone.
    page.goto(f"{live_server}/agenda/ma-journee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma journée")
    expect(page.get_by_text("Tournée gardée sur cet appareil")).to_be_visible(timeout=180_000)
    assert page.evaluate("navigator.serviceWorker.ready.then(r => !!r.active)")
    cards = page.locator("ol.ag-day > li").filter(
        has=page.get_by_role("button", name="Je suis arrivé·e")
    )
    assert cards.count() >= 3
    visits = [int(cards.nth(i).get_attribute("data-visit")) for i in range(3)]
    first_person = page.locator(f"#rdv-{visits[0]} .ag-person").inner_text()
    capture(page, "hors-ligne-tournee-gardee")
    before = _checkins(server_env, paul)
    written_before = query(
        server_env, "SELECT count(*) FROM transmissions WHERE author_id = ?", (paul,)
    )[0][0]
    stored = page.evaluate(DUMP_STORAGE)
    assert first_person not in stored  # kept encrypted: no name readable on the device

    # No network; the page is reloaded: the round opens from the phone.
    network(False)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma journée")
    expect(page.get_by_text("Pas de réseau : copie gardée sur cet appareil")).to_be_visible()

    for visit in visits:
        page.locator(f"#rdv-{visit}").get_by_role("button", name="Je suis arrivé·e").click()
        expect(page.locator(f"#rdv-{visit}")).to_contain_text("Arrivée notée")
    expect(page.get_by_text("3 envois en attente")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    capture(page, "hors-ligne-pointages-en-attente")

    # The emergency liaison file (DLU) of a person of the round opens from the phone too.
    pid = query(server_env, "SELECT person_id FROM agenda_appointments WHERE id = ?", (visits[0],))[
        0
    ][0]
    page.goto(f"{live_server}/personnes/{pid}/dlu")
    expect(page.get_by_text("Dossier de liaison d'urgence · édité le")).to_be_visible()
    expect(page.get_by_text("Pas de réseau : copie gardée sur cet appareil")).to_be_visible()
    page.goto(f"{live_server}/agenda/ma-journee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma journée")

    # Two transmissions, from the forms kept on the phone.
    texts = [
        "Pansement du talon refait, plaie propre, pas d'odeur.",
        "Douleur à 3 sur 10 après la toilette, antalgique pris à 8 h.",
    ]
    for visit, text in zip(visits[:2], texts, strict=True):
        page.locator(f"#rdv-{visit}").get_by_role("link", name="Écrire une transmission").click()
        expect(page.get_by_label("Données")).to_be_visible()
        page.locator("label[for^=cible-]").first.click()
        page.get_by_label("Données").fill(text)
        page.get_by_role("button", name="Enregistrer la transmission").click()
        expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()
        page.goto(f"{live_server}/agenda/ma-journee")
        expect(page.get_by_role("heading", level=1)).to_have_text("Ma journée")

    page.locator(f"#rdv-{visits[0]}").get_by_role("button", name="Visite terminée").click()
    expect(page.locator(f"#rdv-{visits[0]}")).to_contain_text("Départ noté")
    expect(page.get_by_text("6 envois en attente")).to_be_visible()
    assert _checkins(server_env, paul) == before  # nothing reached the server

    # The network is back: everything leaves, once, in order.
    network(True)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    expect(page.get_by_text("envois en attente")).to_have_count(0, timeout=60_000)
    expect(page.get_by_text("Dernière synchronisation à")).to_be_visible()
    page.evaluate("window.scrollTo(0, 0)")
    capture(page, "hors-ligne-synchronise")
    after = [r for r in _checkins(server_env, paul) if r not in before]
    assert sorted(r[0] for r in after) == sorted(visits)  # the order: the journal's, below
    assert after[0][2] is not None and after[1][2] is None and after[2][2] is None
    assert after[0][1] <= after[1][1] <= after[2][1] <= after[0][2]  # the taps, to the second
    received = query(
        server_env,
        "SELECT action, appointment_id FROM agenda_sync_receipts WHERE user_id = ?",
        (paul,),
    )
    assert sorted(received) == sorted([("in", v) for v in visits] + [("out", visits[0])])
    audited = query(
        server_env,
        "SELECT action, target FROM audit_log WHERE actor_user_id = ? AND action IN"
        " ('agenda.checkin', 'agenda.checkout') ORDER BY id",
        (paul,),
    )
    assert audited[-4:] == [
        ("agenda.checkin", f"appointment:{visits[0]}"),
        ("agenda.checkin", f"appointment:{visits[1]}"),
        ("agenda.checkin", f"appointment:{visits[2]}"),
        ("agenda.checkout", f"appointment:{visits[0]}"),
    ]
    expect(page.locator("#tr-outbox")).to_have_count(0, timeout=30_000)
    rows = query(
        server_env,
        "SELECT data FROM transmissions WHERE author_id = ? ORDER BY id DESC LIMIT 2",
        (paul,),
    )
    assert [r[0] for r in reversed(rows)] == texts
    assert (
        query(server_env, "SELECT count(*) FROM transmissions WHERE author_id = ?", (paul,))[0][0]
        == written_before + 2
    )

    # The same entry sent again (an answer lost): received, never written twice.
    again = page.evaluate(
        """async (visit) => {
          const csrf = document.querySelector('input[name="_csrf_token"]').value;
          const send = () => fetch('/agenda/pointages', {method: 'POST', credentials: 'same-origin',
            headers: {'content-type': 'application/json', 'x-csrftoken': csrf},
            body: JSON.stringify({client_id: 'essai-double-envoi-1', appointment_id: visit,
                                  action: 'out'})});
          const a = await send(), b = await send();
          return [a.status, b.status, (await b.json()).message];
        }""",
        visits[1],
    )
    assert again[:2] == [201, 200] and "deux fois" in again[2]
    assert len([r for r in _checkins(server_env, paul) if r not in before]) == 3

    # Paul logs out; a colleague logs in on the same browser: nothing of Paul's is left.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté·e.")).to_be_visible(timeout=30_000)
    sign_in(page, live_server, NEXT)
    page.goto(f"{live_server}/agenda/ma-journee")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ma journée")
    dump = json.loads(page.evaluate(DUMP_STORAGE))
    text = json.dumps(dump, ensure_ascii=False)
    assert first_person not in text
    assert not [k for k in dump["local"] if k.endswith(f":{paul}")]
    assert (
        "virage-cle" not in dump["session"]
        or json.loads(dump["session"]["virage-cle"])["user"] != paul
    )
    pages = dump["idb"].get("virage-hors-ligne", {}).get("pages", [])
    assert all(str(p.get("user")) != str(paul) for p in pages)
    for contents in dump["caches"].values():
        assert not any(first_person in c for c in contents)
    ctx.close()

    # The coordinator reads what was written offline, signed by Paul.
    coord_ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    coord = coord_ctx.new_page()
    sign_in(coord, live_server, "ines.coordination")
    for text in texts:
        person = query(server_env, "SELECT person_id FROM transmissions WHERE data = ?", (text,))
        coord.goto(f"{live_server}/personnes/{person[0][0]}/transmissions")
        entry = coord.locator("article.tr").filter(has_text=text)
        expect(entry).to_have_count(1)
        expect(entry).to_contain_text("Paul Girard")
    coord_ctx.close()
