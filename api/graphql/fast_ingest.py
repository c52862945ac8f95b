"""A fast path for the clients' hottest request: a mutation made only of ``ingestStep`` aliases.

The SDKs log through documents of N aliased ``ingestStep`` fields (PROTOCOL.md 3.3). Run through
graphql-core, a 100-step request spends more time coercing its ~1,000 variables and resolving 100
fields than storing the steps. Here the arguments are coerced directly against the schema's types
and the answer is built from the ingestion results.

Only clean requests take this path: any value that is not plainly of its declared type, a missing
required variable, a fragment or directive makes ``plan`` / ``arguments`` answer ``None`` and the
request goes through graphql-core, which produces the usual errors. The result is the same either
way (``tests/compat`` and ``tests/api`` cover both).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLSchema,
    OperationDefinitionNode,
    Undefined,
    VariableNode,
    type_from_ast,
    value_from_ast,
)
from graphql.language import DocumentNode, OperationType

from literal_app.services.ingestion import IngestResult

_RESULT_FIELDS = {"ok", "message", "errorCode", "__typename"}


class _Unplain(Exception):
    """A value the fast path does not handle: let graphql-core deal with it (and its errors)."""


@dataclass(frozen=True)
class _Alias:
    key: str  # response key
    arguments: tuple[tuple[str, Any, GraphQLInputType], ...]  # (python name, VariableNode or AST literal, type)
    selections: tuple[tuple[str, str], ...]  # (response key, StatusResult field)


@dataclass(frozen=True)
class Plan:
    variables: tuple[tuple[str, GraphQLInputType, bool], ...]  # (name, type, has default)
    aliases: tuple[_Alias, ...]


def plan(schema: GraphQLSchema, document: DocumentNode) -> Plan | None:
    """The ingestion plan of a validated document, or None when it is anything else (callers
    cache it by document text, like the parsed document)."""
    ops = document.definitions
    if len(ops) != 1 or not isinstance(ops[0], OperationDefinitionNode) or ops[0].operation != OperationType.MUTATION:
        return None
    op = ops[0]
    if op.directives or not all(isinstance(n, FieldNode) and n.name.value == "ingestStep"
                                for n in op.selection_set.selections):
        return None
    field_def = schema.mutation_type.fields["ingestStep"]
    variables = tuple((v.variable.name.value, type_from_ast(schema, v.type), v.default_value is not None)
                      for v in op.variable_definitions or ())
    aliases = []
    for node in op.selection_set.selections:
        if not isinstance(node, FieldNode) or node.name.value != "ingestStep" or node.directives:
            return None
        args = []
        for arg in node.arguments:
            definition = field_def.args[arg.name.value]
            args.append((definition.out_name or arg.name.value, arg.value, definition.type))
        selections = []
        for sub in (node.selection_set.selections if node.selection_set else ()):
            if not isinstance(sub, FieldNode) or sub.name.value not in _RESULT_FIELDS or sub.directives:
                return None
            selections.append(((sub.alias or sub.name).value, sub.name.value))
        aliases.append(_Alias((node.alias or node.name).value, tuple(args), tuple(selections)))
    if not aliases:
        return None
    return Plan(variables, tuple(aliases))


def arguments(p: Plan, raw_variables: dict) -> list[dict] | None:
    """Each alias's coerced arguments (as ``get_argument_values`` would give), or None if unplain."""
    try:
        values: dict[str, Any] = {}
        for name, type_, has_default in p.variables:
            if name in raw_variables:
                values[name] = _coerce(raw_variables[name], type_)
            elif has_default or isinstance(type_, GraphQLNonNull):
                raise _Unplain
        items = []
        for alias in p.aliases:
            item = {}
            for out_name, node, type_ in alias.arguments:
                if isinstance(node, VariableNode):
                    if node.name.value in values:
                        item[out_name] = values[node.name.value]
                else:
                    value = value_from_ast(node, type_, values)
                    if value is Undefined:
                        raise _Unplain
                    item[out_name] = value
            items.append(item)
        return items
    except _Unplain:
        return None


def response(p: Plan, results: list[IngestResult]) -> dict:
    """The ``data`` of the response: each alias's selected StatusResult fields."""
    data = {}
    for alias, result in zip(p.aliases, results):
        fields = {"ok": result.ok, "message": result.message, "errorCode": result.error_code,
                  "__typename": "StatusResult"}
        data[alias.key] = {key: fields[name] for key, name in alias.selections}
    return data


def _coerce(value: Any, type_: GraphQLInputType) -> Any:
    if isinstance(type_, GraphQLNonNull):
        if value is None:
            raise _Unplain
        return _coerce(value, type_.of_type)
    if value is None:
        return None
    if isinstance(type_, GraphQLList):
        item = type_.of_type
        return [_coerce(v, item) for v in value] if isinstance(value, list) else [_coerce(value, item)]
    if isinstance(type_, GraphQLInputObjectType):
        return _coerce_object(value, type_)
    try:
        parsed = type_.parse_value(value)  # scalars and enums
    except Exception:
        raise _Unplain from None
    if parsed is Undefined:
        raise _Unplain
    return parsed


def _coerce_object(value: Any, type_: GraphQLInputObjectType) -> dict:
    if not isinstance(value, dict):
        raise _Unplain
    fields = type_.fields
    out = {}
    for key, v in value.items():
        f = fields.get(key)
        if f is None:
            raise _Unplain
        out[f.out_name or key] = _coerce(v, f.type)
    if len(out) < len(fields):
        for key, f in fields.items():
            if key not in value:
                if f.default_value is not Undefined:
                    out[f.out_name or key] = f.default_value
                elif isinstance(f.type, GraphQLNonNull):
                    raise _Unplain
    return type_.out_type(out) if type_.out_type else out


def failure(p: Plan, message: str, code: str) -> dict:
    """Every alias null with one error each, as graphql-core answers a resolver's exception."""
    return {"data": {a.key: None for a in p.aliases},
            "errors": [{"message": message, "path": [a.key], "extensions": {"code": code}} for a in p.aliases]}
