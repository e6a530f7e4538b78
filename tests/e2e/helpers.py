"""Helpers for browser scenarios on the demo territory."""

from __future__ import annotations

import sqlite3

from playwright.sync_api import expect

DEMO_PASSWORD = "demo-virage-2026"


def sign_in(page, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{base}/connexion")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes structures")


def query(server_env: dict, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(server_env["VIRAGE_DB"])
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
