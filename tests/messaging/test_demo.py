"""The demo territory's conversation: Paul (SSIAD) and Thomas (EHPAD coordinator) about an
admission, with the person's consent recorded; others of the EHPAD read nothing."""

from __future__ import annotations

import re

from litestar.testing import TestClient

from tests.web.conftest import demo, demo_app, demo_db, sign_in  # noqa: F401


def test_paul_and_thomas_talk_about_an_admission(demo_app):  # noqa: F811
    with TestClient(demo_app) as client:
        sign_in(client, "thomas.idec")
        listing = client.get("/messages")
        assert "Entrée à l&#39;EHPAD lundi" in listing.text
        assert '<span class="nav-badge">1<' in listing.text
        href = re.search(r'href="(/messages/\d+)"', listing.text).group(1)
        page = client.get(href)
        assert page.status_code == 200 and "Lu par" in page.text
        client.cookies.clear()
        sign_in(client, "amina.ide")
        assert client.get(href).status_code == 404
