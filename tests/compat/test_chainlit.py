"""Chainlit 2.12's Literal data layer against the live server, in .venv-chainlit (see
chainlit_scenario.py for the scenario: users, steps, elements, feedback, threads, filters)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ROOT / ".venv-chainlit" / "bin" / "python"


@pytest.mark.skipif(not PYTHON.exists(), reason="run scripts/install --dev to create .venv-chainlit")
def test_chainlit_data_layer(live):
    _, key = live.new_key()
    run = subprocess.run([str(PYTHON), str(Path(__file__).with_name("chainlit_scenario.py")), live.url, key],
                         capture_output=True, text=True, timeout=600, cwd="/tmp",
                         env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", "CHAINLIT_APP_ROOT": "/tmp"})
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    assert "CHAINLIT SCENARIO OK" in run.stdout
