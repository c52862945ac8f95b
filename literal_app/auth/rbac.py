"""Role-based access: a flat table of ``resource:action`` scopes per role (as in Langfuse).

Resources follow the permission table of the product: annotations, observability, datasets,
prompts, secrets (API keys and LLM credentials), project (project settings and team).
``queues:write`` (create, edit and delete annotation queues, fill them from Logs, assign and remove
items) belongs to Admins and AI Engineers; Domain Experts review queues with ``annotations:write``
and add reviewed items to datasets with ``datasets:add_from_review`` (which every role has).
``prompts:view`` (every role) opens the prompt library read-only; ``prompts:read`` (the Playground,
running models, the SDKs' get_prompt) stays with Admins and AI Engineers.
"""

from __future__ import annotations

from literal_app.models.auth import Role

_RW = ("read", "write")

ROLE_SCOPES: dict[str, frozenset[str]] = {
    Role.ADMIN.value: frozenset(
        f"{res}:{act}" for res in ("annotations", "observability", "datasets", "prompts", "secrets", "project")
        for act in _RW
    ) | {"queues:write", "datasets:add_from_review", "prompts:view"},
    Role.AI_ENGINEER.value: frozenset(
        [f"{res}:{act}" for res in ("annotations", "observability", "datasets", "prompts", "secrets") for act in _RW]
        + ["project:read", "queues:write", "datasets:add_from_review", "prompts:view"]
    ),
    Role.DOMAIN_EXPERT.value: frozenset(
        ["annotations:read", "annotations:write", "observability:read", "datasets:read",
         "datasets:add_from_review", "project:read", "prompts:view"]
    ),
}


def has_scope(role: str, scope: str) -> bool:
    """True when ``role`` grants ``scope``; unknown roles grant nothing."""
    return scope in ROLE_SCOPES.get(role, frozenset())


def role_label(role: str) -> str:
    try:
        return Role(role).label
    except ValueError:
        return role


def parse_role(value: str) -> str:
    """Accept ``ADMIN``, ``Admin``, ``AI Engineer``, ``ai_engineer``... and return the stored value."""
    norm = value.strip().upper().replace(" ", "_").replace("-", "_")
    if norm in ROLE_SCOPES:
        return norm
    raise ValueError(f"Unknown role {value!r}: use Admin, AI Engineer or Domain Expert.")
