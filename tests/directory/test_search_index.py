"""The full-text index at national scale: contentless on SQLite (bm25 without a look-up per match),
a generated tsvector on PostgreSQL, filters as facets of the full-text query, and beyond COUNT_CAP
matches only the page's rows are read; it follows every write (updates, closures, network fields)
and the 0012 migration rebuilds it."""

from __future__ import annotations

import dataclasses

import pytest

from tests.directory.conftest import STRUCTURES
from virage.app import collect_migrations
from virage.db import connect, migrate
from virage.directory import search, search_sql, storage
from virage.directory.imports import run_import
from virage.plugins import PluginHost
from virage.settings import Settings


@pytest.fixture
def db(world, directory):
    database = connect(world.settings.db_path)
    yield database
    database.conn.close()


def found(db, **params) -> list[str]:
    return [r["name"] for r in search.search_structures(db, search.SearchParams(**params)).results]


def test_an_updated_name_is_forgotten_by_the_index(db, source, importer, list_file):
    renamed = dataclasses.replace(STRUCTURES[2], name="SSIAD des Trois Rivières")
    importer.items = [renamed if s is STRUCTURES[2] else s for s in importer.items]
    run_import(db, source, list_file)
    assert found(db, q="burgien") == []
    assert found(db, q="trois rivieres") == ["SSIAD des Trois Rivières"]
    sid = storage.get_structure_by_finess(db, "010000073")["id"]
    storage.set_structure_extra(db, sid, {"Zone": "Revermont"})
    assert found(db, q="revermont") == ["SSIAD des Trois Rivières"]
    storage.set_structure_extra(db, sid, {})
    assert found(db, q="revermont") == []
    if db.dialect == "sqlite":
        db.execute(
            "INSERT INTO directory_structures_fts (directory_structures_fts)"
            " VALUES ('integrity-check')"
        )
    else:  # the index is generated from the text table: one entry per structure, none stale
        assert (
            db.execute(
                "SELECT COUNT(*) FROM directory_structures_search i"
                " JOIN directory_structures s ON s.id = i.id"
            ).fetchone()[0]
            == db.execute("SELECT COUNT(*) FROM directory_structures").fetchone()[0]
        )
        assert (
            db.execute(
                "SELECT COUNT(*) FROM directory_structures_search WHERE doc @@ 'burgien'::tsquery"
            ).fetchone()[0]
            == 0
        )


def test_structures_closed_by_an_import_leave_the_default_results(db, source, importer, list_file):
    importer.items = [s for s in importer.items if s is not STRUCTURES[3]]  # SSIAD de Péronnas
    assert run_import(db, source, list_file).closed == 1
    assert "SSIAD de Péronnas" not in found(db, q="ssiad")
    assert "SSIAD de Péronnas" in found(db, q="ssiad", open_only=False)


def test_filters_in_the_index_give_the_same_results_as_in_the_table(db):
    cases = [
        {"q": "ehpad", "categories": ["500"]},
        {"q": "saint", "kind": "EJ"},
        {"q": "ssiad", "departement": "01"},
        {"q": "pharmacie", "commune": "69383"},
        {"q": "ehpad", "departement": "2A", "categories": ["500", "354"]},
        {"q": "ehpad", "open_only": False},
    ]
    for params in cases:
        by_index = found(db, **params, per_page=100)
        # the same filters without text go through the table
        rows = found(db, **{k: v for k, v in params.items() if k != "q"}, per_page=100)
        text = set(found(db, q=params["q"], open_only=False, per_page=100))
        assert sorted(by_index) == sorted(n for n in rows if n in text), params


def test_what_a_person_types_never_matches_a_filter_token(db):
    # filter tokens are « _c500 », « _closed », « _d01 »…: no typed word reaches them
    assert found(db, q="c5") == [] and found(db, q="closed") == []
    assert found(db, q="d01") == [] and found(db, q="ket") == []


@pytest.mark.parametrize(
    ("limit", "total"),
    [("COUNT_CAP", 11), ("EXACT_ORDER_MAX", 25)],  # « more than 10 »; 25, ranked by the index
)
def test_with_many_matches_only_the_page_is_read(db, monkeypatch, limit, total):
    monkeypatch.setattr(search_sql, limit, 10)
    statements: list[str] = []
    execute = db.execute

    def traced(sql, *args, **kwargs):
        statements.append(sql)
        return execute(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute", traced)
    first = search.search_structures(db, search.SearchParams(q="pharmacie", per_page=10))
    assert first.total == total and len(first.results) == 10
    reading_rows = [s for s in statements if "FROM directory_structures s" in s]
    assert reading_rows and all("s.id IN (" in s for s in reading_rows), reading_rows
    assert not [s for s in statements if "JOIN directory_structures" in s]
    # pages of the index order are consistent: all 25, each once
    seen = [
        r["id"]
        for page in (1, 2, 3)
        for r in search.search_structures(
            db, search.SearchParams(q="pharmacie", per_page=10, page=page)
        ).results
    ]
    assert len(seen) == len(set(seen)) == 25


def test_up_to_count_cap_equal_ranks_are_in_name_order(db):
    names = found(db, q="pharmacie", per_page=25)
    assert names == sorted(names) and len(names) == 25


def test_migration_0012_rebuilds_the_0011_index(tmp_path):
    settings = Settings(db_path=tmp_path / "ancienne.db", docs_dir=None, secret_key="essai")
    migrations = collect_migrations(PluginHost(settings))
    db = connect(settings.db_path)
    migrate(db, [m for m in migrations if m.name != "0012_directory_search_contentless"])
    for i, (name, status) in enumerate([("EHPAD Les Tilleuls", "open"), ("EHPAD Fermé", "closed")]):
        db.execute(
            "INSERT INTO directory_structures (id, kind, finess, name, category_code, status,"
            " source, created_at, updated_at) VALUES (?, 'ET', ?, ?, '500', ?, 'essai', '', '')",
            [i + 1, f"01000000{i}", name, status],
        )
        if db.dialect == "sqlite":  # PostgreSQL had no 0011 index: 0012 reads the entities
            db.execute(  # as the 0011 index was written
                "INSERT INTO directory_structures_fts (rowid, name, category, place, other)"
                " VALUES (?, ?, 'EHPAD 500', '', ?)",
                [i + 1, name, f"01000000{i}"],
            )
    assert [m.name for m in migrate(db, migrations)] == ["0012_directory_search_contentless"]
    assert found(db, q="ehpad") == ["EHPAD Les Tilleuls"]
    assert found(db, q="ehpad", open_only=False, categories=["500"]) == [
        "EHPAD Les Tilleuls",
        "EHPAD Fermé",  # equal ranks: open before closed
    ]
    db.conn.close()
