"""Configuration defaults; the environment (``FLASK_*`` and ``DATABASE_URL``) overrides them."""
from __future__ import annotations

import os
import secrets
from pathlib import Path

SECRET_KEY_FILE = "secret_key"
UPLOAD_MAX_BYTES = 10 * 1024 * 1024


def database_url(instance_path: str) -> str:
    """Return ``DATABASE_URL`` (normalised for psycopg 3) or a SQLite file under ``instance/``."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{Path(instance_path) / 'samordna.db'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def load_or_create_secret_key(instance_path: str) -> str:
    """Read the secret key from ``instance/secret_key``, creating it (mode 0600) on first run."""
    path = Path(instance_path) / SECRET_KEY_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def default_config(instance_path: str) -> dict[str, object]:
    """The settings every deployment starts from."""
    return {
        "SQLALCHEMY_DATABASE_URI": database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        "WTF_CSRF_HEADERS": ["X-CSRFToken"],
        "BABEL_DEFAULT_LOCALE": "sv",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
        "LANGUAGES": ("sv", "en"),
        # Uploads (app/documents/uploads.py) live outside the web root; a request may be
        # a little larger than the largest file, so the form around it still fits.
        "UPLOAD_FOLDER": str(Path(instance_path) / "uploads"),
        "UPLOAD_MAX_BYTES": UPLOAD_MAX_BYTES,
        "MAX_CONTENT_LENGTH": UPLOAD_MAX_BYTES + 1024 * 1024,
        # Login attempts are counted here: memory in one process, Redis in production
        # (FLASK_RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/1).
        "RATELIMIT_STORAGE_URI": "memory://",
        # Background jobs: "sqlite" (a file in instance/, for one machine), "redis"
        # (JOBS_REDIS_URL, production) or "immediate" (run inside the request: tests).
        "JOBS_BACKEND": "sqlite",
        "JOBS_REDIS_URL": "redis://127.0.0.1:6379/0",
        # A running job that has not reported progress for this long, or a queued one no
        # worker picked up, is marked failed (seconds).
        "JOBS_HEARTBEAT_TIMEOUT_S": 180,
        "JOBS_QUEUE_TIMEOUT_S": 900,
        # Joint procurement: an offer priced above this many times the catalogue's
        # reference price is flagged in the comparison.
        "PROCUREMENT_PRICE_FLAG_FACTOR": 3,
    }
