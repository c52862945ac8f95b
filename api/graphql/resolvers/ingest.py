"""``ingestStep``: every alias of a request is ingested together, in one bulk write.

The first ``ingestStep`` field resolved collects the coerced arguments of all ``ingestStep``
fields of the operation, hands them to ``literal_app.services.ingestion`` at once, and caches one result
per response key; each alias then answers its own ``{ok, message}``.
"""

from __future__ import annotations

from ariadne import MutationType
from graphql import FieldNode
from graphql.execution.values import get_argument_values

from api.graphql.context import GraphQLContext
from literal_app.services.ingestion import ingest_steps

mutation = MutationType()


def _ingest_all(info) -> dict:
    field_def = info.parent_type.fields["ingestStep"]
    keys, items = [], []
    for node in info.operation.selection_set.selections:
        if isinstance(node, FieldNode) and node.name.value == "ingestStep":
            keys.append(node.alias.value if node.alias else node.name.value)
            items.append(get_argument_values(field_def, node, info.variable_values))
    c: GraphQLContext = info.context
    return dict(zip(keys, ingest_steps(c.session, c.actor, items)))


@mutation.field("ingestStep")
def resolve_ingest_step(_, info, **_args):
    cache = info.context.cache
    if "ingest" not in cache:
        cache["ingest"] = _ingest_all(info)
    return cache["ingest"][info.path.key]


bindables = [mutation]
