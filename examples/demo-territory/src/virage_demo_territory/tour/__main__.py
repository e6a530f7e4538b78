"""``python -m virage_demo_territory.tour``: play the guided tour (``./scripts/tour`` calls it)."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from virage.sdk import plural
from virage.sdk.testing import DEFAULT_SEED
from virage_demo_territory.tour import (
    remove_stale_pictures,
    run_tour,
    write_manifest,
)
from virage_demo_territory.tour.page import CAPTURES_DIR, PAGE_PATH, render
from virage_demo_territory.tour.server import TourError, demo_server
from virage_demo_territory.tour.steps import STEPS

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    return path if path and Path(path).exists() else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="tour",
        description="Joue la visite guidée de Virage contre un serveur de démonstration neuf "
        "(127.0.0.1) et régénère la page « Visite guidée » de la documentation.",
    )
    parser.add_argument(
        "--docs", type=Path, default=Path("docs"), help="dossier docs/ à mettre à jour"
    )
    parser.add_argument(
        "--court",
        action="store_true",
        help="version courte : toutes les étapes et vérifications, sans images ni page",
    )
    parser.add_argument("--graine", type=int, default=DEFAULT_SEED, help="graine du territoire")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    captures = None if args.court else args.docs / CAPTURES_DIR
    failures = Path(tempfile.gettempdir()) / "virage-visite-echec"
    failures.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="virage-tour-") as tmp, sync_playwright() as pw:
        launch = {"args": CHROMIUM_ARGS}
        if chromium_path():
            launch["executable_path"] = chromium_path()
        browser = pw.chromium.launch(**launch)
        try:
            with demo_server(Path(tmp), seed=args.graine) as server:
                print(f"Serveur de démonstration : {server.url}", flush=True)
                shots = run_tour(
                    browser,
                    server,
                    captures=captures,
                    failures=failures,
                    progress=lambda line: print(line, flush=True),
                )
        except TourError as exc:
            print(f"Erreur : {exc}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    if captures is None:
        print(f"Visite guidée jouée : {len(STEPS)} étapes, {len(shots)} vues vérifiées.")
        return 0
    stale = remove_stale_pictures(captures, shots)
    write_manifest(captures, shots, args.graine)
    (args.docs / PAGE_PATH).write_text(render(STEPS, shots, args.graine), encoding="utf-8")
    print(
        f"Visite guidée jouée : {len(STEPS)} étapes, {len(shots)} images dans {captures}"
        + (f" ({plural(stale, 'ancienne supprimée')})" if stale else "")
        + f" ; page {args.docs / PAGE_PATH} régénérée."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
