"""Property-based probing with schemathesis (bounded, so it runs in CI): generated requests to
every REST route (from the API's OpenAPI document, valid and invalid ones) and every GraphQL root
field (schemathesis' GraphQL mode, from ``schema.graphql``) never get a 500, and GraphQL never
answers an unexpected internal error; on both databases."""

from __future__ import annotations

from datetime import timezone

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from hypothesis import strategies as st
from schemathesis.graphql import nodes

from api.app import build_api
from api.graphql.app import SCHEMA_PATH

REST_EXAMPLES = 20
GRAPHQL_EXAMPLES = 8
_json_leaf = st.one_of(st.integers(-10**6, 10**6).map(nodes.Int), st.text(max_size=12).map(nodes.String),
                       st.booleans().map(nodes.Boolean), st.just(nodes.Null))
schemathesis.graphql.scalar("Json", st.one_of(_json_leaf, st.lists(_json_leaf, max_size=3).map(nodes.List)))
schemathesis.graphql.scalar("DateTime", st.one_of(
    st.datetimes(timezones=st.just(timezone.utc)).map(lambda d: nodes.String(d.isoformat())),
    st.text(max_size=10).map(nodes.String)))

OPTIONS = settings(max_examples=1, deadline=None, database=None, derandomize=True,
                   suppress_health_check=list(HealthCheck))


def _operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def _run(strategy, base_url: str, examples: int, check) -> None:
    @given(case=strategy)
    @settings(OPTIONS, max_examples=examples)
    def probe(case):
        check(case, case.call(base_url=base_url, timeout=60))

    probe()


def test_rest_routes_never_answer_500(live):
    _, key = live.new_key()
    schema = schemathesis.openapi.from_dict(build_api().openapi())
    operations = _operations(schema)
    assert {op.path for op in operations} >= {"/api/graphql", "/api/my-project", "/api/upload/file",
                                              "/api/export/dataset", "/api/files/{object_key}"}

    statuses: list[int] = []

    def check(case, response):
        statuses.append(response.status_code)
        assert response.status_code < 500, (case.method, case.path, case.body, response.text[:300])

    for operation in operations:
        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
            strategy = operation.as_strategy(generation_mode=mode, headers={"x-api-key": key})
            try:
                _run(strategy, live.url, REST_EXAMPLES, check)
            except Unsatisfiable:  # nothing invalid to send (a route without parameters or body)
                assert mode == schemathesis.GenerationMode.NEGATIVE, operation.path
    assert len(statuses) > 5 * len(operations) and 200 in statuses and 422 in statuses


def test_graphql_never_answers_500_or_an_internal_error(live):
    _, key = live.new_key()
    schema = schemathesis.graphql.from_file(SCHEMA_PATH.read_text())
    operations = _operations(schema)
    assert len(operations) > 40

    answered: list[bool] = []

    def check(case, response):
        assert response.status_code < 500, (case.body, response.text[:300])
        answered.append(bool(response.json().get("data")))
        errors = response.json().get("errors") or []
        assert not [e for e in errors if str(e.get("message", "")).startswith("Internal error")], \
            (case.body, errors)

    for operation in operations:
        strategy = operation.as_strategy(headers={"x-api-key": key})
        _run(strategy, f"{live.url}/api/graphql", GRAPHQL_EXAMPLES, check)
    assert len(answered) > 2 * len(operations) and sum(answered) > len(operations)  # most got real answers


@pytest.fixture(autouse=True)
def _reachable(live):
    assert httpx.get(f"{live.url}/api/health").status_code == 200
