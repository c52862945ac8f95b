"""Who is calling: a project, a role, and the member or API key behind the call.

Every service entry point takes an ``Actor`` and checks a scope with ``require`` before touching
data, so the UI (member sessions) and the API (keys) obey the same permission table.
"""

from __future__ import annotations

from dataclasses import dataclass

from literal_app.auth.rbac import has_scope, role_label
from literal_app.services.kernel.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    project_id: str
    role: str
    member_id: str | None = None
    api_key_id: str | None = None
    environment: str | None = None

    def can(self, scope: str) -> bool:
        return has_scope(self.role, scope)


_ACTIONS = {"read": "view", "view": "view", "write": "change", "add_from_review": "add items to"}
_RESOURCES = {
    "annotations": "annotations", "observability": "logs", "datasets": "datasets",
    "prompts": "prompts", "secrets": "API keys and LLM credentials", "project": "project settings and team",
    "queues": "annotation queues",
}


def require(actor: Actor, scope: str) -> None:
    """Raise ``Forbidden`` with a readable message unless the actor's role grants ``scope``."""
    if not actor.can(scope):
        resource, _, action = scope.partition(":")
        raise Forbidden(
            f"A {role_label(actor.role)} cannot {_ACTIONS.get(action, action)} "
            f"{_RESOURCES.get(resource, resource)}."
        )
