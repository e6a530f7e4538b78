"""Other ways to log in, offered on the log-in page next to the password form.

A plugin that signs workers in through another service (an OpenID Connect provider such as Pro
Santé Connect) returns :class:`LoginOption` items from the hook ``login_page_options``; the page
shows one button per option, above the password form, which always stays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class LoginOption:
    """A button of the log-in page.

    :param label: the button's text (« Se connecter avec Pro Santé Connect »).
    :param url: a local path (``/…``) that starts this log-in; the page adds ``?suivant=…`` (the
        page to reach after log-in), which the option must pass through :func:`safe_next`.
    :param hint: an optional sentence under the button (who can use it).
    :param order: lower first.
    """

    label: str
    url: str
    hint: str = ""
    order: int = 100


def collect(request: Any) -> list[LoginOption]:
    """The options of the application serving ``request`` (hook ``login_page_options``); an
    option whose address is not a local path is left out."""
    state = request.app.state
    plugins, settings = state.get("plugins"), state.get("settings")
    if plugins is None:
        return []
    options = [
        item
        for _, item in plugins.contributions("login_page_options", LoginOption, settings=settings)
        if item.url.startswith("/") and not item.url.startswith("//")
    ]
    return sorted(options, key=lambda o: (o.order, o.label))
