"""GET /api/my-project: the id of the project the API key belongs to."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import CurrentActor

router = APIRouter()


@router.get("/api/my-project")
@router.post("/api/my-project")
def my_project(actor: CurrentActor) -> dict:
    return {"projectId": actor.project_id}
