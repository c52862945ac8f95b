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
