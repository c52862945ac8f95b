"""Steps (the units of a trace), with their scores and attachments.

A step resolves its parent, thread and root run from the context when it starts, and is handed
to the event processor as a JSON-safe dict when it ends; nothing here touches the network.
"""

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Union

from literal_sdk.context import active_root_run_var, active_steps_var, active_thread_var
from literal_sdk.generation import BaseGeneration, ChatGeneration, CompletionGeneration
from literal_sdk.helpers import jsonable, new_id, utc_now
from literal_sdk.types import Environment, TypedDict, Utils

if TYPE_CHECKING:
    from literal_sdk.event_processor import EventProcessor

logger = logging.getLogger("literal_sdk")

TrueStepType = Literal["run", "tool", "llm", "embedding", "retrieval", "rerank", "undefined"]
MessageStepType = Literal["user_message", "assistant_message", "system_message"]
StepType = Union[TrueStepType, MessageStepType]
ScoreType = Literal["HUMAN", "CODE", "AI"]


class ScoreDict(TypedDict, total=False):
    id: Optional[str]
    name: str
    type: ScoreType
    value: float
    label: Optional[str]
    stepId: Optional[str]
    datasetExperimentItemId: Optional[str]
    comment: Optional[str]
    tags: Optional[List[str]]


class AttachmentDict(TypedDict, total=False):
    id: Optional[str]
    stepId: Optional[str]
    threadId: Optional[str]
    metadata: Optional[Dict]
    mime: Optional[str]
    name: Optional[str]
    objectKey: Optional[str]
    url: Optional[str]


class StepDict(TypedDict, total=False):
    id: Optional[str]
    name: Optional[str]
    type: Optional[StepType]
    environment: Optional[Environment]
    threadId: Optional[str]
    error: Optional[str]
    input: Optional[Dict]
    output: Optional[Dict]
    metadata: Optional[Dict]
    tags: Optional[List[str]]
    parentId: Optional[str]
    createdAt: Optional[str]
    startTime: Optional[str]
    endTime: Optional[str]
    generation: Optional[Dict]
    scores: Optional[List[ScoreDict]]
    attachments: Optional[List[AttachmentDict]]
    rootRunId: Optional[str]


@dataclass(repr=False)
class Score(Utils):
    """A judgement on a step or an experiment item: HUMAN feedback, CODE check or AI evaluation."""

    name: str
    type: ScoreType
    value: float
    step_id: Optional[str] = None
    dataset_experiment_item_id: Optional[str] = None
    comment: Optional[str] = None
    tags: Optional[List[str]] = None
    id: Optional[str] = field(default_factory=new_id)
    label: Optional[str] = None

    def to_dict(self) -> ScoreDict:
        data: ScoreDict = {"id": self.id, "name": self.name, "type": self.type, "value": self.value,
                           "stepId": self.step_id, "datasetExperimentItemId": self.dataset_experiment_item_id,
                           "comment": self.comment, "tags": self.tags}
        if self.label is not None:
            data["label"] = self.label
        return data

    @classmethod
    def from_dict(cls, data: Dict) -> "Score":
        return cls(id=data.get("id", ""), name=data.get("name", ""), type=data.get("type", "HUMAN"),
                   value=data.get("value", 0.0), step_id=data.get("stepId", ""),
                   dataset_experiment_item_id=data.get("datasetExperimentItemId", ""),
                   comment=data.get("comment", ""), tags=data.get("tags", []), label=data.get("label"))


@dataclass(repr=False)
class Attachment(Utils):
    """A file (image, document, ...) attached to a step."""

    step_id: Optional[str] = None
    thread_id: Optional[str] = None
    id: Optional[str] = field(default_factory=new_id)
    metadata: Optional[Dict] = field(default_factory=dict)
    mime: Optional[str] = None
    name: Optional[str] = None
    object_key: Optional[str] = None
    url: Optional[str] = None

    def to_dict(self) -> AttachmentDict:
        return {"id": self.id, "metadata": self.metadata, "mime": self.mime, "name": self.name,
                "objectKey": self.object_key, "url": self.url}

    @classmethod
    def from_dict(cls, data: Dict) -> "Attachment":
        return cls(id=data.get("id", ""), thread_id=data.get("threadId"), step_id=data.get("stepId"),
                   metadata=data.get("metadata") or {}, mime=data.get("mime", ""),
                   name=data.get("name", ""), object_key=data.get("objectKey", ""), url=data.get("url", ""))


class Step(Utils):
    """One unit of work in a trace (a run, a tool call, an LLM call, ...).

    Create it with ``@client.step``, ``with client.step(...)`` or ``client.start_step()``
    followed by ``step.end()``; set ``input``/``output``/``metadata``/``tags``/``scores``/
    ``attachments``/``generation`` on it before it ends.
    """

    def __init__(self, name: str = "", type: Optional[StepType] = None, id: Optional[str] = None,
                 thread_id: Optional[str] = None, parent_id: Optional[str] = None,
                 processor: Optional["EventProcessor"] = None, tags: Optional[List[str]] = None,
                 root_run_id: Optional[str] = None, metadata: Optional[Dict] = None, **kwargs: Any):
        self.id: str = id or new_id()
        self.name = name
        self.type = type
        self.thread_id = thread_id
        self.parent_id = parent_id
        self.root_run_id = root_run_id
        self.tags = tags
        self.metadata = metadata
        self.processor = processor
        self.start_time: Optional[str] = utc_now()
        self.end_time: Optional[str] = None
        self.created_at: Optional[str] = None
        self.error: Optional[str] = None
        self.input: Optional[Dict[str, Any]] = None
        self._safe_input: Any = None  # the JSON-safe input captured by a decorator (not copied again)
        self.output: Optional[Dict[str, Any]] = None
        self.environment: Optional[str] = None
        self.generation: Optional[Union[ChatGeneration, CompletionGeneration]] = None
        self.scores: List[Score] = []
        self.attachments: List[Attachment] = []
        for key, value in kwargs.items():
            setattr(self, key, value)

    def start(self) -> None:
        """Inherit parent, thread and root run from the context and become the current step."""
        stack = active_steps_var.get()
        if stack:
            parent = stack[-1]
            self.parent_id = self.parent_id or parent.id
            self.thread_id = self.thread_id or parent.thread_id
            self.root_run_id = self.root_run_id or parent.root_run_id
        if not self.thread_id:
            thread = active_thread_var.get()
            if thread is not None:
                self.thread_id = thread.id
        if not self.root_run_id:
            root = active_root_run_var.get()
            if root is not None:
                self.root_run_id = root.id
        active_steps_var.set(stack + (self,))

    def end(self) -> None:
        """Stop the step, leave the context and queue it for delivery (never blocks)."""
        self.end_time = utc_now()
        stack = active_steps_var.get()
        if self in stack:
            active_steps_var.set(tuple(s for s in stack if s is not self))
        else:
            logger.debug("literal_sdk: step %s ended outside the context that started it", self.id)
        if self.processor is not None:
            self.processor.add_event(self.to_dict())

    def to_dict(self) -> StepDict:
        return {
            "id": self.id, "metadata": jsonable(self.metadata), "parentId": self.parent_id,
            "startTime": self.start_time, "endTime": self.end_time, "type": self.type,
            "threadId": self.thread_id, "error": self.error, "input": self.input if self.input is self._safe_input else jsonable(self.input),
            "output": jsonable(self.output),
            "generation": jsonable(self.generation.to_dict()) if self.generation else None,
            "name": self.name, "tags": self.tags,
            "scores": [s.to_dict() for s in self.scores],
            "attachments": [a.to_dict() for a in self.attachments], "rootRunId": self.root_run_id,
        }

    @classmethod
    def from_dict(cls, data: StepDict) -> "Step":
        step = cls(name=data.get("name") or "", type=data.get("type", "undefined"),
                   thread_id=data.get("threadId"), id=data.get("id") or "")
        step.id = data.get("id") or ""
        for attr, key in (("input", "input"), ("output", "output"), ("error", "error"),
                          ("environment", "environment"), ("parent_id", "parentId"),
                          ("start_time", "startTime"), ("end_time", "endTime"),
                          ("created_at", "createdAt"), ("root_run_id", "rootRunId")):
            setattr(step, attr, data.get(key))
        step.metadata = data.get("metadata") or {}
        step.tags = data.get("tags") or []
        if data.get("generation") and step.type == "llm":
            step.generation = BaseGeneration.from_dict(data["generation"])
        step.scores = [Score.from_dict(s) for s in data.get("scores") or []]
        step.attachments = [Attachment.from_dict(a) for a in data.get("attachments") or []]
        return step
