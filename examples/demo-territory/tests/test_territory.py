"""The demo territory, built through the CLI: every state is shown, the tour's people are free,
the same seed gives the same territory, and it builds without the optional plugins."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from virage_orientation.catalog import REQUEST_STATUSES, SENDING_STATUSES
from virage_teleconsultation.service import STATES as TELECONSULTATION_STATES

from virage.sdk import day_bounds, iso, today_paris
from virage.sdk.testing import cli, connect

#: Columns holding the wall-clock time of the build (or a salt, or a random room): not compared.
VOLATILE = {"at", "editable_until", "password_hash", "room"}


def _build(folder: Path, *args: str, plugins: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VIRAGE_DB", str(db))
        if plugins is None:
            mp.delenv("VIRAGE_PLUGINS", raising=False)
        else:
            mp.setenv("VIRAGE_PLUGINS", plugins)
        assert cli(["demo", "--no-serve", *args]) == 0
    return db


def _rows(db: Path, sql: str, params=()) -> list[tuple]:
    conn = connect(db)
    try:
        return [tuple(r) for r in conn.execute(sql, list(params)).fetchall()]
    finally:
        conn.close()


def _tables(conn) -> list[str]:
    """The tables of data (SQLite: a contentless full-text index cannot be scanned, its shadow
    tables are compared instead)."""
    if conn.dialect == "postgresql":
        sql = (
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            " AND table_type = 'BASE TABLE' AND table_name != '_migrations' ORDER BY table_name"
        )
    else:
        sql = (
            "SELECT name FROM sqlite_master WHERE type = 'table'"
            " AND name NOT LIKE 'sqlite_%' AND name != '_migrations'"
            " AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    return [r[0] for r in conn.execute(sql).fetchall()]


def _columns(conn, table: str) -> list[str]:
    if conn.dialect == "postgresql":
        rows = conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [r[0] for r in rows]
    return [r[1] for r in conn.execute(f"PRAGMA table_info('{table}')").fetchall()]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("demo"))


def _dump(db: Path) -> dict[str, list[tuple]]:
    conn = connect(db)
    try:
        out = {}
        for table in _tables(conn):
            cols = _columns(conn, table)
            keep = [c for c in cols if c not in VOLATILE and not c.endswith("_at")]
            quoted = ", ".join(f'"{c}"' for c in keep)
            rows = [tuple(r) for r in conn.execute(f'SELECT {quoted} FROM "{table}"').fetchall()]
            if table == "instance":
                rows = [r for r in rows if not r[0].endswith("_at")]
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


# --------------------------------------------------------------------------- orientation


def test_orientation_requests_in_every_state(demo):
    requests = {r[0] for r in _rows(demo, "SELECT status FROM orientation_requests")}
    assert requests == set(REQUEST_STATUSES)
    sendings = {r[0] for r in _rows(demo, "SELECT status FROM orientation_sendings")}
    assert sendings == set(SENDING_STATUSES)
    # a draft without its medical part, and a complete one not sent yet
    drafts = _rows(
        demo,
        "SELECT m.request_id IS NOT NULL FROM orientation_requests r"
        " LEFT JOIN orientation_medical m ON m.request_id = r.id WHERE r.status = 'brouillon'",
    )
    assert {d[0] for d in drafts} == {0, 1}
    # refusals carry a reason and a comment, acceptances a date
    refused = _rows(
        demo,
        "SELECT refusal_reason, comment FROM orientation_sendings WHERE status = 'refusee'",
    )
    assert refused and all(reason and comment for reason, comment in refused)
    accepted = _rows(
        demo,
        "SELECT proposed_date FROM orientation_sendings"
        " WHERE status IN ('acceptee', 'admission_choisie', 'admission_realisee')",
    )
    assert accepted and all(date for (date,) in accepted)


def test_orientation_went_through_the_service(demo):
    (requests,) = _rows(demo, "SELECT count(*) FROM orientation_requests")[0]
    (created,) = _rows(
        demo, "SELECT count(*) FROM audit_log WHERE action = 'orientation.request.created'"
    )[0]
    assert requests == created > 0
    answers = {
        r[0].removeprefix("orientation.answer.")
        for r in _rows(
            demo, "SELECT DISTINCT action FROM audit_log WHERE action LIKE 'orientation.answer.%'"
        )
    }
    assert {"liste_attente", "refusee", "acceptee", "admission_realisee"} <= answers
    # every sending's status appears in the request's history
    missing = _rows(
        demo,
        "SELECT s.id, s.status FROM orientation_sendings s WHERE NOT EXISTS (SELECT 1 FROM"
        " orientation_events e WHERE e.sending_id = s.id AND e.status = s.status)",
    )
    assert missing == []


def test_orientation_dates_spread_over_past_weeks(demo):
    created = [r[0] for r in _rows(demo, "SELECT created_at FROM orientation_requests")]
    oldest = iso(day_bounds(today_paris() - timedelta(days=35))[0])
    assert min(created) >= oldest
    assert min(created) < iso(day_bounds(today_paris() - timedelta(days=14))[0])
    answered = _rows(
        demo,
        "SELECT sent_at, answered_at FROM orientation_sendings WHERE answered_at IS NOT NULL",
    )
    delays = [
        (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 3600
        for start, end in answered
    ]
    hours = sum(delays) / len(delays)
    assert 1 < hours < 24 * 7  # a plausible first-answer time on the network's dashboard


def test_yvonne_garnier_is_left_for_the_tour(demo):
    rows = _rows(
        demo,
        "SELECT p.id, count(r.id) FROM persons p"
        " LEFT JOIN orientation_requests r ON r.person_id = p.id"
        " WHERE p.family_name = 'Garnier' AND p.given_names = 'Yvonne' GROUP BY p.id",
    )
    assert len(rows) == 1 and rows[0][1] == 0
    # nobody else shares her identity (the tour would see a duplicate warning)
    (same,) = _rows(
        demo, "SELECT count(*) FROM orientation_requests WHERE lower(family_name) = 'garnier'"
    )[0]
    assert same == 0


# --------------------------------------------------------------------------- teleconsultation


def test_teleconsultations_in_every_state(demo):
    states = {r[0] for r in _rows(demo, "SELECT status FROM teleconsultations")}
    assert states == set(TELECONSULTATION_STATES)
    reasons = _rows(
        demo,
        "SELECT outcome_reason FROM teleconsultations WHERE status IN ('cancelled', 'not_done')",
    )
    assert len(reasons) >= 2 and all(r for (r,) in reasons)
    reports = _rows(
        demo,
        "SELECT t.report_transmission_id, tr.target FROM teleconsultations t"
        " LEFT JOIN transmissions tr ON tr.id = t.report_transmission_id"
        " WHERE t.status = 'reported'",
    )
    assert reports and all(target == "teleconsultation" for _id, target in reports)
    (without,) = _rows(
        demo,
        "SELECT count(*) FROM teleconsultations WHERE status = 'done'"
        " AND report_transmission_id IS NULL",
    )[0]
    assert without >= 1


def test_the_tour_resident_and_the_next_days_are_free(demo):
    (resident,) = _rows(
        demo,
        "SELECT p.id FROM persons p"
        " JOIN care_team a ON a.person_id = p.id JOIN users ua ON ua.id = a.user_id"
        " JOIN care_team d ON d.person_id = p.id JOIN users ud ON ud.id = d.user_id"
        " WHERE ua.username = 'amina.ide' AND ud.username = 'helene.teleconsult'"
        " ORDER BY p.id LIMIT 1",
    )[0]
    assert _rows(demo, "SELECT id FROM teleconsultations WHERE person_id = ?", (resident,)) == []
    start = iso(day_bounds(today_paris())[0])
    end = iso(day_bounds(today_paris() + timedelta(days=2))[1])
    busy = _rows(
        demo,
        "SELECT a.id FROM agenda_appointments a JOIN teleconsultations t"
        " ON t.appointment_id = a.id WHERE a.status != 'cancelled'"
        " AND a.start_utc < ? AND a.end_utc > ?",
        (end, start),
    )
    assert busy == []


# --------------------------------------------------------------------------- seed & plugins


def test_same_seed_same_territory_other_seed_other_persons(demo, tmp_path):
    again = _build(tmp_path / "again")
    first, second = _dump(demo), _dump(again)
    assert first.keys() == second.keys()
    for table in first:
        assert first[table] == second[table], table
    other = _build(tmp_path / "other", "--seed", "7")
    persons = "SELECT family_name, given_names, birth_date FROM persons ORDER BY id"
    assert _rows(other, persons) != _rows(demo, persons)


def test_builds_without_orientation_and_teleconsultation(tmp_path):
    db = _build(tmp_path, plugins="finess,demo_territory")
    conn = connect(db)
    try:
        tables = set(_tables(conn))
    finally:
        conn.close()
    assert "orientation_requests" not in tables and "teleconsultations" not in tables
    (persons,) = _rows(db, "SELECT count(*) FROM persons")[0]
    assert persons > 0
