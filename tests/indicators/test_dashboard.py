"""The dashboard (SVG charts with their tables, the network's median never naming anyone), the
declared indicators (never by worker), the API and the command line (approved exports only)."""

from __future__ import annotations

import json
import re

import pytest

from tests.accounts.conftest import bearer
from tests.indicators.helpers import QUARTER, as_worker, post_form, seed_quarter
from virage.access import CARE_ROLES
from virage.db import connect
from virage.indicators import service
from virage.indicators.model import Indicator
from virage.plugins import PluginHost
from virage.sdk.testing import cli

PERIOD = "debut=2026-07&fin=2026-09"


def test_the_dashboard_draws_svg_with_a_table_for_each_chart(world, client):
    seed_quarter(world)
    as_worker(client, world, "director_a")
    r = client.get(f"/indicateurs/structures/{world.structures['a']}?{PERIOD}")
    assert r.status_code == 200
    assert (
        r.text.count("<svg") >= 4 and "<script" not in r.text.split("<main")[1].split("</main>")[0]
    )
    assert r.text.count("<caption>") >= r.text.count('<figure class="chart">')
    assert "Visites réalisées" in r.text and "Visite à domicile" in r.text
    assert "juillet 2026" in r.text and "2026-07-" not in r.text
    # one structure only: no median (it would be this structure's own figure)
    assert "Médiane du réseau" not in r.text


def test_the_median_needs_three_structures_and_names_none(world, client):
    seed_quarter(world, persons=6)
    seed_quarter(world, persons=8, structure="b")
    db = connect(world.settings.db_path)
    try:
        from virage.accounts import lookups

        third = lookups.create_structure(db, "SSIAD C", "SSIAD")
    finally:
        db.close()
    as_worker(client, world, "director_a")
    r = client.get(f"/indicateurs/structures/{world.structures['a']}?{PERIOD}")
    assert "Médiane du réseau" not in r.text  # b and a: two structures with figures
    as_worker(client, world, "admin")
    r = client.get(f"/indicateurs/reseau?{PERIOD}")
    assert r.status_code == 200 and "EHPAD B" not in r.text and "SSIAD A" not in r.text
    assert third  # an empty structure does not count in a median


@pytest.mark.parametrize("username", ["nurse_a", "care_a", "social_a", "secretary_a"])
def test_workers_in_the_field_do_not_see_the_dashboard(world, client, username):
    as_worker(client, world, username)
    assert client.get(f"/indicateurs/structures/{world.structures['a']}").status_code == 403


def test_no_indicator_is_grouped_by_worker_or_person(world):
    plugins = PluginHost(world.settings)
    found = service.declared(plugins)
    assert {i.key for _, i in found} >= {"agenda.visites_realisees", "transmissions.ecrites"}
    for _, indicator in found:
        assert indicator.problems() == []
        assert not {"professionnel", "auteur", "personne", "salarié"} & set(indicator.dimensions)
    assert not CARE_ROLES & {d for _, i in found for d in i.dimensions}


def test_an_indicator_by_worker_is_refused_and_reported(world):
    plugins = PluginHost(world.settings)

    class Spy:
        @staticmethod
        def register_indicators():
            return [
                Indicator(
                    "spy.par_agent",
                    "Visites par agent",
                    "visites",
                    lambda *a: [],
                    ("mois", "professionnel"),
                )
            ]

    from virage.plugins import hookimpl

    Spy.register_indicators = hookimpl(Spy.register_indicators)
    plugins.register(Spy, "spy")
    keys = {i.key for _, i in service.declared(plugins)}
    assert "spy.par_agent" not in keys
    assert any(f.plugin == "spy" and "professionnel" in f.error for f in plugins.failures)


def test_bad_months_are_refused_in_french(world, client):
    as_worker(client, world, "director_a")
    sid = world.structures["a"]
    r = client.get(f"/indicateurs/structures/{sid}?debut=2026-13&fin=2026-02")
    assert r.status_code == 400 and "2026-07" in r.text
    r = client.get(f"/indicateurs/structures/{sid}?debut=2000-01&fin=2026-02")
    assert r.status_code == 400 and "60 mois" in r.text


def test_the_api_gives_the_same_published_figures(world, client):
    seed_quarter(world)
    sid = world.structures["a"]
    r = client.get(
        f"/api/v1/indicateurs/structures/{sid}?{PERIOD}", headers=bearer(world, "director_a")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    done = next(i for i in body["indicators"] if i["key"] == "agenda.visites_realisees")
    home = next(x for x in done["rows"] if x["category"] == "home_visit")
    assert home["values"]["2026-09"] == 7 and home["values"]["2026-07"] is None
    r = client.get(f"/api/v1/indicateurs/structures/{sid}", headers=bearer(world, "nurse_a"))
    assert r.status_code == 403


def test_the_command_line_delivers_only_an_approved_export(
    world, client, tmp_path, monkeypatch, capsys
):
    seed_quarter(world)
    sid = world.structures["a"]
    monkeypatch.setenv("VIRAGE_DB", str(world.settings.db_path))
    monkeypatch.setenv("VIRAGE_SECRET_KEY", world.settings.secret_key)
    args = [
        "indicateurs",
        "export",
        "--structure",
        str(sid),
        "--periode",
        QUARTER,
        "--format",
        "json",
        "--compte",
        "director_a",
    ]
    assert cli(args) == 1
    assert "Aucun export approuvé" in capsys.readouterr().err
    as_worker(client, world, "director_a")
    page = f"/indicateurs/structures/{sid}/sas"
    export_id = re.search(
        r"(\d+)$", post_form(client, page, page, {"periode": QUARTER}).headers["location"]
    )[1]
    for who in ("director_a", "dpo_a"):
        as_worker(client, world, who)
        post_form(
            client, f"/indicateurs/sas/{export_id}", f"/indicateurs/sas/{export_id}/approuver"
        )
    out = tmp_path / "export.json"
    assert cli([*args, "--sortie", str(out)]) == 0, capsys.readouterr().err
    assert json.loads(out.read_text())["period"] == QUARTER
    assert cli([*args[:-1], "nurse_a"]) == 1
