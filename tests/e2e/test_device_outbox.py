"""What waits on the device goes to the server whole and in order, whatever the network does.

An old clear draft is taken in without being lost when the page is left early; entries written
offline leave in the order they were written, even when the network comes back in fits and starts.
"""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import query, sign_in
from tests.e2e.test_device_storage import NURSE, _storage, _tablet

pytestmark = pytest.mark.browser


def _persons(server_env, n: int) -> list[int]:
    """SSIAD persons in Nadia's care team."""
    rows = query(
        server_env,
        "SELECT p.id FROM persons p JOIN structures s ON s.id = p.structure_id"
        " WHERE s.name = 'SSIAD du Val-de-Loue' AND p.status = 'active'"
        " AND p.id IN (SELECT person_id FROM care_team c JOIN users u ON u.id = c.user_id"
        "              WHERE u.username = ?) ORDER BY p.id",
        (NURSE,),
    )
    return [r[0] for r in rows[4 : 4 + n]]


def test_an_old_clear_draft_is_not_lost_when_she_leaves_the_page_before_it_is_encrypted(
    live_server, server_env, browser
):
    """The old clear copy goes only once the encrypted one is written: a page left while the key
    is still on its way (weak network) loses nothing, and the other stores of the page (the kept
    round) leave it alone."""
    (person_id,) = _persons(server_env, 1)
    nurse_id = query(server_env, "SELECT id FROM users WHERE username = ?", (NURSE,))[0][0]
    mine = "Pangolin-5071"
    legacy = {
        f"virage:transmissions:draft:{nurse_id}:new:{person_id}:": {
            "fields": {"data": f"Escarre au talon {mine}.", "target": "peau"},
            "client_id": "0a0b0c0d0e0f00010203040506070809",
            "saved_at": "2026-12-01T03:00:00.000Z",
        }
    }
    put = "items => Object.entries(items).forEach(([k, v]) => localStorage.setItem(k, JSON.stringify(v)))"
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.wait_for_load_state("load")  # the page's scripts have run…
    page.evaluate("Virage.transmissions.ready.then(() => true)")  # …and are done with storage
    page.evaluate(put, legacy)
    page.evaluate("sessionStorage.removeItem('virage-cle')")  # no key kept by the tab either
    held = []
    page.route("**/moi/cle-appareil", lambda route: held.append(route))  # never answered
    with page.expect_request("**/moi/cle-appareil"):
        page.reload()
    page.wait_for_load_state("load")
    assert next(iter(legacy)) in json.loads(_storage(page))["local"]  # still there, in clear
    page.unroute("**/moi/cle-appareil")
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    expect(page.get_by_label("Données")).to_have_value(f"Escarre au talon {mine}.")
    expect(page.locator("#cible-peau")).to_be_checked()
    page.wait_for_function("() => !Object.keys(localStorage).some(k => k.includes(':draft:'))")
    assert mine not in _storage(page)  # taken in, encrypted; the clear copy is gone
    ctx.close()


def test_entries_written_offline_reach_the_file_in_order_when_the_network_flaps(
    live_server, server_env, browser
):
    """The first entry cannot go (the network comes back in fits): the second waits behind it."""
    persons = _persons(server_env, 2)
    texts = [f"Toux sèche {m}, pas de fièvre." for m in ("Coati-2201", "Coati-2202")]
    network = {"down": True, "first_fails": True}
    tried = []

    def server(route):
        data = json.loads(route.request.post_data)["data"]
        tried.append(data)
        if network["down"] or (network["first_fails"] and data == texts[0]):
            route.abort("connectionrefused")
        else:
            route.continue_()

    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    page.route("**/transmissions/envoyer", server)
    for n, (person_id, text) in enumerate(zip(persons, texts, strict=True), start=1):
        page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
        page.locator("label[for=cible-sommeil]").click()
        page.get_by_label("Données").fill(text)
        page.get_by_role("button", name="Enregistrer la transmission").click()
        expect(page.get_by_text("Pas de réseau pour l'instant")).to_be_visible()
        assert page.evaluate("Virage.transmissions.send()") == n  # kept, waiting
    # The network is back, but the first entry fails once more: the second does not overtake it.
    network["down"] = False
    tried.clear()
    page.goto(f"{live_server}/moi")
    assert page.evaluate("Virage.transmissions.ready.then(() => Virage.transmissions.send())") == 2
    assert set(tried) == {texts[0]}
    network["first_fails"] = False  # from now on, everything goes
    page.locator("#tr-outbox").get_by_role("button", name="Réessayer maintenant").click()
    expect(page.locator("#tr-outbox")).to_have_count(0)
    rows = query(
        server_env,
        "SELECT data FROM transmissions WHERE data LIKE 'Toux sèche Coati-220%' ORDER BY id",
    )
    assert [r[0] for r in rows] == texts
    ctx.close()


def test_what_she_types_before_the_device_store_is_open_is_kept(live_server, server_env, browser):
    """A slow phone: the key of the device store is still on its way when she starts typing. What
    she typed is kept as the draft once the store opens (it used to be kept only from the next
    keystroke on)."""
    (person_id,) = _persons(server_env, 1)
    text = "Somnolente à 14 h, a refusé le goûter Fennec-3307."
    ctx, page = _tablet(browser)
    sign_in(page, live_server, NURSE)
    held = []
    page.route("**/moi/cle-appareil", lambda route: held.append(route))  # not answered yet
    page.goto(f"{live_server}/personnes/{person_id}/transmissions/nouvelle")
    page.locator("label[for=cible-comportement]").click()
    page.get_by_label("Données").fill(text)
    expect(page.locator("form[data-enhanced]")).to_have_count(0)  # the script is still waiting
    assert held
    for route in held:
        route.continue_()  # the key arrives
    page.unroute("**/moi/cle-appareil")
    expect(page.locator("form[data-draft]")).to_have_attribute("data-draft", "saved")
    page.reload()
    expect(page.get_by_label("Données")).to_have_value(text)
    expect(page.get_by_text("Brouillon retrouvé sur cet appareil")).to_be_visible()
    ctx.close()
