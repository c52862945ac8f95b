"""A queue's admin view (/annotation-queues/<id>): Pending / Reviewed tabs with counts, filters by
assignee and reviewer, bulk assign and remove, "assign the next N evenly", per-reviewer progress."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.annotation import items, queues
from literal_app.services.kernel.errors import DomainError
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

ANYONE = "anyone"


@dataclass(frozen=True)
class ItemView:
    id: str
    name: str
    type: str
    href: str
    source_deleted: bool
    added: str
    assignee: str
    claimed_by: str
    reviewer: str
    reviewed_at: str
    scores: str


@dataclass(frozen=True)
class PersonOption:
    id: str
    name: str


@dataclass(frozen=True)
class ProgressView:
    name: str
    today: str
    total: str


def item_view(i: items.ItemRead) -> ItemView:
    added = f"{i.added_by or '—'} · {when(i.created_at)}"
    return ItemView(i.id, i.name, i.type, i.href, i.source_deleted, added, i.assignee, i.claimed_by, i.reviewer,
                    when(i.reviewed_at, ""), "; ".join(i.scores))


class QueueItemsState(SessionState):
    queue_id: str = ""
    queue_name: str = ""
    queue_description: str = ""
    not_found: str = ""
    status: str = "pending"
    assignee: str = ANYONE
    reviewer: str = ANYONE
    rows: list[ItemView] = []
    pending: int = 0
    reviewed: int = 0
    total: int = 0
    offset: int = 0
    has_next: bool = False
    selected: list[str] = []
    people: list[PersonOption] = []
    progress: list[ProgressView] = []
    assign_to: str = ""
    even_open: bool = False
    even_people: list[str] = []
    even_count: str = "10"
    even_error: str = ""

    @rx.event
    def open_page(self):
        if (stop := self.check_session()) is not None:
            return stop
        self.queue_id = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        self.status, self.assignee, self.reviewer, self.offset, self.selected = "pending", ANYONE, ANYONE, 0, []
        self.not_found = ""
        if not self.project_id:
            return None
        try:
            q = self.call(queues.get_queue, self.queue_id)
            self.people = [PersonOption(p.id, p.name) for p in self.call(items.reviewers)]
        except DomainError as exc:
            self.not_found = exc.message
            return None
        self.queue_name, self.queue_description = q.name, q.description
        return self._load()

    def _load(self):
        try:
            page = self.call(items.list_items, self.queue_id, status=self.status, offset=self.offset,
                             assignee_id=None if self.assignee == ANYONE else self.assignee,
                             reviewer_id=None if self.reviewer == ANYONE else self.reviewer)
            progress = self.call(items.progress, self.queue_id)
        except DomainError as exc:
            return error_toast(exc)
        self.rows = [item_view(i) for i in page.items]
        self.pending, self.reviewed, self.total, self.has_next = page.pending, page.reviewed, page.total, page.has_next
        self.progress = [ProgressView(p.name, f"{p.today:,}", f"{p.total:,}") for p in progress]
        return None

    @rx.event
    def set_status(self, value: str | list[str]):
        value = value[0] if isinstance(value, list) and value else value
        self.status, self.offset, self.selected = value if value in items.STATUSES else "pending", 0, []
        return self._load()

    @rx.event
    def set_assignee(self, value: str):
        self.assignee, self.offset, self.selected = value, 0, []
        return self._load()

    @rx.event
    def set_reviewer(self, value: str):
        self.reviewer, self.offset, self.selected = value, 0, []
        return self._load()

    @rx.event
    def next_page(self):
        self.offset, self.selected = self.offset + items.PAGE, []
        return self._load()

    @rx.event
    def previous_page(self):
        self.offset, self.selected = max(0, self.offset - items.PAGE), []
        return self._load()

    @rx.event
    def toggle(self, item_id: str):
        self.selected = [s for s in self.selected if s != item_id] if item_id in self.selected \
            else [*self.selected, item_id]

    @rx.event
    def toggle_all(self):
        ids = [r.id for r in self.rows]
        self.selected = [] if set(ids) <= set(self.selected) else ids

    @rx.event
    def set_assign_to(self, value: str):
        self.assign_to = value

    @rx.event
    def assign_selected(self):
        member = None if self.assign_to in ("", "nobody") else self.assign_to
        try:
            n = self.call(items.assign_items, self.queue_id, self.selected, member)
        except DomainError as exc:
            return error_toast(exc)
        self.selected = []
        return [rx.toast.success(f"{'Assigned' if member else 'Unassigned'} {n} item(s)."), self._load()]

    @rx.event
    def remove_selected(self):
        try:
            n = self.call(items.remove_items, self.queue_id, self.selected)
        except DomainError as exc:
            return error_toast(exc)
        self.selected = []
        return [rx.toast.success(f"Removed {n} item(s) from the queue."), self._load()]

    @rx.event
    def set_even_open(self, value: bool):
        self.even_open, self.even_error = value, ""

    @rx.event
    def toggle_even_person(self, member_id: str):
        self.even_people = [p for p in self.even_people if p != member_id] if member_id in self.even_people \
            else [*self.even_people, member_id]

    @rx.event
    def set_even_count(self, value: str):
        self.even_count = value

    @rx.event
    def assign_evenly(self, _form: dict | None = None):
        try:
            n = int(self.even_count.strip())
        except ValueError:
            self.even_error = "Give the number of items as a whole number."
            return None
        try:
            spread = self.call(items.assign_evenly, self.queue_id, self.even_people, n)
        except DomainError as exc:
            self.even_error = exc.message
            return None
        self.even_open, self.even_error = False, ""
        return [rx.toast.success(f"Assigned {sum(spread.values())} item(s) across {len(spread)} reviewer(s)."),
                self._load()]
