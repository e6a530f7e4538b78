"""Plugins declare the versions of the Virage SDK they support (``VIRAGE_SDK``): one made for
another SDK is refused at load with one clear French line, and the others load."""

from __future__ import annotations

import types

import virage_finess
import virage_orientation
import virage_teleconsultation

from virage.sdk import SDK_VERSION, PluginHost, Settings, hookimpl

SHIPPED = ("finess", "orientation", "teleconsultation")


def _plugin(name: str, sdk: str) -> types.ModuleType:
    """A small plugin module declaring ``sdk`` and implementing one hook."""
    module = types.ModuleType(name)
    module.VIRAGE_SDK = sdk

    @hookimpl
    def extra_plugin_info():
        return {"description": f"Plugin de test {name}."}

    module.extra_plugin_info = extra_plugin_info
    return module


def test_the_shipped_plugins_declare_the_sdk_they_support():
    for module in (virage_finess, virage_orientation, virage_teleconsultation):
        assert module.VIRAGE_SDK == ">=1,<2", module.__name__


def test_a_plugin_for_another_sdk_is_refused_and_the_others_load(tmp_path):
    settings = Settings(db_path=tmp_path / "virage.db", plugins=SHIPPED)
    host = PluginHost(
        settings,
        extra_plugins=[_plugin("virage_futur", ">=2"), _plugin("virage_actuel", ">=1,<2")],
    )

    refused = [f for f in host.failures if f.plugin == "virage_futur"]
    assert len(refused) == 1
    assert refused[0].stage == "register"
    assert (
        f"le plugin virage_futur demande le SDK Virage >=2, ce Virage fournit le SDK {SDK_VERSION}"
        " : installez une version du plugin compatible"
    ) in refused[0].error
    assert "virage_futur" not in host.records
    # its hooks are never called
    described = [info.get("description") for info in host.call("extra_plugin_info")]
    assert "Plugin de test virage_futur." not in described
    assert "Plugin de test virage_actuel." in described

    # the others load: the compatible test plugin and the three shipped plugins
    assert [f for f in host.failures if f.plugin != "virage_futur"] == []
    assert host.records["virage_actuel"].sdk == ">=1,<2"
    for name in SHIPPED:
        assert host.records[name].sdk == ">=1,<2", name
