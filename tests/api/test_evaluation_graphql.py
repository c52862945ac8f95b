"""Evaluation documents the TypeScript client sends (``GetDatasets`` paging, the aliased
``AddGenerationsToDataset`` batch, prompt getters) and the exact response shapes, over HTTP."""

from sqlmodel import Session

from tests.api.gql import gql
from tests.eval_factories import make_step

GET_DATASETS = """query GetDatasets($after: ID) { datasets(after: $after, first: 100) {
  pageInfo { endCursor hasNextPage } edges { cursor node { id name } } } }"""
CREATE_DATASET = """mutation createDataset($name: String!, $description: String, $metadata: Json, $type: DatasetType) {
  createDataset(name: $name, description: $description, metadata: $metadata, type: $type) {
    id createdAt name description metadata type } }"""
ADD_GENERATIONS = """mutation AddGenerationsToDataset($datasetId: String!, $generationId_0: String!,
  $generationId_1: String!) {
  datasetItem0: addGenerationToDataset(datasetId: $datasetId, generationId: $generationId_0) {
    id createdAt datasetId metadata input expectedOutput intermediarySteps }
  datasetItem1: addGenerationToDataset(datasetId: $datasetId, generationId: $generationId_1) {
    id createdAt datasetId metadata input expectedOutput intermediarySteps } }"""
GET_PROMPT = """query GetPrompt($name: String!, $version: Int) { promptVersion(name: $name, version: $version) {
  id createdAt updatedAt type templateMessages tools settings variables variablesDefaultValues version url
  lineage { name } } }"""
CREATE_LINEAGE = "mutation createPromptLineage($name: String!, $description: String) { createPromptLineage(name: $name, description: $description) { id name } }"
CREATE_VERSION = """mutation createPromptVersion($lineageId: String!, $versionDesc: String, $templateMessages: Json,
  $tools: Json, $settings: Json, $variables: Json, $variablesDefaultValues: Json) {
  createPromptVersion(lineageId: $lineageId, versionDesc: $versionDesc, templateMessages: $templateMessages,
    tools: $tools, settings: $settings, variables: $variables, variablesDefaultValues: $variablesDefaultValues) {
    id version createdAt tools settings templateMessages } }"""
UPDATE_ROLLOUT = """mutation updatePromptLineageRollout($projectId: String, $name: String!,
  $rollouts: [PromptVersionRolloutInput!]!) {
  updatePromptLineageRollout(projectId: $projectId, name: $name, rollouts: $rollouts) { ok message errorCode } }"""
GET_ITEM = "query GetDataItem($id: String!) { datasetItem(id: $id) { id createdAt datasetId metadata input expectedOutput intermediarySteps stepId } }"


def test_ts_dataset_documents(live):
    project_id, key = live.new_key()
    made = gql(live, key, CREATE_DATASET, {"name": "gens", "type": "generation"})["data"]["createDataset"]
    assert made["type"] == "generation" and made["metadata"] is None and made["createdAt"].endswith("Z")
    with Session(live.engine) as s:
        ids = [make_step(s, project_id, type="llm", generation={
            "type": "CHAT", "messages": [{"role": "user", "content": f"q{i}"}],
            "messageCompletion": {"role": "assistant", "content": f"a{i}"}}).id for i in range(2)]
        s.commit()
    body = gql(live, key, ADD_GENERATIONS, {"datasetId": made["id"], "generationId_0": ids[0],
                                            "generationId_1": ids[1]})
    items = body["data"]
    assert items["datasetItem1"]["expectedOutput"] == {"role": "assistant", "content": "a1"}
    assert items["datasetItem0"]["intermediarySteps"] == [] and items["datasetItem0"]["datasetId"] == made["id"]
    got = gql(live, key, GET_ITEM, {"id": items["datasetItem0"]["id"]})["data"]["datasetItem"]
    assert got["stepId"] == ids[0] and got["metadata"] == {"promptType": "CHAT"}
    assert gql(live, key, GET_ITEM, {"id": "missing"}) == {"data": {"datasetItem": None}}
    page = gql(live, key, GET_DATASETS, {})["data"]["datasets"]
    assert page["pageInfo"] == {"endCursor": made["id"], "hasNextPage": False}
    assert page["edges"] == [{"cursor": made["id"], "node": {"id": made["id"], "name": "gens"}}]
    dup = gql(live, key, CREATE_DATASET, {"name": "gens"})
    assert dup["errors"][0]["message"] == "A dataset named 'gens' already exists."


def test_ts_prompt_documents_and_rollout_status(live):
    _, key = live.new_key()
    lineage = gql(live, key, CREATE_LINEAGE, {"name": "TS prompt"})["data"]["createPromptLineage"]
    v0 = gql(live, key, CREATE_VERSION, {
        "lineageId": lineage["id"], "templateMessages": [{"role": "user", "content": "Hi {{who}}"}],
        "settings": {"provider": "openai", "model": "gpt-4o"}, "variablesDefaultValues": {"who": "you"},
        "versionDesc": "first"})["data"]["createPromptVersion"]
    assert v0["version"] == 0 and v0["tools"] is None
    got = gql(live, key, GET_PROMPT, {"name": "TS prompt"})["data"]["promptVersion"]
    assert got["id"] == v0["id"] and got["lineage"] == {"name": "TS prompt"} and got["type"] == "CHAT"
    assert got["settings"] == {"provider": "openai", "model": "gpt-4o"}
    assert got["variables"] == [{"name": "who", "language": "plaintext"}]
    assert got["variablesDefaultValues"] == {"who": "you"}
    assert gql(live, key, GET_PROMPT, {"name": "nope"}) == {"data": {"promptVersion": None}}
    ok = gql(live, key, UPDATE_ROLLOUT, {"name": "TS prompt", "rollouts": [{"version": 0, "rollout": 100}]})
    assert ok == {"data": {"updatePromptLineageRollout": {"ok": True, "message": None, "errorCode": None}}}
    bad = gql(live, key, UPDATE_ROLLOUT, {"name": "TS prompt", "rollouts": [{"version": 0, "rollout": 40}]})
    assert bad["data"]["updatePromptLineageRollout"] == {
        "ok": False, "message": "Rollout percentages must add up to 100 (they add up to 40).", "errorCode": "INVALID"}
