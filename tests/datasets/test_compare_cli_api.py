"""The CI gate as a CI runner uses it: ``python -m literal_app.cli compare-experiments`` with
``LITERAL_API_KEY`` / ``LITERAL_API_URL`` against a live server (SQLite and PostgreSQL), over two
experiments logged by the official SDK. The CLI's own database is unreachable, so the comparison
can only come through the API. Errors (unknown score, bad key, another project's experiment, a
server that cannot be reached) exit 2, never 1, which a pipeline reads as "the candidate is worse"."""

import json
import subprocess
import sys

import pytest
from literalai import LiteralClient

NO_DATABASE = "postgresql+psycopg://nobody@127.0.0.1:9/unreachable"


def _logged(client, dataset, items, name: str, values: list[float]):
    experiment = dataset.create_experiment(name=name)
    for item, value in zip(items, values):
        with client.experiment_item_run():
            experiment.log({"datasetItemId": item.id, "input": item.input, "output": {"answer": name},
                            "scores": [{"name": "accuracy", "type": "CODE", "value": value}]})
    client.flush()
    return experiment.id


def _gate(live, key: str, *args: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": NO_DATABASE, "LITERAL_API_KEY": key, "LITERAL_API_URL": live.url}
    return subprocess.run([sys.executable, "-m", "literal_app.cli", "compare-experiments", *args],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def logged(live):
    project_id, key = live.new_key()
    client = LiteralClient(api_key=key, url=live.url)
    dataset = client.api.create_dataset(name="gate")
    items = [dataset.create_item(input={"question": f"q{i}"}, expected_output={"answer": "a"}) for i in range(12)]
    base = _logged(client, dataset, items, "base", [1.0] * 12)
    worse = _logged(client, dataset, items, "worse", [0.0] * 10 + [1.0] * 2)
    same = _logged(client, dataset, items, "same", [1.0] * 12)
    client.event_processor.flush_and_stop()
    return key, base, worse, same


def test_the_gate_through_the_api_with_an_api_key(live, logged):
    key, base, worse, same = logged
    failed = _gate(live, key, base, worse, "--score", "accuracy")
    assert failed.returncode == 1, failed.stderr
    assert "FAIL" in failed.stderr and "worse (+0/-10 items)" in failed.stdout
    assert "shared items: 12" in failed.stdout

    passed = _gate(live, key, base, same, "--score", "accuracy", "--json")
    assert passed.returncode == 0, passed.stderr
    data = json.loads(passed.stdout.split("\nPASS")[0])
    assert data["gate"]["passed"] and data["scores"]["accuracy"]["verdict"] == "no significant difference"

    tolerated = _gate(live, key, base, worse, "--score", "accuracy", "--max-regression", "0.9")
    assert tolerated.returncode == 0, tolerated.stderr  # a mean drop of 0.83, within 0.9

    unknown = _gate(live, key, base, worse, "--score", "nope")
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    bad_key = _gate(live, "lsk-not-a-key", base, worse, "--score", "accuracy")
    assert bad_key.returncode == 2 and bad_key.stderr.startswith("Error"), bad_key.stderr
    nowhere = subprocess.run([sys.executable, "-m", "literal_app.cli", "compare-experiments", base, worse, "--score",
                              "accuracy"], capture_output=True, text=True, timeout=120,
                             env={"PATH": "/usr/bin:/bin", "LITERAL_API_KEY": key, "LITERAL_API_URL": "http://127.0.0.1:9"})
    assert nowhere.returncode == 2 and "Could not reach http://127.0.0.1:9" in nowhere.stderr, nowhere.stderr
    _, other_key = live.new_key()  # another project's key cannot read these experiments
    elsewhere = _gate(live, other_key, base, worse, "--score", "accuracy")
    assert elsewhere.returncode == 2 and "not found" in elsewhere.stderr.lower(), elsewhere.stderr
