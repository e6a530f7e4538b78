"""The browser fixtures of the repository (real demo server, phone context, screenshots)."""

from tests.conftest import browser_type_launch_args, built_docs, capture  # noqa: F401
from tests.e2e.conftest import live_server, phone, server_env  # noqa: F401
