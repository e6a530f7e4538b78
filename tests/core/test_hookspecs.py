"""Every hookspec is typed, documented in the docstring, and present in the reference page."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from virage import hookspecs

ROOT = Path(__file__).resolve().parents[2]
HOOKS_PAGE = ROOT / "docs" / "developpeurs" / "hooks.md"

HOOKSPECS = sorted(
    name
    for name, fn in vars(hookspecs).items()
    if inspect.isfunction(fn) and hasattr(fn, "virage_spec")
)


def test_there_are_hookspecs():
    assert {"register_routes", "register_migrations", "register_commands"} <= set(HOOKSPECS)


@pytest.mark.parametrize("name", HOOKSPECS)
def test_hookspec_is_in_the_reference_page(name):
    assert re.search(rf"^::: virage\.hookspecs\.{name}\s*$", HOOKS_PAGE.read_text(), re.M), (
        f"{name} is missing from docs/developpeurs/hooks.md (add '::: virage.hookspecs.{name}')"
    )


@pytest.mark.parametrize("name", HOOKSPECS)
def test_hookspec_is_typed_and_documented(name):
    fn = getattr(hookspecs, name)
    sig = inspect.signature(fn)
    doc = inspect.getdoc(fn) or ""
    assert doc, f"{name} has no docstring"
    assert sig.return_annotation is not inspect.Signature.empty, f"{name} has no return type"
    for param in sig.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, f"{name}({param.name}) untyped"
        assert f":param {param.name}:" in doc, f"{name}: ':param {param.name}:' missing"
    assert "Called " in doc, f"{name}: say when the hook is called"
