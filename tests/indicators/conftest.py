"""Fixtures of the indicators tests: the accounts' small world, and the demo server for the
browser scenario."""

from __future__ import annotations

from tests.accounts.conftest import _world_template, app, client, world  # noqa: F401
from tests.conftest import browser_type_launch_args, built_docs, capture  # noqa: F401
from tests.e2e.conftest import live_server, server_env  # noqa: F401
