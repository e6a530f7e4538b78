"""Helpers for browser scenarios on the demo territory."""

from __future__ import annotations

from playwright.sync_api import expect

from virage.db import connect

DEMO_PASSWORD = "demo-virage-2026"


def sign_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/connexion?suivant=/moi")  # not the home by role: the tests start on /moi
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes structures")


def query(server_env: dict, sql: str, params=()) -> list[tuple]:
    """Read the server's database (SQLite, or its PostgreSQL schema in that pass of the suite)."""
    db = connect(server_env["VIRAGE_DB"])
    try:
        return [tuple(row) for row in db.execute(sql, list(params)).fetchall()]
    finally:
        db.close()


def execute(server_env: dict, sql: str, params=()) -> None:
    """Write to the server's database behind its back (a test's shortcut)."""
    db = connect(server_env["VIRAGE_DB"])
    try:
        db.execute(sql, list(params))
    finally:
        db.close()
