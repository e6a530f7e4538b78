"""Every hookspec — the kernel's, each domain's, each installed plugin's — is typed, documented in
its docstring, and present in the reference page; the kernel's name no domain type."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest

from virage import hookspecs
from virage.plugins import PluginHost
from virage.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
# The reference is split in two pages so that each stays light on a phone.
HOOKS_PAGES = [ROOT / "docs" / "developpeurs" / page for page in ("hooks.md", "hooks-domaines.md")]


def _all_specs() -> dict[str, tuple[str, object]]:
    """hook name → (module of its spec, spec function), from a host with every plugin."""
    host = PluginHost(Settings(plugins=None))
    out = {}
    for name, caller in vars(host.pm.hook).items():
        spec = getattr(caller, "spec", None)
        if spec is not None:
            out[name] = (spec.namespace.__name__, spec.function)
    return out


SPECS = _all_specs()


def test_hooks_belong_to_who_defines_them():
    owners = {name: module for name, (module, _) in SPECS.items()}
    assert owners["register_routes"] == "virage.hookspecs"
    assert owners["register_appointment_kinds"] == "virage.agenda.hookspecs"
    assert owners["on_transmission_created"] == "virage.transmissions.hookspecs"
    assert owners["extra_person_export"] == "virage.accounts.hookspecs"
    assert owners["register_directory_sources"] == "virage.directory.hookspecs"
    assert owners["orientation_score"] == "virage_orientation.hookspecs"
    assert owners["teleconsultation_video_link"] == "virage_teleconsultation.hookspecs"


def test_the_kernel_hookspecs_name_no_domain():
    tree = ast.parse(Path(hookspecs.__file__).read_text())
    imported = {
        node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("virage")
    }
    domains = ("accounts", "agenda", "transmissions", "directory", "audit")
    assert not [m for m in imported if m.split(".")[1] in domains]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_hookspec_is_in_the_reference_page(name):
    module, _ = SPECS[name]
    text = "\n".join(page.read_text() for page in HOOKS_PAGES)
    assert re.search(rf"^::: {re.escape(module)}\.{name}\s*$", text, re.M), (
        f"{name} is missing from docs/developpeurs/hooks.md or hooks-domaines.md "
        f"(add '::: {module}.{name}')"
    )


@pytest.mark.parametrize("name", sorted(SPECS))
def test_hookspec_is_typed_and_documented(name):
    _, fn = SPECS[name]
    sig = inspect.signature(fn)
    doc = inspect.getdoc(fn) or ""
    assert doc, f"{name} has no docstring"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name} has no return type"
    for param in sig.parameters.values():
        if param.name == "self":
            continue
        assert param.annotation is not inspect.Parameter.empty, f"{name}({param.name}) untyped"
        assert f":param {param.name}:" in doc, f"{name}: ':param {param.name}:' missing"
    assert "Called " in doc, f"{name}: say when the hook is called"


def test_a_plugin_declares_its_hooks_and_a_typo_is_reported():
    import types

    specs = types.ModuleType("specs_of_a_plugin")
    marker = __import__("pluggy").HookspecMarker("virage")

    def regional_alert(level: int) -> None:
        """Called never."""

    specs.regional_alert = marker(regional_alert)
    hookimpl = __import__("pluggy").HookimplMarker("virage")

    class Owner:
        @hookimpl
        def register_hookspecs(self):
            return [specs]

    class Listener:
        @hookimpl
        def regional_alert(self, level):
            return level * 2

        @hookimpl
        def on_apointment_created(self, appointment):  # typo
            return None

    host = PluginHost(Settings(plugins=()), extra_plugins=[Owner(), Listener()])
    assert host.call("regional_alert", level=2) == [4]
    [failure] = host.failures
    assert failure.plugin == "Listener-1" and failure.stage == "on_apointment_created"
    assert "hook inconnu" in failure.error
