"""POST /api/graphql: authentication, malformed documents, domain errors, participants."""

from tests.api.gql import gql

GET = "query GetUser($id: String, $identifier: String) { participant(id: $id, identifier: $identifier) { id identifier metadata createdAt } }"
CREATE = "mutation CreateUser($identifier: String!, $metadata: Json) { createParticipant(identifier: $identifier, metadata: $metadata) { id identifier metadata } }"


def test_missing_or_wrong_key_is_401_with_a_message(live):
    body = gql(live, None, GET, {"id": "x"}, status=401)
    assert "x-api-key" in body["errors"][0]["message"]
    body = gql(live, "lsk_nope", GET, {"id": "x"}, status=401)
    assert "Invalid" in body["errors"][0]["message"]


def test_malformed_document_and_wrong_variable_types(live):
    _, key = live.new_key()
    body = gql(live, key, "query { participant(id: ", status=400)
    assert "Syntax Error" in body["errors"][0]["message"]
    body = gql(live, key, "query { nosuchfield }", status=400)
    assert "nosuchfield" in body["errors"][0]["message"]
    body = gql(live, key, CREATE, {"identifier": 12})
    assert body["errors"] and "identifier" in body["errors"][0]["message"]
    assert gql(live, key, "mutation CreateScores() {\n}") == {"data": {}}


def test_participant_round_trip_and_unknown_is_null(live):
    _, key = live.new_key()
    assert gql(live, key, GET, {"identifier": "nobody"}) == {"data": {"participant": None}}
    made = gql(live, key, CREATE, {"identifier": "ada@example.com", "metadata": None})["data"]["createParticipant"]
    assert made["metadata"] == {} and made["identifier"] == "ada@example.com"
    got = gql(live, key, GET, {"identifier": "ada@example.com"})["data"]["participant"]
    assert got["id"] == made["id"] and got["createdAt"].endswith("Z")
    other_project_key = live.new_key()[1]
    assert gql(live, other_project_key, GET, {"id": made["id"]})["data"]["participant"] is None


def test_domain_errors_become_readable_graphql_errors(live):
    _, key = live.new_key("DOMAIN_EXPERT")
    body = gql(live, key, CREATE, {"identifier": "x"})
    assert body["errors"][0]["message"] == "A Domain Expert cannot change logs."
    _, key = live.new_key()
    body = gql(live, key, "mutation { deleteParticipant(id: \"missing\") { id } }")
    assert body["errors"][0]["message"] == "Participant not found."


def test_a_deadlock_victim_runs_again(monkeypatch):
    """PostgreSQL aborts one of two deadlocked transactions; it left nothing behind, so the request
    runs again instead of failing a client that does not retry (the TS client's upsertThread lost
    this way once in a full run: the thread's tags cascade to its steps while another request
    ingests them)."""
    import psycopg
    import pytest
    from sqlalchemy.exc import OperationalError, PendingRollbackError

    from api.graphql import app as graphql_app

    calls = []

    def flaky(body, key, env):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("UPDATE thread ...", {}, psycopg.errors.DeadlockDetected("deadlock detected"))
        if len(calls) == 2:
            raise PendingRollbackError("This Session's transaction has been rolled back due to a previous exception "
                                       "during flush. Original exception was: (psycopg.errors.DeadlockDetected) ...")
        return 200, {"data": {"ok": True}}

    monkeypatch.setattr(graphql_app, "_execute_once", flaky)
    assert graphql_app.execute({"query": "{ x }"}, "k", None) == (200, {"data": {"ok": True}})
    assert len(calls) == 3
    calls.clear()
    monkeypatch.setattr(graphql_app, "_execute_once", lambda *a: (_ for _ in ()).throw(
        OperationalError("SELECT 1", {}, psycopg.errors.QueryCanceled("canceling statement"))))
    with pytest.raises(OperationalError):  # anything else is not retried
        graphql_app.execute({"query": "{ x }"}, "k", None)
