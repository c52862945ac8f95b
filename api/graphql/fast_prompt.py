"""A fast path for the SDKs' ``get_prompt(name)``: ``promptVersion(name: ...)`` without id or version.

The clients send one fixed document (``GetPrompt``); ``plan`` recognises any query made of a single
``promptVersion`` field (cached by document text, like the parsed document), and ``requested_name``
reads its arguments from the request's variables. The version is then fetched, with the API key,
in one statement (``services.prompts.serving``) and graphql-core builds the response from it as
usual (the resolver takes the prefetched version), so the answer is the one the ordinary path
gives. Anything else (an id, a version number, a value that is not plainly a string) answers
``None`` and the request takes the ordinary path.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import FieldNode, OperationDefinitionNode, StringValueNode, VariableNode
from graphql.language import DocumentNode, NullValueNode, OperationType

PREFETCHED = "prefetched_prompt"  # GraphQLContext.cache key the resolver reads


@dataclass(frozen=True)
class PromptPlan:
    arguments: tuple[tuple[str, Any], ...]  # (argument name, VariableNode or literal node)
    defaults: tuple[tuple[str, Any], ...]  # (variable name, default value node)


def plan(document: DocumentNode) -> PromptPlan | None:
    """The plan of a validated document made of one ``promptVersion`` field, else None."""
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
    return PromptPlan(tuple((a.name.value, a.value) for a in node.arguments), defaults)


def requested_name(p: PromptPlan, variables: dict) -> str | None:
    """The prompt name asked for when the request is by name alone (no id, no version)."""
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
        elif isinstance(node, StringValueNode) and arg == "name":
            values[arg] = node.value
        else:
            return None
    name = values.get("name")
    if values.get("id") is not None or values.get("version") is not None or not isinstance(name, str) or not name:
        return None
    if "\x00" in name or not name.isascii() and not _encodable(name):
        return None  # the ordinary path cleans or refuses it (CleanArguments)
    return name


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return False
    return True
