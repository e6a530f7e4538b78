"""Every action code written to the audit trail has a French label.

Two nets: the code base (every literal code passed to ``access.require(…, action=…)``,
``access.audit(…)`` or ``record(…)`` in the core and the plugins of this repository), and the
codes the suite records (the accounts pages, opened by every role). A code without a label fails
here with its file: declare its label with the hook ``register_audit_actions`` of your domain or
plugin (``{"code": "Libellé"}``), or in ``virage.audit.labels.CORE_ACTION_LABELS`` for the core.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.accounts.conftest import login
from tests.accounts.sql import query
from tests.conftest import ROOT, plugin_allow_list
from virage.app import build_registry
from virage.audit.labels import action_labels
from virage.plugins import PluginHost, hookimpl
from virage.settings import Settings

CORE = ROOT / "packages" / "core" / "src"
PLUGINS = ROOT / "packages" / "plugins"
WRITERS = {"audit", "record", "_audit"}


def recorded_codes(root: Path) -> dict[str, str]:
    """Literal action codes written by the sources under ``root`` → the first file writing it."""
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            codes = [
                kw.value.value
                for kw in node.keywords
                if kw.arg == "action"
                and isinstance(kw.value, ast.Constant)
                and isinstance(kw.value.value, str)
            ]
            literal = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if name in WRITERS:
                codes += [a for a in literal[:1] if isinstance(a, str) and "." in a]
            if name == "require" and not any(kw.arg == "action" for kw in node.keywords):
                # Without ``action=``, the entry is recorded under the permission's name.
                codes += [a for a in literal[:1] if isinstance(a, str)]
            for code in codes:
                found.setdefault(code, str(path.relative_to(ROOT)))
    return found


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    settings = Settings(
        db_path=tmp_path_factory.mktemp("labels") / "v.db", plugins=plugin_allow_list()
    )
    return PluginHost(settings)


@pytest.fixture(scope="module")
def labels(host):
    return action_labels(host, build_registry(host))


def test_every_code_in_the_code_base_has_a_label(host, labels):
    codes = recorded_codes(CORE)
    for folder in sorted(PLUGINS.glob("*/src")):
        # The plugins of this repository that are loaded (VIRAGE_PLUGINS may leave some out).
        if folder.parent.name in host.records:
            codes.update(recorded_codes(folder))
    assert len(codes) > 80, "the scan found too few codes: has the way of recording changed?"
    missing = {code: path for code, path in codes.items() if not labels.has(code)}
    assert not missing, (
        "Actions sans libellé français (déclarez-les avec register_audit_actions) : "
        + ", ".join(f"{c} ({p})" for c, p in sorted(missing.items()))
    )


PAGES = [
    "/",
    "/moi",
    "/moi/enregistrements",
    "/structures/{a}/personnes",
    "/personnes/{p1}",
    "/personnes/{p2}",
    "/personnes/{p1}/export.json",
    "/structures/{a}/journal",
    "/structures/{a}/journal?format=csv",
    "/structures/{a}/journal?format=csv&personne={p1}",
    "/structures/{a}/jetons",
    "/structures/{a}/personnes/nouvelle",
    "/agenda",
    "/transmissions",
]


def test_every_code_the_suite_records_has_a_label(client, world, labels):
    for user in ("director_a", "dpo_a", "coord_a", "nurse_a", "nurse2_a", "secretary_a", "admin"):
        client.cookies.clear()
        login(client, user)
        for page in PAGES:
            client.get(page.format(a=world.structures["a"], **world.persons))
    codes = [c for (c,) in query(world.settings.db_path, "SELECT DISTINCT action FROM audit_log")]
    assert len(codes) > 10
    assert [c for c in codes if not labels.has(c)] == []


def test_a_plugin_declares_its_labels_and_a_faulty_declaration_is_reported(tmp_path):
    class Good:
        @hookimpl
        def register_audit_actions(self):
            return {"essai.lu": "Lecture d'un essai"}

    class Bad:
        @hookimpl
        def register_audit_actions(self):
            return ["essai.ecrit"]

    host = PluginHost(
        Settings(db_path=tmp_path / "v.db", plugins=()), extra_plugins=[Good(), Bad()]
    )
    labels = action_labels(host, build_registry(host))
    assert labels.label("essai.lu") == "Lecture d'un essai"
    assert labels.label("essai.ecrit") == "essai.ecrit"
    assert labels.label("persons.read") == "Consultation du dossier"
    assert labels.label("audit.worker_activity").startswith("Consultation de l'activité")
    assert any(f.stage == "register_audit_actions" for f in host.failures)
    assert ("essai.lu", "Lecture d'un essai") in labels.choices()
