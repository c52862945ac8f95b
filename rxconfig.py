"""Reflex configuration. The database URL comes from literal_app.config (DATABASE_URL or SQLite
under LITERAL_DATA_DIR); in scaled mode REDIS_URL keeps Reflex state in Redis."""

import os

import reflex as rx

from literal_app.config import get_settings

settings = get_settings()
port = int(os.environ.get("PORT", settings.port))

config = rx.Config(
    app_name="literal_app",
    db_url=settings.database_url,
    redis_url=settings.redis_url,
    show_built_with_reflex=False,
    telemetry_enabled=False,
    frontend_port=port,
    backend_port=port,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # Browsers may call the app (HTTP and websocket) only from its own origins (issue 17).
    cors_allowed_origins=settings.cors_origins,
)
