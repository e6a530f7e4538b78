"""The « État au » hook (docs_hooks/page_dates.py): dates, change log, pages to review.

The hook's functions are tested directly on small pages; one test builds the real site
"in the future" (``VIRAGE_DOCS_TODAY``) and checks that the build, still ``--strict``, lists the
pages whose date is over a year old.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOOK_PATH = ROOT / "docs_hooks" / "page_dates.py"


def _load_hook():
    spec = importlib.util.spec_from_file_location("virage_docs_page_dates", HOOK_PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


hook = _load_hook()

PAGE = """---
title: Une page
updated: 2026-12-01
changes:
  - date: 2026-11-24
    note: Première publication.
  - date: 2026-12-01
    note: Règles de 2026 ajoutées.
---

```text
# pas un titre : dans un bloc de code
```

# Une page

Texte.
"""


def test_dates_are_written_as_people_write_them():
    assert hook.french_date(dt.date(2026, 12, 1)) == "1er décembre 2026"
    assert hook.french_date(dt.date(2026, 11, 24)) == "24 novembre 2026"
    assert hook.french_date(dt.date(2025, 8, 15)) == "15 août 2025"


def test_build_date_comes_from_the_environment_when_set():
    assert hook.build_date({"VIRAGE_DOCS_TODAY": "2030-01-02"}) == dt.date(2030, 1, 2)
    with pytest.raises(ValueError, match="AAAA-MM-JJ"):
        hook.build_date({"VIRAGE_DOCS_TODAY": "demain"})


def test_the_etat_line_goes_under_the_title_and_the_history_at_the_end():
    meta, body = hook.split_front_matter(PAGE)
    out = hook.decorate(body, meta, dt.date(2026, 12, 1))
    lines = out.splitlines()
    title = lines.index("# Une page")
    assert lines[title + 2].startswith("*État au 1er décembre 2026*")
    assert "# pas un titre" in out.split("# Une page")[0], "the code block is left alone"
    history = out.split("## Historique des modifications", 1)[1]
    # newest first
    assert history.index("1er décembre 2026") < history.index("24 novembre 2026")
    assert "Règles de 2026 ajoutées." in history
    assert "Page à revoir" not in out


def test_a_page_over_a_year_old_gets_a_warning_and_is_listed():
    meta, body = hook.split_front_matter(PAGE)
    one_year = dt.date(2027, 12, 1)  # 365 days later: not yet stale
    assert "Page à revoir" not in hook.decorate(body, meta, one_year)
    later = dt.date(2027, 12, 2)
    assert "Page à revoir" in hook.decorate(body, meta, later)

    pages = [
        hook.page_dates("leviers/a.md", PAGE),
        hook.page_dates("leviers/b.md", PAGE.replace("2026-12-01\nchanges", "2027-06-01\nchanges")),
        hook.page_dates("guides/sans-date.md", "---\ntitle: Sans date\n---\n# Sans date\n"),
    ]
    listing = hook.review_page(pages, later)
    stale_part, undated_part = listing.split("## Pages sans date d'état")
    assert "[Une page](../leviers/a.md) — état au 1er décembre 2026" in stale_part
    assert "leviers/b.md" not in stale_part
    assert "[Sans date](../guides/sans-date.md)" in undated_part


def test_malformed_change_entries_are_skipped_not_fatal():
    meta = {"updated": "2026-12-01", "changes": ["texte", {"date": "hier", "note": "x"}, {}]}
    assert hook.read_changes(meta) == []
    out = hook.decorate("# T\n", meta, dt.date(2026, 12, 1))
    assert "dernière révision" in out


def _newest_page_date() -> dt.date:
    newest = dt.date(2000, 1, 1)
    for path in (ROOT / "docs").rglob("*.md"):
        dates = hook.page_dates(str(path), path.read_text(encoding="utf-8"))
        if dates.updated and dates.updated > newest:
            newest = dates.updated
    return newest


def test_a_build_in_the_future_lists_every_page_to_review_and_stays_strict(tmp_path):
    future = _newest_page_date() + dt.timedelta(days=hook.MAX_AGE_DAYS + 1)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "VIRAGE_DOCS_TODAY": future.isoformat()}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Page à revoir (état au" in result.stderr
    review = (tmp_path / "site" / "boite-a-outils" / "pages-a-revoir" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "Aucune : toutes les pages" not in review
    assert "Expérimenter à petite échelle" in review
    lever = tmp_path / "site" / "leviers" / "experimenter-a-petite-echelle" / "index.html"
    assert "Page à revoir" in lever.read_text(encoding="utf-8")


def test_no_page_is_dated_after_today():
    """A page dated tomorrow tells a director the text was checked on a day that has not come."""
    today = dt.date.today()
    future = []
    for path in (ROOT / "docs").rglob("*.md"):
        dates = hook.page_dates(str(path), path.read_text(encoding="utf-8"))
        if dates.updated and dates.updated > today:
            future.append(f"{path.relative_to(ROOT)} ({dates.updated})")
    assert not future, future
