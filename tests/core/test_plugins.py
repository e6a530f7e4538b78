"""The plugin host: discovery, allow-list, isolation of failing plugins, tracing, listing."""

from __future__ import annotations

import logging

import pytest
from litestar.testing import TestClient

from tests.plugins import broken
from virage.app import create_app
from virage.plugins import PluginHost


def test_installed_plugins_are_discovered(settings):
    host = PluginHost(settings)
    names = {p["name"] for p in host.listing()}
    assert "hello" in names
    hello = next(p for p in host.listing() if p["name"] == "hello")
    assert hello["version"] == "0.1.0"
    assert hello["distribution"] == "virage-hello"
    assert "register_routes" in hello["hooks"]


def test_builtins_register_through_the_same_hooks(settings):
    host = PluginHost(settings)
    builtin = [p for p in host.listing(include_builtins=True) if p["builtin"]]
    assert builtin and all(p["hooks"] for p in builtin)
    assert any("register_routes" in p["hooks"] for p in builtin)


def test_allow_list(settings):
    host = PluginHost(settings.with_(plugins=("inexistant",)))
    listing = host.listing()
    assert all(p["name"] != "hello" for p in listing)
    missing = next(p for p in listing if p["name"] == "inexistant")
    assert missing["status"] == "error"
    assert "non installé" in missing["errors"][0]["error"]


@pytest.mark.parametrize(
    "plugin", [broken.RaisesInRoutes(), broken.RaisesInNav(), broken.RaisesOnStartup()]
)
def test_a_failing_plugin_does_not_take_the_app_down(settings, plugin):
    good = broken.WellBehaved()
    app = create_app(settings, plugins=[plugin, good])
    with TestClient(app) as client:
        assert client.get("/healthz").json()["failed_plugins"] == 1
        assert client.get("/ok-plugin").text == "ok-plugin"
        home = client.get("/")
        assert home.status_code == 200
        assert "Bien élevé" in home.text
        # the failure is named, with its cause, on the home page and in the API
        assert plugin.__name__ in home.text
        listed = {p["name"]: p for p in client.get("/api/v1/plugins").json()}
        assert listed[plugin.__name__]["status"] == "error"
        assert "boom" in listed[plugin.__name__]["errors"][0]["error"]
        assert listed["well-behaved"]["status"] == "ok"


def test_failing_entry_point_is_isolated(settings, monkeypatch):
    import virage.plugins as plugins_module

    class BadEntryPoint:
        name = "casse"
        value = "module_qui_n_existe_pas"
        dist = None

        def load(self):
            raise ImportError("No module named 'module_qui_n_existe_pas'")

    real = plugins_module.entry_points

    def fake_entry_points(group):
        return [*real(group=group), BadEntryPoint()]

    monkeypatch.setattr(plugins_module, "entry_points", fake_entry_points)
    app = create_app(settings.with_(plugins=None))  # every installed plugin, the broken one too
    with TestClient(app) as client:
        listed = {p["name"]: p for p in client.get("/api/v1/plugins").json()}
        assert listed["casse"]["status"] == "error"
        assert listed["casse"]["errors"][0]["stage"] == "load"
        assert listed["hello"]["status"] == "ok"
        assert client.get("/hello/").status_code == 200


def test_hooks_may_return_callables_and_awaitables(settings):
    recorder = broken.RecordsStartup()
    with TestClient(create_app(settings, plugins=[recorder])):
        pass
    assert recorder.calls == [settings.db_path]


def test_register_and_unregister_at_run_time(settings):
    host = PluginHost(settings)
    name = host.register(broken.WellBehaved())
    try:
        assert any(i.label == "Bien élevé" for i in host.call_flat("register_nav_items"))
    finally:
        host.unregister(name)
    assert not any(i.label == "Bien élevé" for i in host.call_flat("register_nav_items"))


def test_tracing_logs_hook_calls(settings, caplog):
    host = PluginHost(settings.with_(trace_hooks=True))
    with caplog.at_level(logging.INFO, logger="virage.plugins"):
        host.call_flat("register_nav_items", settings=settings)
        host.pm.hook.register_migrations()
    text = caplog.text
    assert "hook register_nav_items <- hello" in text
    assert "hook register_migrations called for" in text
