"""Start the production server (`reflex run --env prod --single-port`), reusing the previous
frontend build when nothing it depends on has changed, so a warm start takes seconds.

Reflex 0.10 compiles the pages and rebuilds the frontend bundle on every prod start (about
40 s here). The bundle only depends on the app's Python sources, the Reflex config and the
installed packages, so we fingerprint those; when the fingerprint matches the one stored with
the last successful build, the compile and build steps are skipped and the backend serves the
existing bundle. Any change (or a missing bundle) rebuilds as usual.

The stamp also records a signature of the bundle itself (every file's name, size and mtime), so a
bundle rebuilt by anything else (another port, another checkout's settings) is noticed and
rebuilt, never served. Tests build in a directory of their own (``REFLEX_WEB_WORKDIR``), so they
never touch this one.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / os.environ.get("REFLEX_WEB_WORKDIR", ".web")
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


def bundle_signature(bundle: Path) -> str:
    """Names, sizes and modification times of the built files (cheap: no file is read)."""
    h = hashlib.sha256()
    for path in sorted(p for p in bundle.rglob("*") if p.is_file()):
        st = path.stat()
        h.update(f"{path.relative_to(bundle)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return h.hexdigest()


def reusable(bundle: Path, digest: str, stamp: Path = STAMP) -> bool:
    """The bundle is the one this script built from these sources and settings."""
    if not (bundle.is_dir() and stamp.is_file()):
        return False
    return stamp.read_text().split("\n") == [digest, bundle_signature(bundle)]


def main(argv: list[str]) -> None:
    from reflex import reflex as reflex_cli
    from reflex.utils import build

    digest = fingerprint()
    bundle = WEB / "build" / "client"
    if reusable(bundle, digest):
        reflex_cli._compile_app = lambda *args, **kwargs: None
        build.setup_frontend_prod = lambda *args, **kwargs: None
    else:
        STAMP.unlink(missing_ok=True)
        original = build.setup_frontend_prod

        def build_and_stamp(root: Path) -> None:
            original(root)
            # digest: computed before Reflex sets its own REFLEX_* variables
            STAMP.write_text(f"{digest}\n{bundle_signature(bundle)}")

        build.setup_frontend_prod = build_and_stamp
    port = os.environ.get("PORT", "3000")
    sys.argv = ["reflex", "run", "--env", "prod", "--single-port", "--frontend-port", port,
                "--backend-port", port, *argv]
    reflex_cli.cli()


if __name__ == "__main__":
    main(sys.argv[1:])
