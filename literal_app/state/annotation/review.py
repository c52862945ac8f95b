"""The review page (/annotation-queues/<id>/review): one item at a time in its context, the
annotation panel (a control per score schema, comment, tags, add to dataset), mark reviewed /
skip / previous / next, and the keyboard shortcuts (installed by ``KEYS_JS``)."""

from __future__ import annotations

import reflex as rx

from literal_app.services.annotation import claims, items, queues, review
from literal_app.services.datasets import datasets
from literal_app.services.evaluation import score_schemas
from literal_app.services.kernel.errors import DomainError
from literal_app.services.kernel.payloads import PayloadView
from literal_app.services.logs import step_detail, tags
from literal_app.state.annotation.keys import KEYS_JS
from literal_app.state.annotation.review_views import (DatasetOption, MessageView, NodeView, SchemaControl,
                                                       control, given_values, messages, nodes)
from literal_app.state.logs.panel import EMPTY, AttachmentView, StepView, to_step_view
from literal_app.state.session import SessionState, error_toast


class ReviewState(SessionState):
    queue_id: str = ""
    queue_name: str = ""
    not_found: str = ""
    done: bool = False
    item_id: str = ""
    item_kind: str = ""
    item_name: str = ""
    item_type: str = ""
    item_href: str = ""
    item_status: str = ""
    source_deleted: bool = False
    held_by: str = ""
    reviewer: str = ""
    step: StepView = StepView()
    input: PayloadView = EMPTY
    output: PayloadView = EMPTY
    metadata: PayloadView = EMPTY
    settings: PayloadView = EMPTY
    attachments: list[AttachmentView] = []
    thread_title: str = ""
    thread_href: str = ""
    messages: list[MessageView] = []
    tree: list[NodeView] = []
    controls: list[SchemaControl] = []
    values: dict[str, str] = {}
    comment: str = ""
    focus: int = 0
    item_tags: list[str] = []
    new_tag: str = ""
    tag_options: list[str] = []
    pending: int = 0
    reviewed: int = 0
    history: list[str] = []
    pos: int = -1
    skipped: list[str] = []
    saving: bool = False

    @rx.var
    def progress_text(self) -> str:
        return f"{self.pending:,} pending · {self.reviewed:,} reviewed"

    @rx.var
    def progress_value(self) -> int:
        total = self.pending + self.reviewed
        return round(100 * self.reviewed / total) if total else 0

    @rx.event
    def open_page(self):
        """on_load: sign-in check, the queue, the schemas and the first item, in one event."""
        if (stop := self.check_session()) is not None:
            return stop
        self.queue_id = self.router.url.path.rstrip("/").rsplit("/", 2)[-2]
        self.not_found, self.history, self.pos, self.skipped, self.done = "", [], -1, [], False
        if not self.project_id:
            return None
        try:
            self.queue_name = self.call(queues.get_queue, self.queue_id).name
            self.controls = [control(s) for s in self.call(score_schemas.list_score_schemas)]
            self.tag_options = [t.name for t in self.call(tags.list_tags)]
        except DomainError as exc:
            self.not_found = exc.message
            return None
        return [rx.call_script(KEYS_JS), *self._claim_next()]

    def _show(self, ctx: review.ItemContext | None) -> None:
        if ctx is None:
            self.done, self.item_id = True, ""
            n = self.call(queues.get_queue, self.queue_id)
            self.pending, self.reviewed = n.pending, n.reviewed
            return
        i = ctx.item
        self.done, self.item_id, self.item_kind, self.item_name, self.item_type = False, i.id, i.kind, i.name, i.type
        self.item_href, self.item_status, self.source_deleted = i.href, i.status, i.source_deleted
        self.held_by, self.reviewer, self.pending, self.reviewed = ctx.held_by, i.reviewer, ctx.pending, ctx.reviewed
        d = ctx.step
        self.step = to_step_view(d) if d else StepView()
        self.input, self.output = (d.input, d.output) if d else (EMPTY, EMPTY)
        self.metadata = d.metadata if d else EMPTY
        self.settings = d.generation.settings if d and d.generation else EMPTY
        self.attachments = [AttachmentView(a.id, a.name or "attachment", a.kind, a.url or "", a.mime or "")
                            for a in (d.attachments if d else [])]
        t = ctx.thread
        self.thread_title = (t.name or t.id) if t else ""
        self.thread_href = f"/logs/threads/{t.id}" if t else ""
        self.messages, self.tree, self.item_tags = messages(ctx), nodes(ctx), list(ctx.tags)
        given, self.comment = given_values(ctx, self.member_id)
        self.values = {**{c.id: "" for c in self.controls}, **given}
        self.focus, self.new_tag = 0, ""
        self.dataset_input, self.dataset_expected = ctx.dataset_input, ctx.dataset_expected

    def _claim_next(self) -> list:
        held = [self.item_id] if self.item_id and self.history else None  # None on opening: release all
        try:
            ctx = self.call(review.next_item, self.queue_id, exclude=self.skipped, release=held)
            self._show(ctx)
        except DomainError as exc:
            return [error_toast(exc)]
        if ctx is not None:
            self.history = [*self.history[: self.pos + 1], ctx.item.id]
            self.pos = len(self.history) - 1
        return []

    def _open(self, item_id: str) -> list:
        try:
            self._show(self.call(review.open_item, item_id))
        except DomainError as exc:
            return [error_toast(exc)]
        return []

    @rx.event
    def next_item(self):
        return self._next()

    def _next(self) -> list:
        if self.pos + 1 < len(self.history):
            self.pos += 1
            return self._open(self.history[self.pos])
        return self._claim_next()

    @rx.event
    def previous_item(self):
        if self.pos <= 0:
            return rx.toast.info("This is the first item you opened on this page.")
        self.pos -= 1
        return self._open(self.history[self.pos])

    @rx.event
    def skip(self):
        if self.item_id:
            self.skipped = [*self.skipped, self.item_id]
            try:
                self.call(claims.release, self.item_id)
            except DomainError as exc:
                return error_toast(exc)
        self.history, self.pos = self.history[: self.pos], self.pos - 1
        return self._claim_next()

    @rx.event
    def mark_reviewed(self):
        if not self.item_id or self.saving:
            return None
        given = [review.ScoreInput(c.id, value=None if c.kind == "categorical" else self.values[c.id],
                                   label=self.values[c.id] if c.kind == "categorical" else None,
                                   comment=self.comment or None)
                 for c in self.controls if self.values.get(c.id, "") != ""]
        self.saving = True
        try:
            self.call(review.review_item, self.item_id, given)
        except DomainError as exc:
            self.saving = False
            return error_toast(exc)
        self.saving = False
        return [rx.toast.success(f"Reviewed: {len(given)} score(s) saved.", duration=1500), *self._next()]

    @rx.event
    def choose(self, schema_id: str, label: str):
        """A category button (or its number key): picks it, or clears it when picked again."""
        same = self.values.get(schema_id) == label
        self.values = {**self.values, schema_id: "" if same else label}
        self.focus = next((i for i, c in enumerate(self.controls) if c.id == schema_id), self.focus)

    @rx.event
    def set_number(self, schema_id: str, value):
        value = value[0] if isinstance(value, list) and value else value
        self.values = {**self.values, schema_id: "" if value in (None, "") else str(value)}

    @rx.event
    def focus_next(self):
        self.focus = min(self.focus + 1, max(len(self.controls) - 1, 0))

    @rx.event
    def focus_previous(self):
        self.focus = max(self.focus - 1, 0)

    @rx.event
    def set_comment(self, value: str):
        self.comment = value

    @rx.event
    def set_new_tag(self, value: str):
        self.new_tag = value

    def _tag(self, add: list[str], remove: list[str]):
        try:
            self.item_tags = self.call(review.tag_item, self.item_id, add=add, remove=remove)
        except DomainError as exc:
            return error_toast(exc)
        self.new_tag = ""
        if add and add[0] not in self.tag_options:
            self.tag_options = sorted([*self.tag_options, *add])
        return None

    @rx.event
    def add_tag(self, _form: dict | None = None):
        return self._tag([self.new_tag.strip()], []) if self.new_tag.strip() else None

    @rx.event
    def add_known_tag(self, tag: str):
        return self._tag([tag], [])

    @rx.event
    def remove_tag(self, tag: str):
        return self._tag([], [tag])

    @rx.event
    def remove_item(self):
        """Remove an item whose source log was deleted, then go on."""
        try:
            self.call(items.remove_items, self.queue_id, [self.item_id])
        except DomainError as exc:
            return error_toast(exc)
        self.history = [h for h in self.history if h != self.item_id]
        self.pos = len(self.history) - 1
        return [rx.toast.success("Removed from the queue."), *self._claim_next()]

    @rx.event
    def load_whole(self, field_name: str):
        try:
            whole = self.call(step_detail.load_payload, self.step.id, field_name)
        except DomainError as exc:
            return error_toast(exc)
        setattr(self, field_name, whole)
        return None

    # --- add to dataset ----------------------------------------------------------------------
    dataset_open: bool = False
    dataset_input: str = ""
    dataset_expected: str = ""
    dataset_choice: str = ""  # a dataset id, or "new"
    dataset_new_name: str = ""
    dataset_type: str = "key_value"
    dataset_options: list[DatasetOption] = []
    dataset_error: str = ""

    @rx.event
    def open_dataset(self):
        if not self.item_id:
            return None
        try:
            found = self.call(datasets.list_datasets, first=200)
        except DomainError as exc:
            return error_toast(exc)
        self.dataset_options = [DatasetOption(d.id, d.name) for d in found.items]
        if self.dataset_choice not in {d.id for d in found.items}:
            self.dataset_choice = found.items[0].id if found.items else "new"
        self.dataset_error, self.dataset_open = "", True
        return None

    @rx.event
    def set_dataset_field(self, name: str, value: str):
        if name in ("dataset_input", "dataset_expected", "dataset_choice", "dataset_new_name", "dataset_type"):
            setattr(self, name, value)

    @rx.event
    def set_dataset_open(self, value: bool):
        self.dataset_open = value

    @rx.event
    def add_to_dataset(self, _form: dict | None = None):
        new = self.dataset_choice == "new"
        try:
            self.call(review.add_to_dataset, self.item_id, input_text=self.dataset_input,
                      expected_text=self.dataset_expected, dataset_id=None if new else self.dataset_choice,
                      new_dataset=self.dataset_new_name if new else None, dataset_type=self.dataset_type)
        except DomainError as exc:
            self.dataset_error = exc.message
            return None
        self.dataset_open, self.dataset_error = False, ""
        return rx.toast.success("Added to the dataset.")
