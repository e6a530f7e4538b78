"""The two generated developer pages (docs_hooks/plugin_pages.py): the public SDK reference
lists every public name, the plugin catalogue every installed plugin with its compatibility."""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path

import virage.sdk as sdk
import virage.sdk.testing as testing

ROOT = Path(__file__).resolve().parents[2]
HOOK_PATH = ROOT / "docs_hooks" / "plugin_pages.py"


def _hook():
    spec = importlib.util.spec_from_file_location("plugin_pages", HOOK_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_sdk_page_lists_every_public_name():
    text = _hook().sdk_tables()
    modules = [sdk, testing] + [
        getattr(sdk, n) for n in sdk.__all__ if inspect.ismodule(getattr(sdk, n))
    ]
    for module in modules:
        assert f"### `{module.__name__}`" in text
        for name in module.__all__:
            if not inspect.ismodule(getattr(module, name)):
                assert f"| `{name}" in text, f"{module.__name__}.{name} missing"
    assert f"Version du SDK : **{sdk.SDK_VERSION}**" in text


def test_every_sdk_name_exists():
    for module in [sdk, testing] + [
        getattr(sdk, n) for n in sdk.__all__ if inspect.ismodule(getattr(sdk, n))
    ]:
        assert len(set(module.__all__)) == len(module.__all__), module.__name__
        for name in module.__all__:
            getattr(module, name)


def test_the_catalogue_lists_the_installed_plugins_with_their_compatibility():
    text = _hook().catalogue()
    for name in ("finess", "orientation", "teleconsultation", "hello", "demo_territory"):
        assert f"### {name}" in text
    assert text.count("SDK Virage `>=1,<2`") == 5
    assert "`orientation_score`" in text and "`teleconsultation_video_link`" in text
    assert "`orientation.request`" in text  # a permission the orientation adds
    assert "virage.accounts.plugin" not in text  # the core's domains are not plugins


def test_the_markers_are_on_their_pages_and_replaced():
    hook = _hook()
    for page, marker in (("sdk.md", hook.SDK_MARKER), ("catalogue.md", hook.CATALOGUE_MARKER)):
        markdown = (ROOT / "docs" / "developpeurs" / page).read_text(encoding="utf-8")
        assert marker in markdown
        assert marker not in hook.on_page_markdown(markdown, page=None)
