"""Evaluation → Datasets: the project's datasets (type, items, experiments, last change) with
create, rename and delete."""

from __future__ import annotations

from dataclasses import dataclass

import reflex as rx

from literal_app.services.datasets import datasets
from literal_app.services.kernel.errors import DomainError
from literal_app.state.fmt import when
from literal_app.state.session import SessionState, error_toast

TYPE_LABELS = {"key_value": "Key-value", "generation": "Generation"}


@dataclass(frozen=True)
class DatasetRow:
    id: str
    name: str
    description: str
    type: str
    item_count: int
    experiments: int
    updated: str


def row_of(d: datasets.DatasetRead) -> DatasetRow:
    return DatasetRow(d.id, d.name, d.description or "", TYPE_LABELS.get(d.type, d.type), d.item_count,
                      d.experiment_count, when(d.updated_at or d.created_at))


class DatasetsState(SessionState):
    rows: list[DatasetRow] = []
    search: str = ""
    error: str = ""
    create_open: bool = False
    rename_id: str = ""
    rename_name: str = ""

    @rx.event
    def load(self):
        if not self.project_id:
            return
        try:
            page = self.call(datasets.list_datasets, first=500, search=self.search or None)
        except DomainError as exc:
            return error_toast(exc)
        self.rows = [row_of(d) for d in page.items]

    @rx.event
    def set_search(self, value: str):
        self.search = value
        return DatasetsState.load

    @rx.event
    def set_create_open(self, value: bool):
        self.create_open, self.error = value, ""

    @rx.event
    def create(self, form: dict):
        try:
            created = self.call(datasets.create_dataset, name=form.get("name", ""),
                                description=(form.get("description") or "").strip() or None,
                                type=form.get("type") or "key_value")
        except DomainError as exc:
            self.error = exc.message
            return None
        self.create_open, self.error = False, ""
        return rx.redirect(f"/datasets/{created.id}")

    @rx.event
    def start_rename(self, dataset_id: str, name: str):
        self.rename_id, self.rename_name, self.error = dataset_id, name, ""

    @rx.event
    def cancel_rename(self, _value: bool = False):
        self.rename_id = ""

    @rx.event
    def rename(self, form: dict):
        try:
            self.call(datasets.update_dataset, self.rename_id, name=form.get("name", ""))
        except DomainError as exc:
            self.error = exc.message
            return None
        self.rename_id, self.error = "", ""
        return [rx.toast.success("Dataset renamed."), DatasetsState.load]

    @rx.event
    def delete(self, dataset_id: str):
        try:
            gone = self.call(datasets.delete_dataset, dataset_id)
        except DomainError as exc:
            return error_toast(exc)
        return [rx.toast.success(f"Deleted {gone.name} and its {gone.item_count} item(s)."), DatasetsState.load]
