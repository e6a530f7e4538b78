"""The PostgreSQL engine itself: settings, the parameter style, the role check, a server that
drops its connections. The engine-neutral behaviour is the whole suite's, run on both engines."""

from __future__ import annotations

import os

import psycopg
import pytest
from litestar.testing import TestClient

from virage.db import connect
from virage.db_postgres import to_format_style
from virage.errors import ConfigurationError
from virage.sdk import Settings
from virage.sdk.testing import create_app, open_database


def test_the_parameter_style_is_all_that_is_rewritten():
    assert to_format_style("SELECT ? , '?' , \"a?\" -- ?\n, ?") == (
        "SELECT %s , '?' , \"a?\" -- ?\n, %s"
    )
    assert to_format_style("SELECT 'it''s 100%' LIKE ?") == "SELECT 'it''s 100%%' LIKE %s"
    assert to_format_style("/* ? */ SELECT ?") == "/* ? */ SELECT %s"


def test_virage_db_takes_a_path_or_a_postgresql_url(tmp_path):
    url = "postgresql://virage@db.example:5432/virage"
    settings = Settings.from_env({"VIRAGE_DB": url})
    assert settings.is_postgres and settings.database == url
    settings = Settings.from_env({"VIRAGE_DB": str(tmp_path / "v.db")})
    assert not settings.is_postgres and settings.database == tmp_path / "v.db"
    with pytest.raises(ConfigurationError, match="mysql://"):
        Settings.from_env({"VIRAGE_DB": "mysql://x/y"})
    with pytest.raises(ConfigurationError, match="VIRAGE_DB_POOL_SIZE"):
        Settings.from_env({"VIRAGE_DB": url, "VIRAGE_DB_POOL_SIZE": "beaucoup"})


def test_an_unreachable_server_is_a_clear_configuration_error():
    with pytest.raises(ConfigurationError, match="VIRAGE_DB"):
        connect("postgresql://virage@127.0.0.1:1/virage?connect_timeout=2")


def test_a_superuser_role_is_refused():
    admin = os.environ.get("VIRAGE_TEST_PG_ADMIN_URL")
    if not admin:
        pytest.skip("pas de PostgreSQL de test (VIRAGE_TEST_PG_ADMIN_URL)")
    with pytest.raises(ConfigurationError, match="BYPASSRLS"):
        connect(admin)


@pytest.mark.postgres_only
def test_a_dropped_connection_is_one_503_then_the_service_recovers(tmp_path):
    settings = Settings(db_path=tmp_path / "virage.db", secret_key="coupure")
    open_database(settings).close()
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").status_code == 200
        # A server restart, say: every connection of this process is cut.
        with psycopg.connect(os.environ["VIRAGE_TEST_POSTGRES"], autocommit=True) as other:
            cut = other.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s",
                [f"virage-{os.getpid()}"],
            ).fetchall()
        assert cut
        answers = [client.get("/healthz").status_code for _ in range(3)]
        assert answers[0] in (200, 503)  # a broken connection is never a 500 nor a hang
        assert answers[-1] == 200
