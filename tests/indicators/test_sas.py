"""The sas: prepared, reviewed in full, approved by the director and the DPO, then downloadable;
every step audited; a change of the data invalidates it; a sent period is never sent twice."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from fhir.resources.R4B.bundle import Bundle

from tests.indicators.helpers import QUARTER, as_worker, post_form, seed_quarter, visit
from virage.db import connect, fetch_all


def _prepare(client, world) -> int:
    sid = world.structures["a"]
    as_worker(client, world, "director_a")
    page = f"/indicateurs/structures/{sid}/sas"
    r = post_form(client, page, page, {"periode": QUARTER})
    assert r.status_code == 303, r.text
    return int(re.search(r"/indicateurs/sas/(\d+)", r.headers["location"])[1])


def _approve(client, world, username: str, export_id: int):
    as_worker(client, world, username)
    page = f"/indicateurs/sas/{export_id}"
    return post_form(client, page, f"{page}/approuver")


def _audit(world, prefix="indicators.") -> list[str]:
    db = connect(world.settings.db_path)
    try:
        rows = fetch_all(db, "SELECT action FROM audit_log ORDER BY id")
    finally:
        db.close()
    return [r["action"] for r in rows if r["action"].startswith(prefix)]


def test_prepared_reviewed_approved_twice_then_downloadable(world, client):
    seed_quarter(world)
    export_id = _prepare(client, world)
    page = client.get(f"/indicateurs/sas/{export_id}")
    assert "En attente d'approbation" in page.text and "masqué" in page.text
    assert "Personne0" not in page.text  # figures only
    # not downloadable before both approvals
    assert client.get(f"/indicateurs/sas/{export_id}/telecharger?format=csv").status_code == 409
    assert _approve(client, world, "director_a", export_id).status_code == 303
    # the director cannot approve a second time in the DPO's place
    assert _approve(client, world, "director_a", export_id).status_code == 403
    assert client.get(f"/indicateurs/sas/{export_id}/telecharger?format=json").status_code == 409
    assert _approve(client, world, "dpo_a", export_id).status_code == 303
    r = client.get(f"/indicateurs/sas/{export_id}/telecharger?format=csv")
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    lines = list(csv.reader(io.StringIO(r.text), delimiter=";"))
    done = [x for x in lines if x[0] == "agenda.visites_realisees" and x[4] == "home_visit"]
    by_month = {x[3]: x[5] for x in done}
    # July's single structure appointment is hidden, so July's home visits are too (the July
    # total minus them would give it back); September shows its seven persons' visits.
    assert by_month["2026-07"] == "masqué" and by_month["2026-09"] == "7"
    small = [x for x in lines if x[4] == "structure_appointment" and x[3] == "2026-07"]
    assert small and small[0][5] == "masqué"
    content = json.loads(client.get(f"/indicateurs/sas/{export_id}/telecharger?format=json").text)
    assert content["period"] == QUARTER and content["threshold"] == 5
    actions = _audit(world)
    for action in (
        "indicators.export.prepared",
        "indicators.export.approved",
        "indicators.export.refused",
        "indicators.export.downloaded",
    ):
        assert action in actions
    assert actions.count("indicators.export.approved") == 2


def test_the_fhir_bundle_validates_and_carries_no_person(world, client):
    seed_quarter(world)
    export_id = _prepare(client, world)
    _approve(client, world, "director_a", export_id)
    _approve(client, world, "dpo_a", export_id)
    r = client.get(f"/indicateurs/sas/{export_id}/telecharger?format=fhir")
    assert r.status_code == 200
    bundle = Bundle.model_validate_json(r.text)
    kinds = {e.resource.get_resource_type() for e in bundle.entry}
    assert kinds == {"Organization", "MeasureReport"}
    assert "Patient" not in r.text and "Practitioner" not in r.text


def test_a_change_of_the_data_after_preparation_invalidates_the_export(world, client):
    seed_quarter(world)
    export_id = _prepare(client, world)
    db = connect(world.settings.db_path)
    try:
        visit(db, world, world.persons["p1"], datetime(2026, 8, 20, 9, 0))
    finally:
        db.close()
    r = _approve(client, world, "dpo_a", export_id)
    assert r.status_code == 409
    assert "ont changé" in client.get(f"/indicateurs/sas/{export_id}").text
    assert "indicators.export.invalidated" in _audit(world)


def test_two_exports_of_one_period_cannot_tell_one_admission(world, client):
    """Re-identification by difference: the quarter is sent, a person is admitted (backdated
    visits), a second export of the same quarter would show her visits as the difference. It is
    refused; and within one export, totals give no hidden cell back."""
    seed_quarter(world, persons=5)
    first = _prepare(client, world)
    _approve(client, world, "director_a", first)
    _approve(client, world, "dpo_a", first)
    sent = json.loads(client.get(f"/indicateurs/sas/{first}/telecharger?format=json").text)
    db = connect(world.settings.db_path)
    try:
        visit(db, world, world.persons["p1"], datetime(2026, 9, 3, 9, 0), kind="meeting")
    finally:
        db.close()
    as_worker(client, world, "director_a")
    page = f"/indicateurs/structures/{world.structures['a']}/sas"
    r = post_form(client, page, page, {"periode": QUARTER})
    assert r.status_code == 409 and "déjà été envoyés" in r.text
    # In the sent export, the one-person cell stays hidden and totals do not give it back.
    done = next(i for i in sent["indicators"] if i["key"] == "agenda.visites_prevues")
    rows = {r["category"]: r for r in done["rows"]}
    assert rows["structure_appointment"]["values"]["2026-07"] is None
    july_total = done["month_totals"]["2026-07"]
    visible = [r["values"]["2026-07"] for r in done["rows"] if r["values"]["2026-07"] is not None]
    assert july_total is None or len(visible) <= len(done["rows"]) - 2


@pytest.mark.parametrize("username", ["nurse_a", "secretary_a", "coord_a"])
def test_only_the_director_and_the_dpo_see_the_sas(world, client, username):
    seed_quarter(world)
    export_id = _prepare(client, world)
    as_worker(client, world, username)
    assert client.get(f"/indicateurs/sas/{export_id}").status_code == 404
    assert client.get(f"/indicateurs/sas/{export_id}/telecharger").status_code in (403, 404)


def test_another_structure_never_sees_the_export(world, client):
    seed_quarter(world)
    export_id = _prepare(client, world)
    as_worker(client, world, "coord_b")
    assert client.get(f"/indicateurs/sas/{export_id}").status_code == 404
    sid = world.structures["a"]
    assert client.get(f"/indicateurs/structures/{sid}").status_code == 404
    assert client.get(f"/indicateurs/structures/{sid}/envois").status_code == 404


def test_what_was_sent_can_be_shown_to_a_person_who_asks(world, client):
    seed_quarter(world)
    export_id = _prepare(client, world)
    _approve(client, world, "director_a", export_id)
    _approve(client, world, "dpo_a", export_id)
    client.get(f"/indicateurs/sas/{export_id}/telecharger?format=csv")
    as_worker(client, world, "secretary_a")
    r = client.get(f"/indicateurs/structures/{world.structures['a']}/envois")
    assert r.status_code == 200 and "3e trimestre 2026" in r.text
    assert "Visites réalisées" in r.text and "Personne" not in r.text
    # and in the person's own export (right of access), with her data
    as_worker(client, world, "director_a")
    export = client.get(f"/personnes/{world.persons['p1']}/export.json")
    assert export.status_code == 200, export.text[:300]
    assert "indicateurs_envoyes" in export.text and "3e trimestre 2026" in export.text


def test_a_bad_period_is_refused_in_french(world, client):
    as_worker(client, world, "director_a")
    page = f"/indicateurs/structures/{world.structures['a']}/sas"
    r = post_form(client, page, page, {"periode": "T3 2026"})
    assert r.status_code == 400 and "trimestre (2026-T3)" in r.text
