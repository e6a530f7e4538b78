"""A broken scene makes the tour fail loudly, naming the scene and what was expected."""

from __future__ import annotations

import pytest
from virage_demo_territory.tour import Step, Tour, run_tour
from virage_demo_territory.tour.server import DemoServer, TourError

from virage.sdk.testing import connect


def _server(tmp_path) -> DemoServer:
    connect(tmp_path / "demo.db").close()
    return DemoServer("http://127.0.0.1:9", tmp_path / "demo.db")


def _ok(t: Tour) -> None:
    pass


def _broken(t: Tour) -> None:
    assert 1 == 2, "le bouton « Envoyer » a disparu"


def test_a_failing_step_names_itself_and_stops_the_tour(tmp_path):
    played = []

    def _never(t: Tour) -> None:
        played.append("never")

    steps = [
        Step("un", "Première scène", "—", "—", ("Guide", "guides/index.md"), _ok),
        Step("deux", "Scène cassée", "—", "—", ("Guide", "guides/index.md"), _broken),
        Step("trois", "Jamais jouée", "—", "—", ("Guide", "guides/index.md"), _never),
    ]
    lines = []
    with pytest.raises(TourError) as failure:
        run_tour(object(), _server(tmp_path), steps=steps, progress=lines.append)
    message = str(failure.value)
    assert message.startswith("étape 2 « Scène cassée » en échec : ")
    assert "le bouton « Envoyer » a disparu" in message
    assert played == []  # the tour stops at the first broken scene
    assert lines == ["Étape 1 — Première scène", "Étape 2 — Scène cassée"]


def test_two_pictures_cannot_share_a_name(tmp_path):
    class Page:
        viewport_size = {"width": 375, "height": 740}

    def _twice(t: Tour) -> None:
        t.shot(Page(), "meme-nom", "Une légende.")
        t.shot(Page(), "meme-nom", "Une autre légende.")

    steps = [Step("un", "Deux images", "—", "—", ("Guide", "guides/index.md"), _twice)]
    with pytest.raises(TourError, match="deux images portent le nom « meme-nom »"):
        run_tour(object(), _server(tmp_path), steps=steps)
