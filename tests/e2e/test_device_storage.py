"""Health text typed on a shared tablet belongs to the nurse who typed it, and to her session.

The SSIAD du Val-de-Loue has one tablet at the office. Nadia (night nurse) writes there, then Léa
(secretariat) logs in on the same browser. Every storage area of the browser is read as an
attacker holding the tablet would: nothing Nadia typed may be readable there, nor on the page.
Nadia's own draft still survives a reload during her session, and an entry waiting for the network
is not lost when her session expires: she logs in again and it leaves.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import execute, query, sign_in

pytestmark = pytest.mark.browser

NURSE, SECRETARY = "nadia.nuit", "lea.secretariat"

# Every storage area a page of the origin can read: Web Storage, IndexedDB, Cache API, cookies.
DUMP_STORAGE = """async () => {
  const out = {local: {}, session: {}, idb: {}, caches: {}, cookies: document.cookie};
  for (let i = 0; i < localStorage.length; i++) {
    const k = localStorage.key(i); out.local[k] = localStorage.getItem(k);
  }
  for (let i = 0; i < sessionStorage.length; i++) {
    const k = sessionStorage.key(i); out.session[k] = sessionStorage.getItem(k);
  }
  const request = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = () => ko(r.error); });
  for (const info of (indexedDB.databases ? await indexedDB.databases() : [])) {
    const db = await request(indexedDB.open(info.name));
    const stores = {};
    for (const name of db.objectStoreNames) {
      stores[name] = await request(db.transaction(name).objectStore(name).getAll());
    }
    db.close();
    out.idb[info.name] = stores;
  }
  if (window.caches) {
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      out.caches[name] = await Promise.all((await cache.keys()).map(async (r) => (await cache.match(r)).text()));
    }
  }
  return JSON.stringify(out);
}"""


def _storage(page) -> str:
    return page.evaluate(DUMP_STORAGE)


def _virage_keys(page) -> list[str]:
    return page.evaluate(
        "[...Object.keys(localStorage), ...Object.keys(sessionStorage)]"
        ".filter(k => k.startsWith('virage:'))"
    )


def _assert_nowhere(page, *texts: str) -> None:
    """None of the texts in any storage area of the origin, nor on the page shown."""
    dump = _storage(page)
    html = page.content()
    for text in texts:
        assert text not in dump, f"« {text} » readable in the browser's storage: {dump[:500]}"
        assert text not in html, f"« {text} » on the page {page.url}"


def _person(server_env) -> int:
    """An SSIAD person in Nadia's care team."""
    return query(
        server_env,
        "SELECT p.id FROM persons p JOIN structures s ON s.id = p.structure_id"
        " WHERE s.name = 'SSIAD du Val-de-Loue' AND p.status = 'active'"
        " AND p.id IN (SELECT person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        "              WHERE u.username = ?) ORDER BY p.id",
        (NURSE,),
    )[3][0]


def _count(server_env, text: str) -> int:
    return query(
        server_env, "SELECT count(*) FROM transmissions WHERE data LIKE ?", (f"%{text}%",)
    )[0][0]


def _tablet(browser):
    context = browser.new_context(
        viewport={"width": 800, "height": 1100}, locale="fr-FR", timezone_id="Europe/Paris"
    )
    return context, context.new_page()


def _log_out(page) -> None:
    page.get_by_role("button", name="Se déconnecter").click()


def test_a_draft_does_not_stay_for_the_next_user_of_the_tablet(live_server, server_env, browser):
    person_id = _person(server_env)
    marker = "Grisou-8342"
    text = f"Réveillée à 3 h, cherchait son chat {marker} dans le couloir, rassurée."
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-comportement]").click()
    page.get_by_label("Données").fill(text)
    # The draft is on the device (encrypted, written asynchronously) before the page goes.
    expect(page.locator("form[data-draft]")).to_have_attribute("data-draft", "saved")

    # Her own draft survives a reload during her session…
    page.reload()
    expect(page.get_by_label("Données")).to_have_value(text)
    expect(page.get_by_text("Brouillon retrouvé sur cet appareil")).to_be_visible()
    # …but what the device keeps is not readable as such, even while she is logged in.
    dump = _storage(page)
    assert marker not in dump
    assert any(k.startswith("virage:transmissions") for k in json.loads(dump)["local"])

    # She logs out from another page: she is told the draft will be erased, and goes back to it…
    page.goto(f"{live_server}/moi")
    _log_out(page)
    page.get_by_role("dialog").get_by_role("button", name="Reprendre le brouillon").click()
    expect(page.get_by_label("Données")).to_have_value(text)

    # …then logs out anyway.
    _log_out(page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 brouillon")
    dialog.get_by_role("button", name="Se déconnecter quand même").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert _virage_keys(page) == []
    _assert_nowhere(page, marker)

    # Léa logs in on the same browser: nothing of Nadia's is readable, on the page or on disk.
    sign_in(page, live_server, SECRETARY)
    _assert_nowhere(page, marker)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    _assert_nowhere(page, marker)
    ctx.close()


def test_pages_read_by_the_nurse_are_not_shown_again_after_logout(live_server, server_env, browser):
    """Léa presses « Back » on the tablet: the browser must not show Nadia's pages from its cache."""
    person_id = _person(server_env)
    latest = query(
        server_env,
        "SELECT data FROM transmissions WHERE person_id = ? AND kind = 'entry'"
        " ORDER BY id DESC LIMIT 1",
        (person_id,),
    )[0][0]
    excerpt = latest[:40]
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions")
    expect(page.locator("main")).to_contain_text(excerpt)
    _log_out(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    sign_in(page, live_server, SECRETARY)
    for _ in range(3):  # /connexion (Léa), /connexion (after logout), then Nadia's page
        page.go_back()
    assert page.url.endswith(f"/personnes/{person_id}/transmissions")
    assert excerpt not in page.content()
    ctx.close()


def test_an_entry_waiting_for_the_network_is_not_left_behind(live_server, server_env, browser):
    person_id = _person(server_env)
    marker = "Ouistiti-5127"
    text = f"Réveils fréquents, toux grasse, {marker}, saturation 93 %."
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-sommeil]").click()

    # Written and sent while the network is down: it waits in the outbox, encrypted.
    ctx.set_offline(True)
    page.get_by_label("Données").fill(text)
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()
    assert marker not in _storage(page)

    # The tablet finds a network, but the server stays out of reach for this entry.
    page.route("**/transmissions/envoyer", lambda route: route.abort("connectionrefused"))
    ctx.set_offline(False)
    page.goto(f"{live_server}/moi")
    expect(page.locator("#tr-outbox")).to_contain_text("1 transmission attend")

    # Logging out with an entry not sent: she is warned, and can first try to send it.
    _log_out(page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(
        "1 transmission pas encore envoyée : envoyez-la avant de vous déconnecter"
    )
    dialog.get_by_role("button", name="Envoyer puis me déconnecter").click()
    expect(dialog).to_contain_text("pas pu partir")
    assert _count(server_env, marker) == 0
    dialog.get_by_role("button", name="Rester connecté").click()
    expect(dialog).to_be_hidden()
    assert page.url.endswith("/moi")

    # The server is reachable again: « send, then log out » sends it once and logs her out.
    page.unroute("**/transmissions/envoyer")
    _log_out(page)
    page.get_by_role("dialog").get_by_role("button", name="Envoyer puis me déconnecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert _count(server_env, marker) == 1
    assert _virage_keys(page) == []
    ctx.close()


def test_an_offline_entry_left_by_logging_out_anyway_is_unreadable(
    live_server, server_env, browser
):
    person_id = _person(server_env)
    marker = "Kinkajou-2290"
    text = f"Douleur au talon droit {marker}, rougeur, pansement refait."
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-douleur]").click()
    ctx.set_offline(True)
    page.get_by_label("Données").fill(text)
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()
    page.route("**/transmissions/envoyer", lambda route: route.abort("connectionrefused"))
    ctx.set_offline(False)

    _log_out(page)
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("1 transmission pas encore envoyée")
    dialog.get_by_role("button", name="Se déconnecter quand même").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    _assert_nowhere(page, marker)

    sign_in(page, live_server, SECRETARY)
    _assert_nowhere(page, marker)
    assert _count(server_env, marker) == 0
    ctx.close()


def test_another_user_logging_in_wipes_what_the_previous_one_left(live_server, server_env, browser):
    """Nadia leaves without logging out; Léa logs in over her session on the same tablet."""
    person_id = _person(server_env)
    marker = "Pangolin-6613"
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    nurse_id = query(server_env, "SELECT id FROM users WHERE username = ?", (NURSE,))[0][0]
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-alimentation]").click()
    page.get_by_label("Données").fill(f"N'a pas voulu dîner, {marker}, a pris une compote.")
    expect(page.get_by_label("Données")).to_have_value(
        f"N'a pas voulu dîner, {marker}, a pris une compote."
    )
    assert any(str(nurse_id) in k for k in _virage_keys(page))

    sign_in(page, live_server, SECRETARY)
    assert not any(k.endswith(f":{nurse_id}") or f":{nurse_id}:" in k for k in _virage_keys(page))
    _assert_nowhere(page, marker)
    ctx.close()


def test_her_outbox_survives_the_end_of_her_session(live_server, server_env, browser):
    """The session ends (10 hours) while an entry waits: she logs in again and it leaves, once."""
    person_id = _person(server_env)
    marker = "Capybara-7304"
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-elimination]").click()
    ctx.set_offline(True)
    page.get_by_label("Données").fill(f"Selles liquides à 2 h, {marker}, change complet.")
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()

    execute(
        server_env,
        "UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00' WHERE user_id ="
        " (SELECT id FROM users WHERE username = ?)",
        (NURSE,),
    )
    ctx.set_offline(False)
    page.goto(f"{live_server}/moi")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert marker not in _storage(page)

    sign_in(page, live_server, NURSE)
    # The outbox opens after the page (its key is asked first): wait for the entry to leave.
    for _ in range(150):
        if _count(server_env, marker):
            break
        page.wait_for_timeout(100)
    expect(page.locator("#tr-outbox")).to_be_hidden(timeout=15000)
    assert _count(server_env, marker) == 1
    ctx.close()


def test_the_log_out_answer_clears_the_site_even_without_the_page_script(
    live_server, server_env, browser
):
    """A log-out sent before the page's script ran: the answer's Clear-Site-Data wipes storage."""
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    fresh = json.dumps(
        {"v": 2, "user": "1", "kid": "k", "iv": "AA==", "ct": "AA==", "at": "2999-01-01T00:00:00Z"}
    )
    page.evaluate("v => localStorage.setItem('virage:transmissions:1', v)", fresh)
    page.evaluate("document.querySelector('form[action=\"/deconnexion\"]').submit()")
    expect(page.get_by_role("heading", level=1)).to_have_text("Connexion")
    assert _virage_keys(page) == []
    ctx.close()


def test_drafts_kept_in_clear_by_an_older_version_are_encrypted_or_removed(
    live_server, server_env, browser
):
    """Before this version, drafts were kept in clear: the owner's are taken in, encrypted; the
    log-in page removes the others."""
    person_id = _person(server_env)
    nurse_id = query(server_env, "SELECT id FROM users WHERE username = ?", (NURSE,))[0][0]
    mine, theirs = "Axolotl-1184", "Okapi-3391"
    legacy = {
        f"virage:transmissions:draft:{nurse_id}:new:{person_id}:": {
            "fields": {"data": f"Chute sans gravité {mine}.", "target": "chute"},
            "client_id": "0f0e0d0c0b0a09080706050403020100",
            "saved_at": "2026-12-01T03:00:00.000Z",
        },
        f"virage:transmissions:draft:99999:new:{person_id}:": {
            "fields": {"data": f"Agitation {theirs}.", "target": "comportement"},
            "client_id": "00112233445566778899aabbccddeeff",
            "saved_at": "2026-12-01T03:00:00.000Z",
        },
    }
    put = "items => Object.entries(items).forEach(([k, v]) => localStorage.setItem(k, JSON.stringify(v)))"
    ctx, page = _tablet(browser)
    page.goto(f"{live_server}/connexion")
    page.evaluate(put, legacy)
    page.reload()  # the log-in page removes what is in clear
    assert _virage_keys(page) == []

    sign_in(page, live_server, NURSE)
    page.evaluate(put, legacy)  # as if the new version arrived during her session
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    expect(page.get_by_label("Données")).to_have_value(f"Chute sans gravité {mine}.")
    expect(page.locator("#cible-chute")).to_be_checked()
    _assert_nowhere(page, theirs)
    assert mine not in _storage(page)
    ctx.close()


def test_logging_out_in_one_tab_closes_the_others(live_server, server_env, browser):
    person_id = _person(server_env)
    marker = "Tamarin-4420"
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    other = ctx.new_page()
    other.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    other.locator("label[for=cible-peau]").click()
    other.get_by_label("Données").fill(f"Rougeur au sacrum {marker}.")
    _log_out(page)
    page.get_by_role("dialog").get_by_role("button", name="Se déconnecter quand même").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Connexion")
    _assert_nowhere(other, marker)
    ctx.close()


def test_an_entry_is_never_sent_under_the_next_users_session(live_server, server_env, browser):
    """Nadia's tab stays open while Sophie logs in from another tab of the same browser: the
    entry waiting in Nadia's tab must not leave under Sophie's name."""
    person_id = query(
        server_env,
        "SELECT person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        " WHERE u.username = ? INTERSECT SELECT person_id FROM care_team c"
        " JOIN users u ON u.id = c.user_id WHERE u.username = 'sophie.matin' ORDER BY 1",
        (NURSE,),
    )[0][0]
    marker = "Fennec-9071"
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-mobilite]").click()
    blocked = {"on": True}
    ctx.route(
        "**/transmissions/envoyer",
        lambda route: route.abort("connectionrefused") if blocked["on"] else route.continue_(),
    )
    page.get_by_label("Données").fill(f"Marche avec le déambulateur {marker}.")
    page.get_by_role("button", name="Enregistrer la transmission").click()
    expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()

    other = ctx.new_page()
    sign_in(other, live_server, "sophie.matin")
    sophie = query(server_env, "SELECT display_name FROM users WHERE username = 'sophie.matin'")
    # Nadia's tab now belongs to Sophie's session: it is reloaded, nothing of Nadia's is left.
    expect(page.locator(".account a")).to_have_text(sophie[0][0])
    expect(page.get_by_label("Données")).to_have_value("")
    _assert_nowhere(page, marker)
    blocked["on"] = False
    page.reload()
    expect(page.get_by_label("Données")).to_have_value("")
    assert _count(server_env, marker) == 0
    ctx.close()
