"""The log-in page shows fixed sentences chosen by a code, never text taken from the address."""

from __future__ import annotations

import html

import pytest

from tests.accounts.conftest import csrf_from, login
from virage.db import connect

PHISHING = "Votre compte est suspendu : appelez le 08 99 00 00 00 avec votre mot de passe"


@pytest.mark.parametrize(
    "motif", [PHISHING, "<b>gras</b>", "expiree ", "EXPIREE", "x" * 5000, "javascript:alert(1)"]
)
def test_any_other_text_shows_nothing(client, motif):
    r = client.get("/connexion", params={"motif": motif})
    assert r.status_code == 200
    assert 'class="notice notice-warning"' not in r.text
    assert motif not in html.unescape(r.text)


@pytest.mark.parametrize(
    "code, sentence",
    [
        ("connexion-requise", "Connectez-vous pour accéder à cette page."),
        ("expiree", "Votre session a expiré : reconnectez-vous."),
        ("deconnecte", "Vous êtes déconnecté·e."),
    ],
)
def test_known_codes_show_their_sentence(client, code, sentence):
    assert sentence in html.unescape(client.get(f"/connexion?motif={code}").text)


def test_redirects_use_codes(client, world):
    r = client.get("/moi", follow_redirects=False)
    assert r.headers["location"] == "/connexion?suivant=/moi&motif=connexion-requise"
    login(client, "nurse_a")
    db = connect(world.settings.db_path)
    db.execute("UPDATE sessions SET expires_at = '2000-01-01T00:00:00+00:00'")
    db.close()
    r = client.get("/moi", follow_redirects=False)
    assert r.headers["location"].endswith("&motif=expiree")
    login(client, "nurse_a")
    page = client.get("/moi")
    r = client.post(
        "/deconnexion", data={"_csrf_token": csrf_from(page.text)}, follow_redirects=False
    )
    assert r.headers["location"] == "/connexion?motif=deconnecte"
    assert "Vous êtes déconnecté·e." in html.unescape(client.get(r.headers["location"]).text)
