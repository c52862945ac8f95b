"""Item 10: tests build the frontend in a directory of their own, and ``scripts/serve.py`` reuses
a build only when it is the very build it stamped (a bundle rebuilt by anything else, for another
port, is noticed and rebuilt)."""

from __future__ import annotations

import importlib.util
import os

from tests.e2e.app import TEST_WEB_DIR, ui_app_env
from tests.live import ROOT


def _serve_module():
    spec = importlib.util.spec_from_file_location("literal_serve", ROOT / "scripts" / "serve.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_browser_tests_build_outside_the_checkouts_web_dir(tmp_path):
    env = ui_app_env(tmp_path / "data", 45678)
    assert env["REFLEX_WEB_WORKDIR"] == str(TEST_WEB_DIR) and TEST_WEB_DIR != ROOT / ".web"
    assert env["REFLEX_STATES_WORKDIR"].startswith(str(tmp_path))
    assert ".web-test/" in (ROOT / ".gitignore").read_text()


def test_the_reuse_check_notices_a_build_it_did_not_make(tmp_path):
    serve = _serve_module()
    bundle, stamp = tmp_path / "build" / "client", tmp_path / "stamp"
    bundle.mkdir(parents=True)
    (bundle / "index.html").write_text("<html>port 3000</html>")
    (bundle / "env.json").write_text('{"EVENT": "ws://localhost:3000/_event"}')
    digest = serve.fingerprint()
    stamp.write_text(f"{digest}\n{serve.bundle_signature(bundle)}")
    assert serve.reusable(bundle, digest, stamp)
    assert not serve.reusable(bundle, "another-digest", stamp)
    # Another build (a test run for a random port) rewrites the bundle in place.
    (bundle / "env.json").write_text('{"EVENT": "ws://localhost:41234/_event"}')
    os.utime(bundle / "env.json", ns=(1, 1))
    assert not serve.reusable(bundle, digest, stamp)
    stamp.write_text(digest)  # a stamp from before bundle signatures: rebuilt once
    assert not serve.reusable(bundle, digest, stamp)
