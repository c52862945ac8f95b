"""POST /api/export/dataset: a dataset with all its items, by ``id`` and/or ``name``.

HTTP 200 with ``{"data": null}`` when the dataset is unknown or deleted (the clients expect it).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Any

from fastapi import APIRouter, Body
from fastapi.responses import JSONResponse

from api.deps import CurrentActor, SessionDep
from literal_app.services.datasets import dataset_items
from literal_app.services.kernel.errors import Invalid
from literal_app.services.kernel.limits import strip_nul

router = APIRouter()


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z") if value else None


def dataset_json(export: dataset_items.DatasetExport) -> dict:
    d = export.dataset
    return {"id": d.id, "createdAt": _iso(d.created_at), "name": d.name, "description": d.description,
            "metadata": d.metadata, "type": d.type,
            "items": [{"id": i.id, "createdAt": _iso(i.created_at), "datasetId": i.dataset_id,
                       "metadata": i.metadata, "input": i.input, "expectedOutput": i.expected_output,
                       "intermediarySteps": i.intermediary_steps, "stepId": i.step_id} for i in export.items]}


@router.post("/api/export/dataset")
def export_dataset(session: SessionDep, actor: CurrentActor,
                   body: Annotated[dict[str, Any], Body()] = None) -> JSONResponse:
    body = strip_nul(body or {})  # PostgreSQL cannot compare text holding NUL
    if not (body.get("id") or body.get("name")):
        raise Invalid("Give the dataset's 'id' or 'name'.")
    export = dataset_items.export_dataset(session, actor, id=body.get("id"), name=body.get("name"))
    return JSONResponse({"data": dataset_json(export) if export else None})
