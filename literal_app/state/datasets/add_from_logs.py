""""Add to dataset" from Logs: one step from its page, or the rows selected in the Runs,
Generations and Steps tables; into an existing dataset or a new one; runs may bring their
intermediary steps (as the SDK's ``add_step_to_dataset`` does)."""

from __future__ import annotations

import reflex as rx

from literal_app.services.datasets import datasets, item_admin
from literal_app.services.kernel.errors import DomainError
from literal_app.state.datasets.runs import Choice
from literal_app.state.session import SessionState

NEW = "__new__"


class AddToDatasetState(SessionState):
    open: bool = False
    step_ids: list[str] = []
    choices: list[Choice] = []
    dataset_id: str = ""
    new_name: str = ""
    new_type: str = "key_value"
    include_steps: bool = True
    error: str = ""

    @rx.event
    def open_with(self, step_ids: list[str]):
        try:
            page = self.call(datasets.list_datasets, first=500)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        self.step_ids, self.error, self.open = list(step_ids), "", True
        self.choices = [Choice(d.id, f"{d.name} ({d.type.replace('_', '-')})") for d in page.items] + [
            Choice(NEW, "New dataset…")]
        if self.dataset_id not in {c.id for c in self.choices}:
            self.dataset_id = self.choices[0].id

    @rx.event
    def set_open(self, value: bool):
        self.open = value

    @rx.event
    def set_dataset(self, value: str):
        self.dataset_id = value

    @rx.event
    def set_new_name(self, value: str):
        self.new_name = value

    @rx.event
    def set_new_type(self, value: str | list[str]):
        self.new_type = value if isinstance(value, str) else value[0]

    @rx.event
    def set_include_steps(self, value: bool):
        self.include_steps = bool(value)

    def _add(self, session, actor) -> tuple[str, int]:
        target = self.dataset_id
        if target == NEW:
            target = datasets.create_dataset(session, actor, name=self.new_name, type=self.new_type).id
        n = item_admin.add_steps(session, actor, dataset_id=target, step_ids=self.step_ids,
                                 include_intermediary=self.include_steps)
        return target, n

    @rx.event
    def add(self):
        try:
            target, n = self.call(self._add)
        except DomainError as exc:
            self.error = exc.message
            return None
        # the next "Add to dataset" offers the dataset just used (the one just created, too)
        self.open, self.error, self.dataset_id, self.new_name = False, "", target, ""
        return rx.toast.success(f"Added {n} item(s) to the dataset.", action={"label": "Open",
                                                                                "on_click": rx.redirect(f"/datasets/{target}")})
