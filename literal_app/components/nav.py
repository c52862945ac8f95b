"""The sidebar's sections: a registry that page authors append to.

Add one ``NavItem`` per page to ``NAV`` (keep the section order). An item is shown only when the
member's role in the current project grants ``scope``. The home route ``/`` sends a signed-in
member to the first item they may see, so the order of ``NAV`` also picks the landing page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    route: str  # e.g. "/threads"; also marks the item active on sub-routes ("/threads/abc")
    icon: str  # a lucide icon name, e.g. "messages-square" (https://lucide.dev/icons)
    scope: str  # required scope, e.g. "observability:read" (see literal_app/auth/rbac.py)
    section: str  # heading the item is grouped under, e.g. "Observability"


SECTIONS = ["Overview", "Observability", "Evaluation", "Prompts", "Settings"]

NAV: list[NavItem] = [
    NavItem("Dashboard", "/dashboard", "layout-dashboard", "observability:read", "Overview"),
    NavItem("General", "/settings", "settings", "project:read", "Settings"),
    NavItem("API keys", "/settings/api-keys", "key-round", "secrets:read", "Settings"),
    NavItem("Tags", "/settings/tags", "tags", "annotations:read", "Settings"),
    NavItem("Team", "/settings/team", "users", "project:read", "Settings"),
    NavItem("LLM providers", "/settings/llm-providers", "bot", "secrets:read", "Settings"),
    NavItem("LLM costs", "/settings/costs", "circle-dollar-sign", "secrets:read", "Settings"),
    NavItem("Score schemas", "/settings/score-schemas", "ruler", "annotations:read", "Settings"),
    NavItem("Prompts", "/prompts", "file-text", "prompts:view", "Prompts"),
    NavItem("Datasets", "/datasets", "database", "datasets:read", "Evaluation"),
    NavItem("Experiments", "/experiments", "flask-round", "datasets:read", "Evaluation"),
    NavItem("Playground", "/playground", "flask-conical", "prompts:read", "Prompts"),
    NavItem("Threads", "/logs/threads", "messages-square", "observability:read", "Observability"),
    NavItem("Runs", "/logs/runs", "play", "observability:read", "Observability"),
    NavItem("Generations", "/logs/generations", "sparkles", "observability:read", "Observability"),
    NavItem("Steps", "/logs/steps", "list-tree", "observability:read", "Observability"),
    NavItem("Scores", "/logs/scores", "star", "observability:read", "Observability"),
    NavItem("Annotation queues", "/annotation-queues", "list-checks", "annotations:read", "Evaluation"),
    NavItem("Scorers", "/scorers", "gauge", "observability:read", "Evaluation"),
    NavItem("Online evaluation", "/online-evals", "radar", "observability:read", "Evaluation"),
    NavItem("Users", "/users", "users-round", "observability:read", "Observability"),
]


def sections() -> list[tuple[str, list[NavItem]]]:
    """The registry grouped by section, in ``SECTIONS`` order (unknown sections go last)."""
    names = SECTIONS + sorted({i.section for i in NAV} - set(SECTIONS))
    return [(s, [i for i in NAV if i.section == s]) for s in names if any(i.section == s for i in NAV)]
