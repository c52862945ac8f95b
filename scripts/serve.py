"""Start the production server (`reflex run --env prod --single-port`), reusing the previous
frontend build when nothing it depends on has changed, so a warm start takes seconds.

Reflex 0.10 compiles the pages and rebuilds the frontend bundle on every prod start (about
40 s here). The bundle only depends on the app's Python sources, the Reflex config and the
installed packages, so we fingerprint those; when the fingerprint matches the one stored with
the last successful build, the compile and build steps are skipped and the backend serves the
existing bundle. Any change (or a missing bundle) rebuilds as usual.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / ".web"
STAMP = WEB / ".literal-build-fingerprint"
CONFIG_ENV = ("PORT", "API_URL", "DEPLOY_URL", "FRONTEND_PATH", "REDIS_URL")


def fingerprint() -> str:
    """Hash of everything the frontend bundle is built from."""
    h = hashlib.sha256()
    sources = [*ROOT.glob("literal_app/**/*.py"), ROOT / "rxconfig.py", *ROOT.glob("assets/**/*"),
               ROOT / "requirements.txt"]
    for path in sorted(p for p in sources if p.is_file()):
        h.update(str(path.relative_to(ROOT)).encode())
        h.update(path.read_bytes())
    for name in sorted(os.environ):
        if name in CONFIG_ENV or name.startswith("REFLEX_"):
            h.update(f"{name}={os.environ[name]}".encode())
    return h.hexdigest()


def main(argv: list[str]) -> None:
    from reflex import reflex as reflex_cli
    from reflex.utils import build

    digest = fingerprint()
    bundle = WEB / "build" / "client"
    if bundle.is_dir() and STAMP.is_file() and STAMP.read_text() == digest:
        reflex_cli._compile_app = lambda *args, **kwargs: None
        build.setup_frontend_prod = lambda *args, **kwargs: None
    else:
        STAMP.unlink(missing_ok=True)
        original = build.setup_frontend_prod

        def build_and_stamp(root: Path) -> None:
            original(root)
            STAMP.write_text(digest)  # computed before Reflex sets its own REFLEX_* variables

        build.setup_frontend_prod = build_and_stamp
    port = os.environ.get("PORT", "3000")
    sys.argv = ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", port,
                "--backend-port", port, *argv]
    reflex_cli.cli()


if __name__ == "__main__":
    main(sys.argv[1:])
