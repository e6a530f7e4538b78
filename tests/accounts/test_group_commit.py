"""Audit entries share durable commits, and none is lost or late.

- concurrent requests' entries are committed together (fewer commits than entries);
- an entry is durable when the answer that read the data arrives;
- an entry recorded before a write commits with it, and survives the write's roll-back;
- if the audit cannot be written, the data is not sent (503).
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.accounts.conftest import bearer
from virage.db import connect, transaction
from virage.groupcommit import GroupCommitter, _pending, write_soon

INSERT = "INSERT INTO t (v) VALUES (?)"


def _count(path, sql="SELECT count(*) FROM audit_log"):
    db = connect(path)
    try:
        return db.execute(sql).fetchone()[0]
    finally:
        db.close()


def _blocker(path):
    """Another connection holding the write lock on ``t`` until it rolls back."""
    blocker = connect(path)
    blocker.begin()
    if blocker.dialect == "postgresql":
        blocker.execute("LOCK TABLE t IN EXCLUSIVE MODE")
    return blocker


def test_waiting_batches_share_one_commit(tmp_path):
    path = tmp_path / "g.db"
    db = connect(path)
    db.execute("CREATE TABLE t (v INTEGER)")
    committer = GroupCommitter(lambda: connect(path))
    # Hold the write lock so that every submission queues up behind the first one.
    blocker = _blocker(path)
    futures = [committer.submit([(INSERT, [i])]) for i in range(20)]
    blocker.rollback()
    for f in futures:
        f.result(timeout=10)
    committer.close()
    assert _count(path, "SELECT count(*) FROM t") == 20
    assert committer.commits <= 2  # the first job alone at most, then all the others together


def test_a_bad_statement_fails_only_its_own_request(tmp_path):
    path = tmp_path / "g.db"
    connect(path).execute("CREATE TABLE t (v INTEGER NOT NULL)")
    committer = GroupCommitter(lambda: connect(path))
    blocker = _blocker(path)
    good = committer.submit([(INSERT, [1])])
    bad = committer.submit([(INSERT, [None])])
    other = committer.submit([(INSERT, [2])])
    blocker.rollback()
    good.result(timeout=10)
    other.result(timeout=10)
    with pytest.raises(blocker.IntegrityError):
        bad.result(timeout=10)
    committer.close()
    assert _count(path, "SELECT count(*) FROM t") == 2


def test_buffered_statements_commit_with_the_write_and_survive_its_rollback(tmp_path):
    path = tmp_path / "g.db"
    db = connect(path)
    db.execute("CREATE TABLE t (v INTEGER)")
    token = _pending.set([])
    try:
        write_soon(db, INSERT, [1])  # buffered: the "read" was audited
        assert _count(path, "SELECT count(*) FROM t") == 0
        with pytest.raises(RuntimeError), transaction(db):
            db.execute(INSERT, [2])
            raise RuntimeError("the write fails")
        # The write is gone, the audit entry went back to the buffer.
        assert _pending.get() == [(INSERT, [1])]
        with transaction(db):
            db.execute(INSERT, [3])
        assert _pending.get() == []
        rows = [r[0] for r in db.execute("SELECT v FROM t ORDER BY v").fetchall()]
        assert rows == [1, 3]
    finally:
        _pending.reset(token)


def test_outside_a_request_writes_at_once(tmp_path):
    path = tmp_path / "g.db"
    db = connect(path)
    db.execute("CREATE TABLE t (v INTEGER)")
    write_soon(db, INSERT, [1])
    assert _count(path, "SELECT count(*) FROM t") == 1


def test_the_audit_entry_is_durable_when_the_answer_arrives(client, world):
    path = world.settings.db_path
    before = _count(path)
    response = client.get(
        f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "nurse_a")
    )
    assert response.status_code == 200
    # Read through another connection: committed, not just visible to the app's own connection.
    assert _count(path) > before


def test_a_refusal_is_durable_before_the_error_answer(client, world):
    path = world.settings.db_path
    denied = "SELECT count(*) FROM audit_log WHERE outcome = 'denied'"
    before = _count(path, denied)
    response = client.get(
        f"/api/v1/persons/{world.persons['p2']}", headers=bearer(world, "nurse_a")
    )
    assert response.status_code in (403, 404)
    assert _count(path, denied) == before + 1


def test_concurrent_reads_are_all_audited(app, world):
    # Twenty reads at once on one event loop (as uvicorn serves them): every one audited.
    import asyncio
    import concurrent.futures

    import httpx

    path = world.settings.db_path
    before = _count(path)
    url = f"/api/v1/persons/{world.persons['p1']}"

    async def main():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            return await asyncio.gather(
                *(c.get(url, headers=bearer(world, "nurse_a")) for _ in range(20))
            )

    # In a thread of its own: a browser test earlier in the run may keep this thread's loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, main()).result()
    assert [r.status_code for r in responses] == [200] * 20
    assert _count(path) - before >= 20
    app.state.pool.close()


def test_no_data_leaves_when_the_audit_cannot_be_written(client, world, app, monkeypatch):
    committer = app.state.pool.group_committer

    def broken(_db, _statements):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(committer, "_write", broken)
    response = client.get(
        f"/api/v1/persons/{world.persons['p1']}", headers=bearer(world, "nurse_a")
    )
    assert response.status_code == 503
    assert "Durand" not in response.text
    assert "journal" in response.json()["detail"]
