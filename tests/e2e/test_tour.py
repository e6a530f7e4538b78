"""The guided tour, short version: every step and every check of ./scripts/tour, no picture.

It runs on its own fresh demo server (the other browser tests share theirs and change it), and
compares the captions it would write with the committed manifest of docs/captures/visite-guidee:
when the tour or the demo changes what a picture shows, the page must be regenerated.
"""

from __future__ import annotations

import pytest
from virage_demo_territory.tour import read_manifest, run_tour
from virage_demo_territory.tour.page import CAPTURES_DIR
from virage_demo_territory.tour.server import demo_server
from virage_demo_territory.tour.steps import STEPS

from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def test_the_guided_tour_plays_and_matches_the_committed_page(browser, tmp_path):
    with demo_server(tmp_path) as server:
        shots = run_tour(browser, server, captures=None, failures=tmp_path)

    assert [s.step for s in shots], "the tour took no picture"
    assert {s.step for s in shots} == {step.slug for step in STEPS}, "a step shows nothing"
    seed, committed = read_manifest(ROOT / "docs" / CAPTURES_DIR)
    assert [(s.step, s.name) for s in shots] == [(s.step, s.name) for s in committed], (
        "the tour's pictures changed: run ./scripts/tour and commit docs/"
    )
    for played, written in zip(shots, committed, strict=True):
        assert played.caption == written.caption, (
            f"caption of {played.name} changed: run ./scripts/tour and commit docs/"
        )
        assert played.phone == written.phone
    assert seed == 2026
