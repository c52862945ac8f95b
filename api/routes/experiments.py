"""Experiments and datasets over REST for pipelines: the comparison of two experiments as JSON
(the CI gate of ``literal_app.cli compare-experiments``) and streamed dataset exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Header, Query
from fastapi.responses import JSONResponse, StreamingResponse

from api.deps import CurrentActor, SessionDep, resolve_actor
from literal_app.db import session_scope
from literal_app.services.accounts import members, projects
from literal_app.services.datasets import comparison, exports
from literal_app.services.kernel.actor import Actor
from literal_app.services.kernel.errors import Unauthorized

router = APIRouter()


@router.get("/api/experiments/compare")
def compare_experiments(session: SessionDep, actor: CurrentActor, base: str, candidate: str,
                        score: str | None = None, max_regression: float | None = None,
                        items: Annotated[bool, Query()] = False) -> JSONResponse:
    """Candidate vs base per score (mean difference, 95% CI, p, verdict); with ``score`` also the
    gate's decision (``gate.passed``), exactly as the command line decides it."""
    result = comparison.compare(session, actor, base, candidate)
    gate = comparison.gate(result, score, max_regression) if score else None
    return JSONResponse(comparison.as_json(result, gate, with_items=items))


def _download_actor(session, api_key: str | None, cookie: str | None, project: str | None) -> Actor:
    """An API key, or the browser's sign-in cookie with the project it is looking at (the dataset
    page's download links), re-checked against the membership like every UI call."""
    if api_key or not cookie:
        return resolve_actor(session, api_key, None)
    member = members.member_for_session(session, cookie)
    if member is None or not project:
        raise Unauthorized("Sign in again to download this dataset.")
    return projects.actor_for_member(session, member_id=member.id, project_id=project)


@router.get("/api/datasets/{dataset_id}/export")
def export_items(session: SessionDep, dataset_id: str, format: str = "jsonl", project: str | None = None,
                 x_api_key: Annotated[str | None, Header()] = None,
                 literal_session: Annotated[str | None, Cookie()] = None) -> StreamingResponse:
    """The dataset's items as JSONL (``format=jsonl``) or OpenAI fine-tuning lines (``openai``)."""
    actor = _download_actor(session, x_api_key, literal_session, project)
    filename = exports.check_export(session, actor, dataset_id, format)
    return StreamingResponse(exports.stream_items(session_scope, actor, dataset_id, format),
                             media_type="application/x-ndjson",
                             headers={"Content-Disposition": f'attachment; filename="{filename}"'})
