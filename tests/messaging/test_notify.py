"""A notice leaves Virage: generic, never a person's name nor health content; a broken connector
loses nothing."""

from __future__ import annotations

import pytest

from virage.messaging.notify import Notice, UnsafeNotice, send_notice
from virage.plugins import PluginHost, hookimpl
from virage.settings import Settings


def test_a_generic_notice_is_accepted():
    n = Notice("conversation.message", "Nouveau message dans Virage", "/messages/12", urgent=True)
    assert n.urgent and n.url == "/messages/12"


@pytest.mark.parametrize(
    "title",
    [
        "Message au sujet de Mme Dupont",
        "Madame Lefèvre : chute",
        "INS 2 84 05 75 123 456",
        "Rappeler le 06 12 34 56 78",
        "x" * 81,
        "Deux\nlignes",
        "",
    ],
)
def test_a_notice_refuses_what_could_name_or_identify(title):
    with pytest.raises(UnsafeNotice):
        Notice("conversation.message", title, "/messages/1")


@pytest.mark.parametrize("url", ["https://evil.example/x", "//evil.example", "messages/1", ""])
def test_a_notice_links_only_into_virage(url):
    with pytest.raises(UnsafeNotice):
        Notice("conversation.message", "Nouveau message dans Virage", url)


def test_a_notice_is_frozen():
    n = Notice("inbox.item", "Élément à prendre dans l'astreinte", "/boites/1")
    with pytest.raises(AttributeError):
        n.title = "Mme Dupont"  # type: ignore[misc]


class _Broken:
    @hookimpl
    def notify(self, recipient_user_ids, notice):
        raise RuntimeError("SMS gateway down")


class _Recorder:
    def __init__(self):
        self.calls = []

    @hookimpl
    def notify(self, recipient_user_ids, notice):
        self.calls.append((list(recipient_user_ids), notice))


def test_a_broken_connector_does_not_stop_the_others():
    rec = _Recorder()
    host = PluginHost(Settings(plugins=[]), extra_plugins=[_Broken(), rec])
    n = Notice("conversation.message", "Nouveau message dans Virage", "/messages/3")
    sent = send_notice(host, [4, 4, 5, -1], n)
    assert sent == [4, 5]
    assert rec.calls == [([4, 5], n)]
