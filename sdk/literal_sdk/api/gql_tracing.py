"""GraphQL documents for users, threads, steps, generations, scores and attachments.

Operation names, root fields, variable names and variable types follow the wire protocol that
Literal AI servers implement (type names such as ``stepsInputType`` are part of it).
"""

PAGE_INFO = "pageInfo { startCursor endCursor hasNextPage hasPreviousPage }"
STEP = """id threadId rootRunId parentId startTime endTime createdAt type error input output metadata
environment tags name
scores { id type name value comment }
generation { prompt completion createdAt provider model variables messages messageCompletion tools
  settings stepId tokenCount inputTokenCount outputTokenCount ttFirstToken duration
  tokenThroughputInSeconds error type }
attachments { id stepId threadId metadata mime name objectKey url }"""
PARTICIPANT = "participant { id identifier metadata }"
SHALLOW_THREAD = f"id name metadata tags createdAt {PARTICIPANT}"
THREAD = f"{SHALLOW_THREAD} steps {{ {STEP} }}"
ATTACHMENT = "id threadId stepId metadata mime name objectKey url"


def list_query(operation: str, root: str, filter_type: str, node: str, order_type: str = "",
               extra_vars: str = "", extra_args: str = "") -> str:
    """A paginated (Relay-style) query over ``root`` with the protocol's standard arguments."""
    order_var = f", $orderBy: {order_type}" if order_type else ""
    order_arg = ", orderBy: $orderBy" if order_type else ""
    return (f"query {operation}($after: ID, $before: ID, $cursorAnchor: DateTime, "
            f"$filters: [{filter_type}!]{order_var}, $first: Int, $last: Int, $projectId: String{extra_vars}) {{\n"
            f"  {root}(after: $after, before: $before, cursorAnchor: $cursorAnchor, filters: $filters"
            f"{order_arg}, first: $first, last: $last, projectId: $projectId{extra_args}) {{\n"
            f"    {PAGE_INFO} totalCount edges {{ cursor node {{ {node} }} }}\n  }}\n}}")


GET_PARTICIPANTS = list_query("GetParticipants", "participants", "participantsInputType",
                              "id createdAt lastEngaged threadCount tokenCount identifier metadata")
GET_PARTICIPANT = """query GetUser($id: String, $identifier: String) {
  participant(id: $id, identifier: $identifier) { id identifier metadata createdAt } }"""
CREATE_PARTICIPANT = """mutation CreateUser($identifier: String!, $metadata: Json) {
  createParticipant(identifier: $identifier, metadata: $metadata) { id identifier metadata } }"""
UPDATE_PARTICIPANT = """mutation UpdateUser($id: String!, $identifier: String, $metadata: Json) {
  updateParticipant(id: $id, identifier: $identifier, metadata: $metadata) { id identifier metadata } }"""
DELETE_PARTICIPANT = "mutation DeleteUser($id: String!) { deleteParticipant(id: $id) { id } }"

GET_THREADS = list_query("GetThreads", "threads", "ThreadsInputType", THREAD, "ThreadsOrderByInput",
                         ", $stepTypesToKeep: [StepType!]", ", stepTypesToKeep: $stepTypesToKeep")
LIST_THREADS = """query listThreads($first: Int, $after: ID, $last: Int, $before: ID, $skip: Int,
  $projectId: String, $filters: [ThreadsInputType!], $orderBy: ThreadsOrderByInput, $cursorAnchor: DateTime) {
  threads(first: $first, after: $after, last: $last, before: $before, skip: $skip, projectId: $projectId,
          filters: $filters, orderBy: $orderBy, cursorAnchor: $cursorAnchor) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount
    edges { node { id createdAt tokenCount name metadata duration tags participant { identifier id } } }
  }
}"""
GET_THREAD = f"query GetThread($id: String!) {{ threadDetail(id: $id) {{ {THREAD} }} }}"
_THREAD_VARS = "$name: String, $metadata: Json, $participantId: String, $tags: [String!]"
_THREAD_ARGS = "name: $name, metadata: $metadata, participantId: $participantId, tags: $tags"
CREATE_THREAD = f"mutation CreateThread({_THREAD_VARS}) {{ createThread({_THREAD_ARGS}) {{ {SHALLOW_THREAD} }} }}"
UPSERT_THREAD = (f"mutation UpsertThread($id: String!, {_THREAD_VARS}) "
                 f"{{ upsertThread(id: $id, {_THREAD_ARGS}) {{ {SHALLOW_THREAD} }} }}")
UPDATE_THREAD = (f"mutation UpdateThread($id: String!, {_THREAD_VARS}) "
                 f"{{ updateThread(id: $id, {_THREAD_ARGS}) {{ {SHALLOW_THREAD} }} }}")
DELETE_THREAD = "mutation DeleteThread($thread_id: String!) { deleteThread(id: $thread_id) { id } }"

_STEP_VARS = ("$type: StepType, $startTime: DateTime, $endTime: DateTime, $input: Json, $output: Json, "
              "$metadata: Json, $parentId: String, $name: String, $tags: [String!]")
_STEP_ARGS = ("type: $type, startTime: $startTime, endTime: $endTime, input: $input, output: $output, "
              "metadata: $metadata, parentId: $parentId, name: $name, tags: $tags")
CREATE_STEP = (f"mutation CreateStep($threadId: String, $rootRunId: String, {_STEP_VARS}) "
               f"{{ createStep(threadId: $threadId, rootRunId: $rootRunId, {_STEP_ARGS}) {{ {STEP} }} }}")
UPDATE_STEP = f"mutation UpdateStep($id: String!, {_STEP_VARS}) {{ updateStep(id: $id, {_STEP_ARGS}) {{ {STEP} }} }}"
GET_STEPS = list_query("GetSteps", "steps", "stepsInputType", STEP, "StepsOrderByInput")
GET_STEP = f"query GetStep($id: String!) {{ step(id: $id) {{ {STEP} }} }}"
DELETE_STEP = "mutation DeleteStep($id: String!) { deleteStep(id: $id) { id } }"

GET_GENERATIONS = list_query(
    "GetGenerations", "generations", "generationsInputType",
    """id projectId prompt completion createdAt provider model variables messages messageCompletion tools
    settings stepId tokenCount duration inputTokenCount outputTokenCount ttFirstToken
    tokenThroughputInSeconds error type tags metadata
    step { threadId thread { participant { identifier } } }""", "GenerationsOrderByInput")
CREATE_GENERATION = """mutation CreateGeneration($generation: GenerationPayloadInput!) {
  createGeneration(generation: $generation) { id type } }"""

GET_SCORES = list_query(
    "GetScores", "scores", "scoresInputType",
    """comment createdAt id projectId stepId datasetExperimentItemId type updatedAt name value tags
    step { thread { id participant { identifier } } }""", "ScoresOrderByInput")
CREATE_SCORE = """mutation CreateScore($name: String!, $type: ScoreType!, $value: Float!, $stepId: String,
  $datasetExperimentItemId: String, $comment: String, $tags: [String!]) {
  createScore(name: $name, type: $type, value: $value, stepId: $stepId,
              datasetExperimentItemId: $datasetExperimentItemId, comment: $comment, tags: $tags) {
    id name type value stepId datasetExperimentItemId comment tags } }"""
UPDATE_SCORE = """mutation UpdateScore($id: String!, $comment: String, $value: Float!) {
  updateScore(id: $id, comment: $comment, value: $value) {
    id name type value stepId datasetExperimentItemId comment } }"""
DELETE_SCORE = "mutation DeleteScore($id: String!) { deleteScore(id: $id) { id } }"
SCORE_VARIABLES = (("name", "String!"), ("type", "ScoreType!"), ("value", "Float!"), ("label", "String"),
                   ("stepId", "String"), ("datasetExperimentItemId", "String"), ("scorer", "String"),
                   ("comment", "String"), ("tags", "[String!]"))


def create_scores_document(count: int) -> str:
    """One ``CreateScores`` mutation with ``count`` aliased ``createScore`` fields."""
    decls, fields = [], []
    for i in range(count):
        decls += [f"${name}_{i}: {kind}" for name, kind in SCORE_VARIABLES]
        args = ", ".join(f"{name}: ${name}_{i}" for name, _ in SCORE_VARIABLES)
        fields.append(f"score_{i}: createScore({args}) {{ id name type value label comment scorer }}")
    return f"mutation CreateScores({', '.join(decls)}) {{ {' '.join(fields)} }}"


CREATE_ATTACHMENT = f"""mutation CreateAttachment($metadata: Json, $mime: String, $name: String!,
  $objectKey: String, $stepId: String!, $url: String) {{
  createAttachment(metadata: $metadata, mime: $mime, name: $name, objectKey: $objectKey, stepId: $stepId,
                   url: $url) {{ {ATTACHMENT} }} }}"""
UPDATE_ATTACHMENT = f"""mutation UpdateAttachment($id: String!, $metadata: Json, $mime: String, $name: String,
  $objectKey: String, $projectId: String, $url: String) {{
  updateAttachment(id: $id, metadata: $metadata, mime: $mime, name: $name, objectKey: $objectKey,
                   projectId: $projectId, url: $url) {{ {ATTACHMENT} }} }}"""
GET_ATTACHMENT = f"query GetAttachment($id: String!) {{ attachment(id: $id) {{ {ATTACHMENT} }} }}"
DELETE_ATTACHMENT = "mutation DeleteAttachment($id: String!) { deleteAttachment(id: $id) { id } }"
