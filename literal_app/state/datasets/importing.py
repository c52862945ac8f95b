"""Importing a file into the dataset on screen, or into a new dataset from the Datasets page: drop
or pick a CSV or JSONL file, map CSV columns (preview of the first rows), read the per-line report,
confirm, and watch the progress bar while the valid rows are inserted in batches. A new dataset is
created only when the user confirms (named after the file unless renamed), so an abandoned import
leaves nothing behind.

The uploaded file is kept in the upload directory (not in the state, which is sent to Redis in
scaled mode), read again at each step, and removed when the import ends or is abandoned."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from pathlib import Path

import reflex as rx

from literal_app.services.datasets import datasets, imports
from literal_app.services.kernel.errors import DomainError
from literal_app.state.datasets.catalog import DatasetsState
from literal_app.state.datasets.dataset import DatasetState
from literal_app.state.session import SessionState

BATCH = 5000
ROLE_LABELS = {"input": "Input", "expected_output": "Expected output", "metadata": "Metadata", "ignore": "Ignore"}


@dataclass(frozen=True)
class ColumnMap:
    name: str
    role: str
    sample: str


class ImportState(SessionState):
    open: bool = False
    step: str = "pick"  # pick | map | report | importing | done
    file_name: str = ""
    kind: str = ""  # csv | jsonl
    path: str = ""
    columns: list[ColumnMap] = []
    valid: int = 0
    error_count: int = 0
    errors: list[str] = []
    done: int = 0
    error: str = ""
    target_new: bool = False  # into a new dataset (Datasets page) or the one on screen
    new_name: str = ""
    new_type: str = "key_value"
    created_id: str = ""

    @rx.var
    def percent(self) -> int:
        return int(100 * self.done / self.valid) if self.valid else 0

    @rx.event
    def set_open(self, value: bool):
        if not value:
            self._forget()
        self.open, self.step, self.error, self.errors = value, "pick", "", []

    @rx.event
    def start(self, new: bool):
        """Open the dialog: ``new`` imports into a new dataset, else into the dataset on screen."""
        self._forget()
        self.target_new, self.new_name, self.new_type, self.created_id = new, "", "key_value", ""
        self.open, self.step, self.error, self.errors = True, "pick", "", []

    @rx.event
    def open_created(self):
        """Close the dialog and go to the dataset the import created."""
        self.open = False
        return rx.redirect(f"/datasets/{self.created_id}")

    @rx.event
    def set_new_name(self, value: str):
        self.new_name = value

    @rx.event
    def set_new_type(self, value: str):
        self.new_type = value if value in ("key_value", "generation") else "key_value"

    def _forget(self) -> None:
        if self.path:
            Path(self.path).unlink(missing_ok=True)
        self.path = ""

    def _data(self) -> bytes:
        return Path(self.path).read_bytes()

    @rx.event
    async def upload(self, files: list[rx.UploadFile]):
        """Keep the dropped file; CSV goes to the mapping step, JSONL straight to the report."""
        if not files:
            return
        f = files[0]
        name = f.name or "upload"
        kind = "csv" if name.lower().endswith(".csv") else "jsonl" if name.lower().endswith((".jsonl", ".ndjson", ".json")) else ""
        if not kind:
            self.error = "Choose a .csv or .jsonl file."
            return
        data = await f.read()
        self._forget()
        target = Path(rx.get_upload_dir()) / "imports" / f"{uuid.uuid4().hex}.{kind}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        self.path, self.file_name, self.kind, self.error = str(target), name, kind, ""
        if self.target_new and not self.new_name.strip():
            self.new_name = name.rsplit(".", 1)[0][:256]
        try:
            if kind == "csv":
                preview = imports.preview_csv(data)
                self.columns = [ColumnMap(c, preview.suggested[c], " | ".join(r[i] for r in preview.sample[:3]
                                                                                  if i < len(r))[:120])
                                for i, c in enumerate(preview.columns)]
                self.step = "map"
                return
            self._report(imports.plan_jsonl(data, await self._dataset_type()))
        except DomainError as exc:
            self.error, self.step = exc.message, "pick"

    async def _dataset_type(self) -> str:
        if self.target_new:
            return self.new_type
        return (await self.get_state(DatasetState)).type or "key_value"

    async def _target(self) -> tuple[str, str]:
        """The dataset the rows go into (created now for a new one) and its type."""
        if self.target_new:
            created = self.call(datasets.create_dataset, name=self.new_name, type=self.new_type)
            self.created_id = created.id
            return created.id, created.type
        dataset = await self.get_state(DatasetState)
        return dataset.dataset_id, dataset.type

    @rx.event
    def set_role(self, column: str, role: str):
        self.columns = [ColumnMap(c.name, role if c.name == column else c.role, c.sample) for c in self.columns]

    def _mapping(self) -> dict[str, str]:
        return {c.name: c.role for c in self.columns}

    @rx.event
    def check(self):
        """Plan the CSV under the chosen mapping and show the report."""
        try:
            self._report(imports.plan_csv(self._data(), self._mapping()))
        except DomainError as exc:
            self.error = exc.message

    def _report(self, plan: imports.ImportPlan) -> None:
        self.valid, self.error_count, self.done, self.error = len(plan.rows), plan.error_count, 0, ""
        self.errors = [f"Line {e.line}: {e.reason}" for e in plan.errors[:200]]
        self.step = "report"

    @rx.event(background=True)
    async def confirm(self):
        """Insert the valid rows in batches, moving the progress bar after each."""
        async with self:
            if self.step != "report" or not self.valid:
                return
            try:
                dataset_id, dtype = await self._target()
            except DomainError as exc:
                self.error = exc.message  # e.g. the name is taken: nothing was created
                return
            kind, mapping, new = self.kind, self._mapping(), self.target_new
            self.step, self.done = "importing", 0
        try:
            data = await asyncio.to_thread(self._data)
            plan = await asyncio.to_thread(imports.plan_csv if kind == "csv" else imports.plan_jsonl, data,
                                           mapping if kind == "csv" else dtype)
            for start in range(0, len(plan.rows), BATCH):
                batch = plan.rows[start:start + BATCH]
                await asyncio.to_thread(self.call, imports.import_rows, dataset_id, batch)
                async with self:
                    self.done = start + len(batch)
            await asyncio.to_thread(self.call, imports.finish_import, dataset_id)
        except DomainError as exc:
            async with self:
                self.error, self.step = f"{exc.message} ({self.done:,} rows were imported).", "report"
            return
        async with self:
            self._forget()
            self.step = "done"
        yield DatasetsState.load if new else DatasetState.refresh
        yield rx.toast.success(f"Imported {len(plan.rows):,} item(s).")
