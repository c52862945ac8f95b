"""Bounds on what one GraphQL document may ask for, checked before graphql-core validates it.

Without them a small document could cost minutes: ``step{thread{steps{thread{steps…}}}}`` grows
with the data at each level, and thousands of aliases run thousands of queries (graphql-core's
overlap validation alone is quadratic in them). The bounds:

- **depth**: selection sets nested at most ``MAX_DEPTH`` deep (the official clients' deepest,
  ``generations{edges{node{step{thread{participant{identifier}}}}}}``, is 7; the standard
  introspection query about 13);
- **fields**: at most ``MAX_FIELDS`` selected fields after expanding fragments, and at most
  ``MAX_ROOT_FIELDS`` root fields in a mutation (aliases included; the clients' largest documents
  are ingestion batches of up to ``MAX_STEPS_PER_REQUEST`` aliased ``ingestStep`` fields) and
  ``MAX_ROOT_QUERY_FIELDS`` in a query (the clients' queries have one);
- **cycles**: an object type appears at most ``MAX_TYPE_REPEATS`` times along one path, so
  ``step{thread{steps{…}}}`` is fine and ``…{thread{steps{thread{steps}}}}`` is not;
- **cost**: the number of objects the document may resolve, each connection multiplying what is
  under it by its ``first``/``last`` literal (else ``DEFAULT_PAGE_ESTIMATE``) and each list by an
  estimate (``LIST_ESTIMATES``), below ``MAX_COST``.

``check`` walks the document once (fragments expanded, stopping as soon as a bound is passed) and
depends only on the document text, so its answer is cached with the parsed document.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
)
from graphql.language import DocumentNode, OperationType

from literal_app.services.kernel.limits import MAX_STEPS_PER_REQUEST
from literal_app.services.logs.querying import MAX_PAGE

MAX_DEPTH = 15
MAX_FIELDS = 25_000
MAX_ROOT_FIELDS = 2 * MAX_STEPS_PER_REQUEST  # mutations (ingestion answers its own limit, per step)
MAX_ROOT_QUERY_FIELDS = 50  # queries: each root field is a query of its own
MAX_TYPE_REPEATS = 2
MAX_COST = 1_000_000
MAX_TOKENS = 400_000  # lexical tokens: a 1,000-step ingestion batch is about 150,000
MAX_SOURCE_LENGTH = 4_000_000  # characters: the same batch is under 1 MB of text
MAX_COMMENTS = 1_000
DEFAULT_PAGE_ESTIMATE = 100
LIST_ESTIMATES = {("Thread", "steps"): 100, ("__Schema", "types"): 100}
DEFAULT_LIST_ESTIMATE = 10


class LimitExceeded(Exception):
    """A bound was passed; the message says which and by how much."""


@dataclass
class _Walk:
    schema: GraphQLSchema
    fragments: dict[str, FragmentDefinitionNode]
    fields: int = 0
    cost: int = 0


def check(schema: GraphQLSchema, document: DocumentNode) -> list[GraphQLError]:
    """The errors of a document that asks for too much (empty when within every bound)."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    walk = _Walk(schema, fragments)
    try:
        for op in document.definitions:
            if not isinstance(op, OperationDefinitionNode):
                continue
            root = {OperationType.QUERY: schema.query_type, OperationType.MUTATION: schema.mutation_type,
                    OperationType.SUBSCRIPTION: schema.subscription_type}[op.operation]
            if root is None:
                continue
            most = MAX_ROOT_FIELDS if op.operation == OperationType.MUTATION else MAX_ROOT_QUERY_FIELDS
            roots = _count_root_fields(walk, op.selection_set, most)
            if roots > most:
                raise LimitExceeded(f"The document selects {roots} root fields or more (at most {most}).")
            _selection(walk, root, op.selection_set, depth=1, multiplier=1, path=(), seen_fragments=())
    except LimitExceeded as e:
        return [GraphQLError(str(e), extensions={"code": "QUERY_TOO_COMPLEX"})]
    return []


def _count_root_fields(walk: _Walk, selection_set: SelectionSetNode, most: int,
                       seen: tuple[str, ...] = ()) -> int:
    """Root fields after expanding fragments (counting stops once past ``most``)."""
    total = 0
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            total += 1
        elif isinstance(sel, InlineFragmentNode):
            total += _count_root_fields(walk, sel.selection_set, most, seen)
        elif isinstance(sel, FragmentSpreadNode):
            frag = walk.fragments.get(sel.name.value)
            if frag is not None and sel.name.value not in seen:
                total += _count_root_fields(walk, frag.selection_set, most, (*seen, sel.name.value))
        if total > most:
            break
    return total


def _selection(walk: _Walk, parent: GraphQLObjectType, selection_set: SelectionSetNode, *, depth: int,
               multiplier: int, path: tuple[str, ...], seen_fragments: tuple[str, ...]) -> None:
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"The document is nested more than {MAX_DEPTH} levels deep.")
    for sel in selection_set.selections:
        if isinstance(sel, FieldNode):
            _field(walk, parent, sel, depth=depth, multiplier=multiplier, path=path, seen_fragments=seen_fragments)
        elif isinstance(sel, InlineFragmentNode):
            inner = walk.schema.get_type(sel.type_condition.name.value) if sel.type_condition else parent
            if isinstance(inner, GraphQLObjectType):
                _selection(walk, inner, sel.selection_set, depth=depth, multiplier=multiplier, path=path,
                           seen_fragments=seen_fragments)
        elif isinstance(sel, FragmentSpreadNode):
            name = sel.name.value
            frag = walk.fragments.get(name)
            if frag is None or name in seen_fragments:
                continue  # unknown or cyclic spreads: graphql-core's validation reports them
            inner = walk.schema.get_type(frag.type_condition.name.value)
            if isinstance(inner, GraphQLObjectType):
                _selection(walk, inner, frag.selection_set, depth=depth, multiplier=multiplier, path=path,
                           seen_fragments=(*seen_fragments, name))


def _field(walk: _Walk, parent: GraphQLObjectType, node: FieldNode, *, depth: int, multiplier: int,
           path: tuple[str, ...], seen_fragments: tuple[str, ...]) -> None:
    walk.fields += 1
    if walk.fields > MAX_FIELDS:
        raise LimitExceeded(f"The document selects more than {MAX_FIELDS} fields.")
    field = parent.fields.get(node.name.value) if node.name.value != "__schema" else None
    if node.name.value == "__schema":
        target, is_list = walk.schema.get_type("__Schema"), False
    elif node.name.value == "__type":
        target, is_list = walk.schema.get_type("__Type"), False
    elif field is None:
        return  # unknown field (or __typename): graphql-core's validation reports unknown ones
    else:
        target, is_list = _unwrap(field.type)
    if not isinstance(target, GraphQLObjectType) or node.selection_set is None:
        return
    if is_list:
        multiplier *= _list_size(parent.name, node)
    elif target.name.endswith("Connection"):  # its edges: one page
        multiplier *= min(page_size(node) or DEFAULT_PAGE_ESTIMATE, MAX_PAGE)
    walk.cost += multiplier
    if walk.cost > MAX_COST:
        raise LimitExceeded(f"The document could resolve more than {MAX_COST:,} objects: ask for fewer "
                            "nested lists or smaller pages.")
    if not target.name.startswith("__") and path.count(target.name) >= MAX_TYPE_REPEATS:
        raise LimitExceeded(f"The document nests {target.name} inside itself more than "
                            f"{MAX_TYPE_REPEATS - 1} time(s) (at '{node.name.value}').")
    _selection(walk, target, node.selection_set, depth=depth + 1, multiplier=multiplier,
               path=(*path, target.name), seen_fragments=seen_fragments)


def _unwrap(gql_type) -> tuple[object, bool]:
    is_list = False
    while isinstance(gql_type, (GraphQLNonNull, GraphQLList)):
        is_list = is_list or isinstance(gql_type, GraphQLList)
        gql_type = gql_type.of_type
    return gql_type, is_list


def _list_size(parent: str, node: FieldNode) -> int:
    """The estimated length of a list field (a connection's ``edges`` count with the connection)."""
    if parent.endswith("Connection") and node.name.value == "edges":
        return 1
    return LIST_ESTIMATES.get((parent, node.name.value), DEFAULT_LIST_ESTIMATE)


def page_size(node: FieldNode) -> int | None:
    """The literal ``first``/``last`` of a connection field, if any (variables count as unknown)."""
    for arg in node.arguments or ():
        if arg.name.value in ("first", "last") and isinstance(arg.value, IntValueNode):
            return int(arg.value.value)
    return None
