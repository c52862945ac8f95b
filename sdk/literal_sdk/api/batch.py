"""The ingestion document: N aliased ``ingestStep`` fields (and ``upsertThread`` for threads
closed by ``client.thread``) in one ``AddStep`` mutation, only non-None variables sent."""

from typing import Dict, List, Tuple

STEP_VARIABLES = (
    ("id", "String!"), ("threadId", "String"), ("rootRunId", "String"), ("type", "StepType"),
    ("startTime", "DateTime"), ("endTime", "DateTime"), ("error", "String"), ("input", "Json"),
    ("output", "Json"), ("metadata", "Json"), ("parentId", "String"), ("name", "String"),
    ("tags", "[String!]"), ("generation", "GenerationPayloadInput"), ("scores", "[ScorePayloadInput!]"),
    ("attachments", "[AttachmentPayloadInput!]"),
)
THREAD_VARIABLES = (("id", "String!"), ("name", "String"), ("metadata", "Json"),
                    ("participantId", "String"), ("tags", "[String!]"))

Event = Tuple[str, Dict]  # ("step" | "thread", payload)


def build_batch(events: List[Event]) -> Tuple[str, Dict]:
    """The GraphQL document and variables delivering ``events`` in order."""
    declarations: List[str] = []
    fields: List[str] = []
    variables: Dict = {}
    for i, (kind, payload) in enumerate(events):
        if kind == "step":
            spec, head, selection = STEP_VARIABLES, f"step{i}: ingestStep", "ok message"
        else:
            spec, head, selection = THREAD_VARIABLES, f"thread{i}: upsertThread", "id"
        arguments = []
        for name, gql_type in spec:
            declarations.append(f"${name}_{i}: {gql_type}")
            arguments.append(f"{name}: ${name}_{i}")
            value = payload.get(name)
            if value is not None:
                variables[f"{name}_{i}"] = value
        fields.append(f"{head}({', '.join(arguments)}) {{ {selection} }}")
    return f"mutation AddStep({', '.join(declarations)}) {{\n" + "\n".join(fields) + "\n}", variables
