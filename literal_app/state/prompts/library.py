"""The prompts list (``/prompts``): one page of lineages with their latest and default versions,
tags, generations in the last 7 days and last change; search by name, filter by tag, delete."""

from __future__ import annotations

from dataclasses import dataclass, field

import reflex as rx

from literal_app.services.kernel.errors import DomainError
from literal_app.services.prompts import library
from literal_app.state.fmt import counted, when
from literal_app.state.session import SessionState, error_toast


@dataclass(frozen=True)
class PromptRow:
    id: str = ""
    name: str = ""
    latest: str = ""
    defaults: str = ""
    tags: list[str] = field(default_factory=list)
    generations: str = ""
    updated: str = ""
    updated_by: str = ""
    deleted: bool = False


def _defaults(pairs: list[tuple[int, float]]) -> str:
    return ", ".join(f"v{v}" + ("" if p == 100 else f" ({p:g}%)") for v, p in pairs) or "none"


class PromptsState(SessionState):
    rows: list[PromptRow] = []
    total: int = 0
    offset: int = 0
    search: str = ""
    tag: str = ""
    all_tags: list[str] = []
    loaded: bool = False

    @rx.var
    def count_text(self) -> str:
        if not self.total:
            return ""
        return f"{self.offset + 1}–{self.offset + len(self.rows)} of {self.total:,}"

    @rx.var
    def has_next(self) -> bool:
        return self.offset + len(self.rows) < self.total

    @rx.event
    def load(self):
        if (stop := self.check_session()) is not None:
            return stop
        if not self.project_id or not self.allowed("prompts:view"):
            return None
        try:
            page = self.call(library.list_prompts, search=self.search, tag=self.tag, offset=self.offset)
            if self.tag and self.tag not in page.all_tags:
                # The filter outlives visits; once no prompt has its tag (deleted, untagged) the select
                # would show a blank choice over an empty table: show every prompt instead.
                self.tag, self.offset = "", 0
                page = self.call(library.list_prompts, search=self.search, offset=0)
        except DomainError as exc:
            return error_toast(exc)
        self.rows = [PromptRow(r.id, r.name, "" if r.latest_version is None else f"v{r.latest_version}",
                               _defaults(r.defaults), list(r.tags), f"{r.generations_7d:,}",
                               when(r.updated_at, ""), r.updated_by, r.deleted_via_api) for r in page.rows]
        self.total, self.all_tags, self.loaded = page.total, page.all_tags, True
        return None

    @rx.event
    def set_search(self, value: str):
        self.search, self.offset = value, 0
        return PromptsState.load

    @rx.event
    def set_tag(self, value: str):
        self.tag, self.offset = ("" if value == "all" else value), 0
        return PromptsState.load

    @rx.event
    def next_page(self):
        self.offset += library.PAGE_SIZE
        return PromptsState.load

    @rx.event
    def previous_page(self):
        self.offset = max(0, self.offset - library.PAGE_SIZE)
        return PromptsState.load

    @rx.event
    def delete(self, lineage_id: str):
        try:
            gone = self.call(library.delete_prompt, lineage_id)
        except DomainError as exc:
            return error_toast(exc)
        return [rx.toast.success(f"Deleted {gone.name} ({counted(gone.versions, 'version')}); generations "
                                 f"unlinked from it: {gone.generations_unlinked:,}."), PromptsState.load]
