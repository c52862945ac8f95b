"""Every setting of literal_app, read from environment variables in one place.

Embedded mode (the default) needs none of them: data lives under ``LITERAL_DATA_DIR``
(SQLite database, attachment files, the generated secret key). Scaled mode sets
``DATABASE_URL`` and ``REDIS_URL``; attachments go to S3 when ``BUCKET_NAME`` is set.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment-driven configuration; names follow the Literal AI self-hosting guide."""

    model_config = SettingsConfigDict(env_file=None, extra="ignore", populate_by_name=True)

    data_dir: Path = Field(default=Path("./data"), alias="LITERAL_DATA_DIR")
    database_url_env: str | None = Field(default=None, alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    port: int = Field(default=3000, alias="PORT")
    public_url: str | None = Field(default=None, alias="LITERAL_PUBLIC_URL")
    secret_key_env: str | None = Field(default=None, alias="LITERAL_SECRET_KEY")
    session_days: int = Field(default=30, alias="LITERAL_SESSION_DAYS")
    default_environment: str = Field(default="prod", alias="LITERAL_DEFAULT_ENV")
    # S3-compatible attachment storage (optional).
    bucket_name: str | None = Field(default=None, alias="BUCKET_NAME")
    s3_endpoint_url: str | None = Field(default=None, alias="APP_AWS_ENDPOINT_URL")
    s3_region: str | None = Field(default=None, alias="APP_AWS_REGION")
    s3_access_key: str | None = Field(default=None, alias="APP_AWS_ACCESS_KEY")
    s3_secret_key: str | None = Field(default=None, alias="APP_AWS_SECRET_KEY")
    # Security: per-request GraphQL budget (seconds).
    graphql_timeout: float = Field(default=30.0, alias="LITERAL_GRAPHQL_TIMEOUT")
    # Lifetime of attachment read links (seconds); links are signed again whenever read.
    file_url_ttl: int = Field(default=86400, ge=60, alias="LITERAL_FILE_URL_TTL")
    # Per API key (or client address without a key): sustained requests per second and burst; 0: off.
    rate_limit: float = Field(default=100.0, ge=0, alias="LITERAL_RATE_LIMIT")
    rate_burst: int = Field(default=1000, ge=1, alias="LITERAL_RATE_BURST")
    # Origins besides the public URL allowed to call the app from a browser (comma-separated).
    cors_origins_env: str = Field(default="", alias="LITERAL_CORS_ORIGINS")
    # Serve /api/docs and /api/openapi.json (off by default: not public in production).
    api_docs: bool = Field(default=False, alias="LITERAL_API_DOCS")
    # Jobs: "thread" runs them in-process, "rq" sends them to Redis (default when REDIS_URL is set).
    jobs_mode_env: str | None = Field(default=None, alias="LITERAL_JOBS")
    # How often each worker.py re-queues experiment items whose worker died (their lease ran out).
    experiment_watch_seconds: float = Field(default=5.0, gt=0, alias="LITERAL_EXPERIMENT_WATCH_SECONDS")
    # How often each worker.py (and the app, in embedded mode) re-queues online-eval backlog and
    # runs left behind (Redis was down, a worker died), even when nothing new is ingested.
    eval_sweep_seconds: float = Field(default=15.0, gt=0, alias="LITERAL_EVAL_SWEEP_SECONDS")

    @property
    def database_url(self) -> str:
        """The SQLAlchemy URL: DATABASE_URL, or a SQLite file in the data directory."""
        url = self.database_url_env
        if not url:
            return f"sqlite:///{(self.data_dir / 'literal.db').resolve()}"
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def jobs_mode(self) -> str:
        return self.jobs_mode_env or ("rq" if self.redis_url else "thread")

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def base_url(self) -> str:
        """The URL browsers and SDKs reach this server at (used in signed attachment URLs)."""
        return (self.public_url or f"http://localhost:{self.port}").rstrip("/")

    @property
    def cors_origins(self) -> list[str]:
        """Browser origins allowed to call the app: the public URL (without one, this machine's
        ``localhost`` and ``127.0.0.1`` at the port) plus ``LITERAL_CORS_ORIGINS``."""
        origins = [self.base_url] if self.public_url else [f"http://localhost:{self.port}",
                                                           f"http://127.0.0.1:{self.port}"]
        extra = [o.strip().rstrip("/") for o in self.cors_origins_env.split(",") if o.strip()]
        return list(dict.fromkeys([*origins, *extra]))

    @property
    def secret_key(self) -> str:
        """Key for signing URLs and encrypting credentials; generated once into the data dir."""
        if self.secret_key_env:
            return self.secret_key_env
        path = self.data_dir / "secret.key"
        if not path.exists():
            make_private_dir(self.data_dir)
            path.write_text(secrets.token_urlsafe(48))
            os.chmod(path, 0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings (tests clear the cache after changing the environment)."""
    settings = Settings()
    make_private_dir(settings.data_dir)
    return settings


def make_private_dir(path: Path) -> None:
    """Create a directory readable by this user only (0700); an existing one is left as it is."""
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path, 0o700)  # mkdir's mode is reduced by the umask
