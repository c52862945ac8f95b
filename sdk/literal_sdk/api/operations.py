"""Each API call as data: ``Op(description, query, variables, parse)``. The sync and async API
classes only differ in how they execute an ``Op``, so every call is written once."""

import math
from typing import Any, Callable, Dict, List, NamedTuple, Optional

from literal_sdk.api import gql_eval as ge
from literal_sdk.api import gql_tracing as gt
from literal_sdk.generation import BaseGeneration
from literal_sdk.helpers import drop_none
from literal_sdk.step import Attachment, Score, Step
from literal_sdk.thread import Thread
from literal_sdk.types import PaginatedResponse, User


class Op(NamedTuple):
    description: str
    query: str
    variables: Dict[str, Any]
    parse: Callable[[Dict], Any]
    timeout: Optional[float] = None


def _page_vars(first=None, after=None, before=None, filters=None, order_by=None, **extra) -> Dict:
    """Pagination variables; falsy values are left out, as the protocol's clients do."""
    raw = {"first": first, "after": after, "before": before, "filters": filters, "orderBy": order_by, **extra}
    return {k: v for k, v in raw.items() if v}


def _root(name: str, build: Optional[Callable[[Any], Any]] = None) -> Callable[[Dict], Any]:
    """A parser returning ``data[name]`` (None stays None), optionally converted by ``build``."""
    def parse(body: Dict) -> Any:
        value = body["data"][name]
        return build(value) if (build is not None and value is not None) else value
    return parse


def _page(name: str, cls: Any) -> Callable[[Dict], Any]:
    return _root(name, lambda value: PaginatedResponse.from_dict(value, cls))


def check_scores_finite(scores: List[Dict]) -> None:
    for score in scores:
        if not isinstance(score["value"], (int, float)) or not math.isfinite(score["value"]):
            raise ValueError(f"Value {score['value']} for score {score['name']} is not finite")


# Users --------------------------------------------------------------------------------------
def get_users(first=None, after=None, before=None, filters=None) -> Op:
    return Op("get users", gt.GET_PARTICIPANTS, _page_vars(first, after, before, filters), _page("participants", User))


def get_user(id=None, identifier=None) -> Op:
    if (id is None) == (identifier is None):
        raise ValueError("Exactly one of id or identifier must be provided")
    return Op("get user", gt.GET_PARTICIPANT, {"id": id, "identifier": identifier}, _root("participant", User.from_dict))


def create_user(identifier, metadata=None) -> Op:
    return Op("create user", gt.CREATE_PARTICIPANT, {"identifier": identifier, "metadata": metadata},
              _root("createParticipant", User.from_dict))


def update_user(id, identifier=None, metadata=None) -> Op:
    return Op("update user", gt.UPDATE_PARTICIPANT, drop_none({"id": id, "identifier": identifier, "metadata": metadata}),
              _root("updateParticipant", User.from_dict))


def delete_user(id) -> Op:
    return Op("delete user", gt.DELETE_PARTICIPANT, {"id": id}, _root("deleteParticipant", lambda v: v["id"]))


# Threads ------------------------------------------------------------------------------------
def get_threads(first=None, after=None, before=None, filters=None, order_by=None, step_types_to_keep=None) -> Op:
    return Op("get threads", gt.GET_THREADS,
              _page_vars(first, after, before, filters, order_by, stepTypesToKeep=step_types_to_keep),
              _page("threads", Thread))


def list_threads(first=None, after=None, before=None, filters=None, order_by=None) -> Op:
    return Op("list threads", gt.LIST_THREADS, _page_vars(first, after, before, filters, order_by),
              _page("threads", Thread))


def get_thread(id) -> Op:
    return Op("get thread", gt.GET_THREAD, {"id": id}, _root("threadDetail", Thread.from_dict))


def create_thread(name=None, metadata=None, participant_id=None, tags=None) -> Op:
    return Op("create thread", gt.CREATE_THREAD,
              {"name": name, "metadata": metadata, "participantId": participant_id, "tags": tags},
              _root("createThread", Thread.from_dict))


def upsert_thread(id, name=None, metadata=None, participant_id=None, tags=None, *, update=False) -> Op:
    variables = drop_none({"id": id, "name": name, "metadata": metadata, "participantId": participant_id,
                           "tags": tags})
    root = "updateThread" if update else "upsertThread"
    return Op(f"{'update' if update else 'upsert'} thread", gt.UPDATE_THREAD if update else gt.UPSERT_THREAD,
              variables, _root(root, Thread.from_dict))


def delete_thread(id) -> Op:
    return Op("delete thread", gt.DELETE_THREAD, {"thread_id": id}, lambda b: bool(b["data"]["deleteThread"]))


# Steps and generations ----------------------------------------------------------------------
def create_step(thread_id=None, type="undefined", start_time=None, end_time=None, input=None, output=None,
                metadata=None, parent_id=None, name=None, tags=None, root_run_id=None) -> Op:
    variables = {"threadId": thread_id, "rootRunId": root_run_id, "type": type, "startTime": start_time,
                 "endTime": end_time, "input": input, "output": output, "metadata": metadata,
                 "parentId": parent_id, "name": name, "tags": tags}
    return Op("create step", gt.CREATE_STEP, variables, _root("createStep", Step.from_dict))


def update_step(id, type=None, input=None, output=None, metadata=None, name=None, tags=None,
                start_time=None, end_time=None, parent_id=None) -> Op:
    variables = drop_none({"id": id, "type": type, "input": input, "output": output, "metadata": metadata,
                           "name": name, "tags": tags, "startTime": start_time, "endTime": end_time,
                           "parentId": parent_id})
    return Op("update step", gt.UPDATE_STEP, variables, _root("updateStep", Step.from_dict))


def get_steps(first=None, after=None, before=None, filters=None, order_by=None) -> Op:
    return Op("get steps", gt.GET_STEPS, _page_vars(first, after, before, filters, order_by), _page("steps", Step))


def get_step(id) -> Op:
    return Op("get step", gt.GET_STEP, {"id": id}, _root("step", Step.from_dict))


def delete_step(id) -> Op:
    return Op("delete step", gt.DELETE_STEP, {"id": id}, lambda b: bool(b["data"]["deleteStep"]))


def send_steps(steps: List[Any]) -> Op:
    from literal_sdk.api.batch import build_batch
    from literal_sdk.helpers import jsonable
    events = [("step", s.to_dict() if isinstance(s, Step) else jsonable(s)) for s in steps]
    query, variables = build_batch(events)
    return Op("send steps", query, variables, lambda body: body)


def get_generations(first=None, after=None, before=None, filters=None, order_by=None) -> Op:
    return Op("get generations", gt.GET_GENERATIONS, _page_vars(first, after, before, filters, order_by),
              _page("generations", BaseGeneration))


def create_generation(generation) -> Op:
    return Op("create generation", gt.CREATE_GENERATION, {"generation": generation.to_dict()},
              _root("createGeneration", BaseGeneration.from_dict))


# Scores -------------------------------------------------------------------------------------
def get_scores(first=None, after=None, before=None, filters=None, order_by=None) -> Op:
    return Op("get scores", gt.GET_SCORES, _page_vars(first, after, before, filters, order_by), _page("scores", Score))


def create_score(name, value, type, step_id=None, dataset_experiment_item_id=None, comment=None, tags=None) -> Op:
    check_scores_finite([{"name": name, "value": value}])
    variables = {"name": name, "type": type, "value": value, "stepId": step_id,
                 "datasetExperimentItemId": dataset_experiment_item_id, "comment": comment, "tags": tags}
    return Op("create score", gt.CREATE_SCORE, variables, _root("createScore", Score.from_dict))


def create_scores(scores: List[Dict]) -> Op:
    check_scores_finite(scores)
    variables = {f"{key}_{i}": value for i, score in enumerate(scores) for key, value in score.items()
                 if key != "id"}
    return Op("create scores", gt.create_scores_document(len(scores)), variables,
              lambda body: list((body.get("data") or {}).values()))


def update_score(id, update_params: Dict) -> Op:
    return Op("update score", gt.UPDATE_SCORE, {"id": id, **update_params}, _root("updateScore", Score.from_dict))


def delete_score(id) -> Op:
    return Op("delete score", gt.DELETE_SCORE, {"id": id}, _root("deleteScore"))


# Attachments --------------------------------------------------------------------------------
def create_attachment(step_id, thread_id=None, id=None, metadata=None, mime=None, name=None,
                      object_key=None, url=None) -> Op:
    variables = {"metadata": metadata, "mime": mime, "name": name, "objectKey": object_key, "stepId": step_id,
                 "threadId": thread_id, "url": url, "id": id}
    return Op("create attachment", gt.CREATE_ATTACHMENT, variables, _root("createAttachment", Attachment.from_dict),
              timeout=10)


def update_attachment(id, update_params: Dict) -> Op:
    return Op("update attachment", gt.UPDATE_ATTACHMENT, {"id": id, **update_params},
              _root("updateAttachment", Attachment.from_dict))


def get_attachment(id) -> Op:
    return Op("get attachment", gt.GET_ATTACHMENT, {"id": id}, _root("attachment", Attachment.from_dict))


def delete_attachment(id) -> Op:
    return Op("delete attachment", gt.DELETE_ATTACHMENT, {"id": id}, _root("deleteAttachment"))


__all__ = ["Op", "ge", "gt"]
