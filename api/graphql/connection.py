"""Relay connections from service ``Page``s, and list arguments into a ``PageRequest``."""

from __future__ import annotations

from literal_app.services.logs.querying import Page, PageRequest


def page_request(first=None, after=None, before=None, last=None, filters=None, order_by=None, **_ignored) -> PageRequest:
    """The list arguments the clients send (cursorAnchor, projectId and skip are never valued)."""
    return PageRequest(first=first, after=after, before=before, last=last, filters=filters or [],
                       order_by=order_by)


def connection(page: Page) -> dict:
    return {
        "page_info": {"start_cursor": page.start_cursor, "end_cursor": page.end_cursor,
                      "has_next_page": page.has_next, "has_previous_page": page.has_previous},
        "total_count": page.total_count,
        "edges": [{"cursor": c, "node": n} for c, n in zip(page.cursors, page.rows)],
    }
