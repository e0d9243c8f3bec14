"""Alembic's entry point: runs the migrations on the connection `cockpit.store` hands over, or on the configured URL.

How to add a revision is described in `cockpit/store.py`.
"""

from logging.config import fileConfig

from alembic import context

from cockpit import settings
from cockpit.state import store, tables

config = context.config
target_metadata = tables.metadata


def render_item(kind, obj, autogen_context):
    # Revisions are frozen history: they spell the plain column type instead of importing the app's decorator.
    if kind == "type" and isinstance(obj, tables.UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def configure(**options) -> None:
    # Batch mode, so ALTERs in later revisions also work on SQLite (which rebuilds the table to alter it).
    context.configure(target_metadata=target_metadata, render_as_batch=True, render_item=render_item, **options)


def run_offline() -> None:
    configure(url=config.get_main_option("sqlalchemy.url") or settings.load().state_url, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # From the command line: the store's own engine settings (SQLite's locking), without its automatic upgrade.
    engine = store.connect(config.get_main_option("sqlalchemy.url") or settings.load().state_url)
    try:
        with engine.begin() as connection:
            configure(connection=connection)
            context.run_migrations()
    finally:
        engine.dispose()


if config.config_file_name is not None:
    fileConfig(config.config_file_name)

if context.is_offline_mode():
    run_offline()
else:
    run_online()
