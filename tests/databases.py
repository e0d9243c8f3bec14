"""Empty state stores for the tests: a SQLite file, or a PostgreSQL schema of its own (COCKPIT_TEST_POSTGRES_URL)."""

import os
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa

DATABASES = ["sqlite", "postgresql"]


def postgres_url() -> str:
    """The test server's URL; without one the test is skipped locally but fails under CI, which must run it."""
    url = os.environ.get("COCKPIT_TEST_POSTGRES_URL")
    if not url:
        message = (
            "COCKPIT_TEST_POSTGRES_URL is not set (e.g. postgresql+psycopg://cockpit:cockpit@127.0.0.1/cockpit_test)"
        )
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must run the PostgreSQL tests")
        pytest.skip(message)
    return url


@contextmanager
def fresh_database(kind: str, tmp_path):
    """The URL of an empty database: a SQLite file in tmp_path, or a PostgreSQL schema of its own, dropped after."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'state.db'}"
        return
    base = sa.make_url(postgres_url())
    schema = "test_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(base)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        # search_path in the URL: every engine opened on it, in any process, works inside the schema.
        yield base.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
