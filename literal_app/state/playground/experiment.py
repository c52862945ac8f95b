"""The Playground's "Experiment on dataset": pick a dataset, then the Run experiment dialog opens
with the current template (the draft) and the first tab's credential, model and settings."""

from __future__ import annotations

import json

import reflex as rx

from literal_app.services.datasets import datasets
from literal_app.services.kernel.errors import DomainError
from literal_app.services.playground.editor import to_template
from literal_app.state.datasets.runs import Choice, RunState
from literal_app.state.playground.editor import PlaygroundState


class PlaygroundExperimentState(PlaygroundState):
    picker_open: bool = False
    dataset_choices: list[Choice] = []

    @rx.event
    def open_picker(self):
        try:
            page = self.call(datasets.list_datasets, first=500)
        except DomainError as exc:
            return rx.toast.error(exc.message)
        if not page.items:
            return rx.toast.error("No datasets yet: create one in Evaluation → Datasets first.")
        self.dataset_choices = [Choice(d.id, f"{d.name} · {d.item_count} items") for d in page.items]
        self.picker_open = True

    @rx.event
    def set_picker_open(self, value: bool):
        self.picker_open = value

    @rx.event
    async def choose(self, dataset_id: str):
        run = await self.get_state(RunState)
        tab = self.tabs[0] if self.tabs else None
        if tab is not None:
            run.credential_id, run.model = tab.credential_id, tab.model
        run.name = "Playground draft"
        run.open_for(dataset_id, "draft", json.dumps(to_template(self.te_messages_plain())))
        self.picker_open = False
        if run.error:
            return rx.toast.error(run.error)
