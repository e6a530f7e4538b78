"""The role tables of the documentation say what the code does.

- ``docs/developpeurs/modele-d-acces.md`` holds the permissions × roles table generated from the
  permissions the core declares (:func:`virage.access.roles_table`). When a permission changes,
  regenerate it: ``VIRAGE_UPDATE_DOCS=1 pytest tests/accounts/test_role_tables.py``.
- ``docs/guides/acces-et-confidentialite.md`` summarises by hand; its export cells are checked
  against the permissions ``persons.export`` and ``persons.export.health``.
"""

from __future__ import annotations

import os
import re

from tests.conftest import ROOT
from virage.access import roles_table
from virage.app import build_registry
from virage.plugins import PluginHost
from virage.settings import Settings

DEV_PAGE = ROOT / "docs" / "developpeurs" / "modele-d-acces.md"
GUIDE = ROOT / "docs" / "guides" / "acces-et-confidentialite.md"
START = "<!-- table-des-roles:debut"
END = "<!-- table-des-roles:fin -->"


def core_registry(tmp_path):
    # The built-in domains only (no installed plugin): the table documents the core.
    host = PluginHost(Settings(db_path=tmp_path / "v.db", plugins=()))
    return build_registry(host)


def _split(text: str) -> tuple[str, str, str]:
    """(before the table, the generated table, after it)."""
    body_start = text.index("-->", text.index(START)) + len("-->\n")
    end = text.index(END)
    return text[:body_start], text[body_start:end], text[end:]


def test_generated_role_table_matches_the_code(tmp_path):
    before, table, after = _split(DEV_PAGE.read_text(encoding="utf-8"))
    expected = "\n" + roles_table(core_registry(tmp_path).all()) + "\n"
    if os.environ.get("VIRAGE_UPDATE_DOCS") == "1" and table != expected:
        DEV_PAGE.write_text(before + expected + after, encoding="utf-8")
        _, table, _ = _split(DEV_PAGE.read_text(encoding="utf-8"))
    assert table == expected, (
        "La table des rôles de modele-d-acces.md ne correspond plus au code : "
        "VIRAGE_UPDATE_DOCS=1 pytest tests/accounts/test_role_tables.py la régénère."
    )


def test_generated_table_reflects_the_export_rules(tmp_path):
    table = roles_table(core_registry(tmp_path).all())
    rows = {line.split("`")[1]: line for line in table.splitlines() if line.startswith("| `")}
    cells = [c.strip() for c in rows["persons.export.health"].split("|")[2:-1]]
    # Columns: Direction, DPO, then the other roles.
    assert cells[0] == "—" and cells[1] == "oui, avec motif" and set(cells[2:]) == {"—"}
    health = [c.strip() for c in rows["persons.health.read"].split("|")[2:-1]]
    assert health[1] == "—", "the DPO never reads health content"


#: First cell of the guide's table → the roles that row speaks for.
GUIDE_ROWS = {
    "Direction": ["director"],
    "DPO": ["dpo"],
    "Coordination": ["coordinator"],
    "Infirmier": ["nurse", "care_assistant"],
    "Travailleur": ["social_worker", "home_help"],
    "Secrétariat": ["secretariat"],
}


def _guide_rows() -> dict[str, str]:
    rows = {}
    for line in GUIDE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        for prefix in GUIDE_ROWS:
            if line.startswith("|") and cells[0].startswith(prefix):
                rows[prefix] = line
    return rows


def test_guide_export_cells_match_the_permissions(tmp_path):
    registry = core_registry(tmp_path)
    exporters = registry.roles_with("persons.export")
    complete = registry.roles_with("persons.export.health")
    rows = _guide_rows()
    assert set(rows) == set(GUIDE_ROWS), "the guide's role table lost a row"
    for prefix, roles in GUIDE_ROWS.items():
        line = rows[prefix].lower()
        says_export = "export rgpd" in line
        says_complete = bool(re.search(r"export rgpd[^|]*complet[^|]*motif", line))
        assert says_export == any(r in exporters for r in roles), prefix
        assert says_complete == any(r in complete for r in roles), prefix
        if says_export and not says_complete:
            assert re.search(r"export rgpd[^|]*sans[^|]*santé", line), (
                f"{prefix}: the guide must say the export leaves health content out"
            )
