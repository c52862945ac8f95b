"""A fast path for the SDKs' ``get_prompt``: ``promptVersion`` by name (drawn by the A/B rollout), by
name and version number, or by id.

The clients send one fixed document (``GetPrompt``); ``plan`` recognises any query made of a single
``promptVersion`` field whose selection is plain fields (cached by document text, like the parsed
document), and ``requested`` reads its arguments from the request's variables. The version is
then fetched, with the API key, in one statement (``services.prompts.serving``) and ``render``
builds the response from it the way graphql-core would (the same fields in the same order, each
value through its schema type's serializer), without running the executor: on this path it cost
more than the statement. Anything else (a value that is not plainly a string or a 32-bit integer,
a default value, a fragment, a directive, a value a non-null field lacks) answers ``None`` and the request
takes the ordinary path, which gives the usual answer or error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ariadne.utils import convert_camel_case_to_snake
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    OperationDefinitionNode,
    StringValueNode,
    VariableNode,
)
from graphql.language import DocumentNode, IntValueNode, NullValueNode, OperationType, SelectionSetNode

from literal_app.services.prompts.serving import PromptRequest



INT_MIN, INT_MAX = -(2**31), 2**31 - 1  # GraphQL's Int


@dataclass(frozen=True)
class _Field:
    """One selected field: where its value comes from and how it is written in the response."""

    key: str  # the response key (alias or name)
    attr: str | None  # the resolved object's attribute (ariadne's default resolver); None: __typename
    constant: str | None  # __typename's value
    serialize: Callable[[Any], Any] | None  # leaf types: the schema type's serializer
    non_null: bool
    is_list: bool
    item_non_null: bool
    children: tuple[_Field, ...] | None  # object types: their selected fields


@dataclass(frozen=True)
class PromptPlan:
    arguments: tuple[tuple[str, Any], ...]  # (argument name, VariableNode or literal node)
    defaults: tuple[tuple[str, Any], ...]  # (variable name, default value node)
    key: str  # the response key of the promptVersion field
    fields: tuple[_Field, ...]


class _NotPlain(Exception):
    """The selection uses something ``render`` does not reproduce: the ordinary path answers."""


def _fields(schema: GraphQLSchema, parent: GraphQLObjectType, selection: SelectionSetNode) -> tuple[_Field, ...]:
    out, keys = [], set()
    for node in selection.selections:
        if not isinstance(node, FieldNode) or node.directives or node.arguments:
            raise _NotPlain
        name = node.name.value
        key = node.alias.value if node.alias else name
        if key in keys:  # graphql-core merges repeated keys; not worth reproducing
            raise _NotPlain
        keys.add(key)
        if name == "__typename":
            out.append(_Field(key, None, parent.name, None, True, False, False, None))
            continue
        definition = parent.fields.get(name)
        if definition is None or definition.args:
            raise _NotPlain
        t, non_null, is_list, item_non_null = definition.type, False, False, False
        if isinstance(t, GraphQLNonNull):
            t, non_null = t.of_type, True
        if isinstance(t, GraphQLList):
            t, is_list = t.of_type, True
            if isinstance(t, GraphQLNonNull):
                t, item_non_null = t.of_type, True
        if isinstance(t, (GraphQLList, GraphQLNonNull)):
            raise _NotPlain
        if isinstance(t, GraphQLObjectType):
            if node.selection_set is None or is_list:
                raise _NotPlain
            children = _fields(schema, t, node.selection_set)
            out.append(_Field(key, convert_camel_case_to_snake(name), None, None, non_null, False, False, children))
        elif node.selection_set is None and hasattr(t, "serialize"):
            out.append(_Field(key, convert_camel_case_to_snake(name), None, t.serialize, non_null, is_list,
                              item_non_null, None))
        else:
            raise _NotPlain
    return tuple(out)


def render(p: PromptPlan, version: Any) -> dict | None:
    """The response graphql-core gives for ``version``, or None when a value would make it an
    error (a non-null field without a value, a value its type refuses)."""
    try:
        return {"data": {p.key: _object(p.fields, version)}}
    except (_NotPlain, GraphQLError, TypeError, ValueError, AttributeError):
        return None


def _object(fields: tuple[_Field, ...], obj: Any) -> dict:
    out = {}
    for f in fields:
        if f.attr is None:
            out[f.key] = f.constant
            continue
        value = getattr(obj, f.attr)
        if value is None:
            if f.non_null:
                raise _NotPlain
            out[f.key] = None
        elif f.children is not None:
            out[f.key] = _object(f.children, value)
        elif f.is_list:
            items = [None if v is None else f.serialize(v) for v in value]
            if f.item_non_null and None in items:
                raise _NotPlain
            out[f.key] = items
        else:
            out[f.key] = f.serialize(value)
            if out[f.key] is None:  # graphql-core: a serializer answering None is an error
                raise _NotPlain
    return out


def plan(schema: GraphQLSchema, document: DocumentNode) -> PromptPlan | None:
    """The plan of a validated document made of one plain ``promptVersion`` field, else None."""
    ops = document.definitions
    if len(ops) != 1 or not isinstance(ops[0], OperationDefinitionNode) or ops[0].operation != OperationType.QUERY:
        return None
    op = ops[0]
    fields = op.selection_set.selections
    if op.directives or len(fields) != 1 or not isinstance(fields[0], FieldNode):
        return None
    node = fields[0]
    if node.name.value != "promptVersion" or node.directives:
        return None
    defaults = tuple((v.variable.name.value, v.default_value) for v in op.variable_definitions or ()
                     if v.default_value is not None)
    root = schema.query_type.fields["promptVersion"].type
    root = root.of_type if isinstance(root, GraphQLNonNull) else root
    if node.selection_set is None or not isinstance(root, GraphQLObjectType):
        return None
    try:
        fields = _fields(schema, root, node.selection_set)
    except _NotPlain:
        return None
    return PromptPlan(tuple((a.name.value, a.value) for a in node.arguments), defaults,
                      node.alias.value if node.alias else "promptVersion", fields)


def requested(p: PromptPlan, variables: dict) -> PromptRequest | None:
    """What the request asks for (an id; a name and version number; or a name alone, drawn by the
    rollout) when every argument is plainly given, else None."""
    defaults = dict(p.defaults)
    values: dict[str, Any] = {}
    for arg, node in p.arguments:
        if isinstance(node, VariableNode):
            var = node.name.value
            if var in defaults:
                return None  # a default value: let graphql-core coerce it
            values[arg] = variables.get(var)
        elif isinstance(node, NullValueNode):
            values[arg] = None
        elif isinstance(node, StringValueNode) and arg in ("name", "id"):
            values[arg] = node.value
        elif isinstance(node, IntValueNode) and arg == "version":
            values[arg] = int(node.value)
        else:
            return None
    name, version, id_ = values.get("name"), values.get("version"), values.get("id")
    if id_ is not None:  # the id decides, whatever else is given (prompts.get_version)
        return PromptRequest(id=id_) if _plain(id_) else None
    if not _plain(name):
        return None
    if version is None:
        return PromptRequest(name=name)
    if type(version) is not int or not INT_MIN <= version <= INT_MAX:
        return None  # graphql-core refuses it (Int is 32 bits; no booleans, no floats here)
    return PromptRequest(name=name, version=version)


def _plain(text: Any) -> bool:
    """A non-empty string the ordinary path would take as is (CleanArguments cleans or refuses
    NUL characters and lone surrogates)."""
    return isinstance(text, str) and bool(text) and "\x00" not in text and (text.isascii() or _encodable(text))


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True
