"""A merge of duplicate records moves everything onto the record kept: appointments,
transmissions (acknowledgements and search included, past their grace period too), the file
(plans, objectives, links, assessments) and the plugins' rows (orientation, teleconsultation,
alerts, kiosk). Per-person unique rows resolve deterministically; a failing implementation of the hook
cancels the whole merge."""

from __future__ import annotations

import pytest

from tests.accounts.conftest import login
from tests.accounts.sql import query
from tests.accounts.test_identity_vigilance import create, merge
from virage import db_copy
from virage.db import connect
from virage.plugins import hookimpl

OLD = "2026-01-05T08:00:00+00:00"
OLD_END = "2026-01-05T08:30:00+00:00"


def _seed(db, world, kept, dup):
    """Rows of both records, written as the domains write them (direct SQL, fixed dates)."""
    sid = query(db, "SELECT structure_id FROM persons WHERE id = ?", [kept])[0][0]
    nurse = world.users["nurse_a"]
    for pid, at in ((kept, "2026-03-02T09:00:00+00:00"), (dup, "2026-03-03T09:00:00+00:00")):
        query(
            db,
            "INSERT INTO agenda_appointments (structure_id, kind, title, person_id, place,"
            " start_utc, end_utc, created_at, updated_at) VALUES (?, 'visite', 'Visite', ?,"
            " 'domicile', ?, ?, ?, ?)",
            [sid, pid, at, at.replace("09:00", "10:00"), OLD, OLD],
        )
    query(
        db,
        "INSERT INTO transmissions (id, person_id, structure_id, author_id, author_label, target,"
        " category, occurred_at, created_at, editable_until, data) VALUES (9001, ?, ?, ?,"
        " 'Infirmière A', 'douleur', 'soins', ?, ?, ?, 'Douleur au genou gauche')",
        [dup, sid, nurse, OLD, OLD, OLD_END],
    )
    query(db, "INSERT INTO transmissions_acks VALUES (9001, ?, ?)", [nurse, OLD_END])
    plans = [(9101, kept, 1, "current"), (9102, dup, 1, "superseded"), (9103, dup, 2, "current")]
    for plan_id, pid, version, state in plans:
        query(
            db,
            "INSERT INTO dossier_plans (id, person_id, structure_id, version, status, review_on,"
            " author_label, created_at) VALUES (?, ?, ?, ?, ?, '2026-06-01', 'Coordination', ?)",
            [plan_id, pid, sid, version, state, OLD],
        )
    query(
        db,
        "INSERT INTO dossier_objectives (id, plan_id, person_id, structure_id, position, words)"
        " VALUES (9201, 9103, ?, ?, 1, 'Marcher jusqu''au marché')",
        [dup, sid],
    )
    query(
        db,
        "INSERT INTO dossier_objective_links VALUES (9001, 9201, ?, ?, 'Infirmière A', ?)",
        [dup, sid, OLD],
    )
    query(
        db,
        "INSERT INTO dossier_assessments (person_id, structure_id, questionnaire, answered_on,"
        " respondent, filled_by_label, responses, created_at) VALUES (?, ?, 'aggir',"
        " '2026-01-05', 'professionnel', 'Infirmière A', '{}', ?)",
        [dup, sid, OLD],
    )
    plugin_rows = {
        "orientation_requests": [
            "INSERT INTO orientation_requests (person_id, structure_id, author_id, module, offer,"
            " radius_km, consent, family_name, given_names, created_at, updated_at)"
            f" VALUES ({dup}, {sid}, {nurse}, 'ehpad', 'hebergement', 10, 'oui', 'Martin',"
            f" 'Marie', '{OLD}', '{OLD}')"
        ],
        "teleconsultations": [
            "INSERT INTO teleconsultations (structure_id, person_id, status, requested_by,"
            " doctor_professional_id, doctor_label, reason, room, created_at, updated_at)"
            f" VALUES ({sid}, {dup}, 'demandee', {nurse}, 1, 'Dr A', 'Plaie', 'salle-fusion',"
            f" '{OLD}', '{OLD}')"
        ],
        "alerts_alerts": [
            "INSERT INTO alerts_alerts (structure_id, device_id, room, unit, kind, raised_at,"
            f" person_id) VALUES ({sid}, 1, '102', 'A', 'chute', '{OLD}', {dup})"
        ],
        "alerts_rooms": [
            f"INSERT INTO alerts_rooms VALUES ({sid}, '101', {kept}, {nurse}, '{OLD}')",
            f"INSERT INTO alerts_rooms VALUES ({sid}, '102', {dup}, {nurse}, '{OLD}')",
        ],
        "kiosk_tickets": [
            "INSERT INTO kiosk_tickets (structure_id, day, number, device_id, person_id,"
            f" created_at) VALUES ({sid}, '2026-01-05', 1, 1, {dup}, '{OLD}')"
        ],
    }
    for table in _plugin_tables(db):
        for sql in plugin_rows[table]:
            query(db, sql)


#: The plugins' tables holding person ids, and how many rows the kept record ends with.
PLUGIN_TABLES = {
    "orientation_requests": 1,
    "teleconsultations": 1,
    "alerts_alerts": 1,
    "alerts_rooms": 1,
    "kiosk_tickets": 1,
}


def _plugin_tables(db) -> list[str]:
    """The plugins' tables present: the core-only pass of the suite runs without them."""
    conn = connect(db)
    try:
        present = db_copy.tables(conn)
        return [t for t in PLUGIN_TABLES if t in present]
    finally:
        conn.close()


def _where(db, pid):
    tables = (
        "agenda_appointments",
        "transmissions",
        "dossier_plans",
        "dossier_objectives",
        "dossier_objective_links",
        "dossier_assessments",
        *_plugin_tables(db),
    )
    return {
        t: query(db, f"SELECT count(*) FROM {t} WHERE person_id = ?", [pid])[0][0] for t in tables
    }


def test_everything_follows_the_record_kept(client, world):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a", given_names="Marie Helene")
    db = world.settings.db_path
    _seed(db, world, kept, dup)
    login(client, "coord_a")
    assert merge(client, kept, dup).status_code == 303
    assert set(_where(db, dup).values()) == {0}
    assert _where(db, kept) == {
        "agenda_appointments": 2,
        "transmissions": 1,
        "dossier_plans": 3,
        "dossier_objectives": 1,
        "dossier_objective_links": 1,
        "dossier_assessments": 1,
        **{t: PLUGIN_TABLES[t] for t in _plugin_tables(db)},
    }
    # One current plan: the kept record's; the duplicate's versions follow, as history.
    plans = query(db, "SELECT id, version, status FROM dossier_plans ORDER BY version")
    assert plans == [(9101, 1, "current"), (9102, 2, "superseded"), (9103, 3, "superseded")]
    if "alerts_rooms" in _plugin_tables(db):  # one room per person: the duplicate's is freed
        assert query(db, "SELECT room, person_id FROM alerts_rooms") == [("101", kept)]
    # The transmission kept its content, author, dates and acknowledgement.
    row = query(db, "SELECT data, author_id, created_at FROM transmissions WHERE id = 9001")
    assert row == [("Douleur au genou gauche", world.users["nurse_a"], OLD)]
    assert query(db, "SELECT count(*) FROM transmissions_acks WHERE transmission_id = 9001") == [
        (1,)
    ]
    assert query(db, "SELECT count(*) FROM transmissions_merge") == [(0,)]
    conn = connect(db)
    try:
        sqlite = conn.dialect == "sqlite"
    finally:
        conn.close()
    if sqlite:  # the full-text index scopes by person: the kept record finds it
        found = query(
            db, f"SELECT rowid FROM transmissions_fts WHERE transmissions_fts MATCH 'scope:p{kept}'"
        )
        assert found == [(9001,)]


def test_the_duplicates_current_plan_stays_current_when_the_kept_record_has_none(client, world):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a", given_names="Marie Helene")
    db = world.settings.db_path
    sid = query(db, "SELECT structure_id FROM persons WHERE id = ?", [kept])[0][0]
    query(
        db,
        "INSERT INTO dossier_plans (person_id, structure_id, version, review_on, author_label,"
        " created_at) VALUES (?, ?, 1, '2026-06-01', 'Coordination', ?)",
        [dup, sid, OLD],
    )
    login(client, "coord_a")
    assert merge(client, kept, dup).status_code == 303
    assert query(db, "SELECT person_id, version, status FROM dossier_plans") == [
        (kept, 1, "current")
    ]


def test_a_transmissions_person_is_still_frozen_outside_a_merge(client, world):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a")
    db = world.settings.db_path
    _seed(db, world, kept, dup)
    with pytest.raises(Exception, match=r"ne se modifient jamais|immuable"):
        query(db, "UPDATE transmissions SET person_id = ? WHERE id = 9001", [kept])
    assert query(db, "SELECT person_id FROM transmissions WHERE id = 9001") == [(dup,)]


class Broken:
    @hookimpl(trylast=True)  # called last: the others have moved their rows already
    def persons_merged(self, access, kept_id, merged_id):
        raise RuntimeError("disque plein")


def test_a_failing_implementation_cancels_the_whole_merge(client, world):
    kept = create(client, world, "secretary_a")
    dup = create(client, world, "secretary_a", given_names="Marie Helene")
    db = world.settings.db_path
    _seed(db, world, kept, dup)
    before = _where(db, dup)
    login(client, "coord_a")
    client.app.state.plugins.register(Broken(), "en_panne")
    try:
        refused = merge(client, kept, dup)
    finally:
        client.app.state.plugins.unregister("en_panne")
    assert refused.status_code == 409
    assert "La fusion est annulée" in refused.text
    assert "« en_panne »" in refused.text
    assert _where(db, dup) == before  # nothing half-merged
    assert query(db, "SELECT status, merged_into FROM persons WHERE id = ?", [dup]) == [
        ("active", None)
    ]
    assert query(db, "SELECT person_id FROM dossier_plans WHERE id = 9103") == [(dup,)]
