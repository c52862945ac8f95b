"""Importing dataset items from files: CSV (columns mapped to input / expected output / metadata
keys after a preview; JSON-looking cells parsed) and JSONL (one item per line; generation datasets
also take OpenAI chat-format lines).

Import is two steps so nothing is lost silently: ``plan_*`` parses the whole file and reports every
bad line (line number and reason) next to the rows it would import; the caller shows the report and
only then calls ``import_rows`` with the valid rows (in batches, for a progress bar).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import insert, text
from sqlmodel import Session

from literal_app.db import dump_json
from literal_app.models.datasets import DatasetItem
from literal_app.models.types import new_id, utcnow
from literal_app.services.datasets.datasets import owned_dataset
from literal_app.services.kernel.actor import Actor, require
from literal_app.services.kernel.errors import Invalid

MAX_ROWS = 100_000
MAX_BYTES = 256 * 1024 * 1024
MAX_REPORTED = 1000  # errors listed in a report (the count is always exact)
ROLES = ("input", "expected_output", "metadata", "ignore")
CHAT_ROLES = ("system", "user", "assistant", "tool", "developer")


@dataclass(frozen=True)
class LineError:
    line: int
    reason: str


@dataclass
class ImportPlan:
    """What an import would do: the valid rows (input, expected_output, metadata), the bad lines."""

    rows: list[dict] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    error_count: int = 0
    lines: int = 0

    def fail(self, line: int, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(LineError(line, reason))


@dataclass(frozen=True)
class CsvPreview:
    columns: list[str]
    sample: list[list[str]]
    rows: int
    suggested: dict[str, str]  # column -> role


def _text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise Invalid(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Invalid(f"The file is not UTF-8 text (byte {exc.start} cannot be read); save it as UTF-8.")


def cell_value(cell: str) -> Any:
    """A CSV cell: JSON objects/arrays (and only those) are parsed, anything else stays text."""
    stripped = cell.strip()
    if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
        try:
            return json.loads(stripped)
        except ValueError:
            return cell
    return cell


def _suggest(column: str) -> str:
    name = column.strip().lower().replace(" ", "_").replace("-", "_")
    if name in ("expected", "expected_output", "output", "answer", "ground_truth", "reference", "target"):
        return "expected_output"
    if name in ("metadata", "meta", "id", "source", "category", "tags"):
        return "metadata"
    return "input"


def preview_csv(data: bytes | str, sample_size: int = 5) -> CsvPreview:
    """Header, first rows and a suggested role per column, for the mapping step."""
    reader = csv.reader(io.StringIO(_text(data)))
    try:
        header = next(reader)
    except StopIteration:
        raise Invalid("The CSV file is empty.")
    except csv.Error as exc:
        raise Invalid(f"Line 1: {exc}.")
    columns = [c.strip() for c in header]
    if not any(columns):
        raise Invalid("The first line must name the columns.")
    if len(set(columns)) != len(columns):
        raise Invalid("Two columns have the same name: rename one in the first line.")
    sample, count = [], 0
    try:
        for row in reader:
            count += 1
            if len(sample) < sample_size:
                sample.append(row)
    except csv.Error:
        pass  # the plan reports it with its line number
    return CsvPreview(columns, sample, count, {c: _suggest(c) for c in columns})


def _check_mapping(columns: list[str], mapping: dict[str, str]) -> None:
    unknown = [c for c in mapping if c not in columns]
    if unknown:
        raise Invalid(f"Unknown column {unknown[0]!r} in the mapping.")
    bad = [r for r in mapping.values() if r not in ROLES]
    if bad:
        raise Invalid(f"Unknown role {bad[0]!r}: map columns to input, expected_output, metadata or ignore.")
    if not any(mapping.get(c, "ignore") == "input" for c in columns):
        raise Invalid("Map at least one column to the input.")


def plan_csv(data: bytes | str, mapping: dict[str, str]) -> ImportPlan:
    """Every CSV record as an item under ``mapping`` (column -> role); bad records reported."""
    reader = csv.reader(io.StringIO(_text(data)))
    header = [c.strip() for c in next(reader, [])]
    _check_mapping(header, mapping)
    plan = ImportPlan()
    while True:
        line = reader.line_num + 1  # where the record starts (a quoted cell may span lines)
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            plan.fail(line, f"cannot be read as CSV ({exc}); the rest of the file was not read")
            break  # the reader cannot resume inside a broken quoted field
        plan.lines += 1
        if plan.lines > MAX_ROWS:
            raise Invalid(f"The file has more than {MAX_ROWS:,} rows: split it.")
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            plan.fail(line, f"has {len(row)} fields, the header has {len(header)}")
            continue
        item: dict[str, dict] = {"input": {}, "expected_output": {}, "metadata": {}}
        for column, cell in zip(header, row):
            role = mapping.get(column, "ignore")
            if role != "ignore":
                item[role][column] = cell_value(cell)
        if all(v in ("", None) for v in item["input"].values()):
            plan.fail(line, "the input columns are empty")
            continue
        plan.rows.append({"input": item["input"], "expected_output": item["expected_output"] or None,
                          "metadata": item["metadata"]})
    return plan


def _chat_item(obj: dict) -> dict:
    """An OpenAI chat line (``{"messages": [...]}``): the last assistant message is expected."""
    messages = obj["messages"]
    if not isinstance(messages, list) or not messages:
        raise Invalid("'messages' must be a non-empty list")
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or m.get("role") not in CHAT_ROLES:
            raise Invalid(f"message {i + 1} needs a role among {', '.join(CHAT_ROLES)}")
        if m.get("content") is None and not m.get("tool_calls"):
            raise Invalid(f"message {i + 1} has no content")
    expected = None
    if messages[-1].get("role") == "assistant" and len(messages) > 1:
        expected, messages = messages[-1], messages[:-1]
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    extra = {k: obj[k] for k in ("tools", "parallel_tool_calls") if k in obj}
    return {"input": {"messages": messages, **extra}, "expected_output": expected, "metadata": meta}


def _jsonl_item(obj: Any, dataset_type: str) -> dict:
    if not isinstance(obj, dict):
        raise Invalid("must be a JSON object")
    if "messages" in obj and "input" not in obj:
        if dataset_type != "generation":
            raise Invalid("chat-format lines ('messages') go into a generation dataset")
        return _chat_item(obj)
    if "input" not in obj:
        raise Invalid("needs an 'input' (or 'messages' for chat-format lines)")
    expected = obj.get("expectedOutput", obj.get("expected_output"))
    meta = obj.get("metadata")
    if meta is not None and not isinstance(meta, dict):
        raise Invalid("'metadata' must be an object")
    return {"input": obj["input"], "expected_output": expected, "metadata": meta or {}}


def plan_jsonl(data: bytes | str, dataset_type: str = "key_value") -> ImportPlan:
    """One item per non-empty line: ``{"input", "expectedOutput"?, "metadata"?}`` or a chat line."""
    plan = ImportPlan()
    for number, raw in enumerate(_text(data).splitlines(), start=1):
        if not raw.strip():
            continue
        plan.lines += 1
        if plan.lines > MAX_ROWS:
            raise Invalid(f"The file has more than {MAX_ROWS:,} lines: split it.")
        try:
            obj = json.loads(raw)
        except ValueError as exc:
            plan.fail(number, f"is not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            plan.rows.append(_jsonl_item(obj, dataset_type))
        except Invalid as exc:
            plan.fail(number, exc.message)
    return plan


_COPY_COLUMNS = ("id", "project_id", "dataset_id", "input", "expected_output", "metadata", "intermediary_steps",
                 "created_at")


def import_rows(session: Session, actor: Actor, dataset_id: str, rows: list[dict]) -> int:
    """Insert planned rows (callers pass batches of a few thousand, for a progress bar). PostgreSQL
    gets them through COPY (about ten times the rate of multi-row INSERTs for JSON columns)."""
    require(actor, "datasets:write")
    dataset = owned_dataset(session, actor, dataset_id)
    if not rows:
        return 0
    now = utcnow()  # a microsecond apart, so items list in file order (items sort by creation)
    values = [{"id": new_id(), "project_id": actor.project_id, "dataset_id": dataset.id, "input": r["input"],
               "expected_output": r.get("expected_output"), "meta": r.get("metadata") or {},
               "intermediary_steps": [], "step_id": None, "created_at": now + timedelta(microseconds=i)}
              for i, r in enumerate(rows)]
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, values)
    else:
        session.execute(insert(DatasetItem), values)
    return len(values)


def finish_import(session: Session, actor: Actor, dataset_id: str) -> None:
    """After the last batch: on PostgreSQL, refresh the planner's statistics of the items table.
    The items page and the exports read keyset pages on the (dataset_id, created_at, id) index;
    with statistics from before a large import PostgreSQL plans each page as a scan and sort of the
    whole dataset (80 ms a page for 100,000 rows instead of ~5 ms) until autovacuum catches up."""
    require(actor, "datasets:write")
    owned_dataset(session, actor, dataset_id)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("ANALYZE dataset_item"))


def _copy(session: Session, values: list[dict]) -> None:
    cursor = session.connection().connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY dataset_item ({', '.join(_COPY_COLUMNS)}) FROM STDIN") as copy:
        for v in values:
            copy.write_row((v["id"], v["project_id"], v["dataset_id"], dump_json(v["input"]),
                            None if v["expected_output"] is None else dump_json(v["expected_output"]),
                            dump_json(v["meta"]), "[]", v["created_at"]))
