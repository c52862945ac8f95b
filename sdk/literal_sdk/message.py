"""Conversation messages (user / assistant / system): steps whose output is the text and whose
start and end times are the same instant."""

import uuid
from typing import TYPE_CHECKING, Dict, List, Optional

from literal_sdk.context import active_root_run_var, active_steps_var, active_thread_var
from literal_sdk.helpers import jsonable, utc_now
from literal_sdk.step import Attachment, MessageStepType, Score, StepDict
from literal_sdk.types import Utils

if TYPE_CHECKING:
    from literal_sdk.event_processor import EventProcessor


class Message(Utils):
    def __init__(self, content: str, id: Optional[str] = None,
                 type: Optional[MessageStepType] = "assistant_message", name: Optional[str] = None,
                 thread_id: Optional[str] = None, parent_id: Optional[str] = None,
                 scores: Optional[List[Score]] = None, attachments: Optional[List[Attachment]] = None,
                 metadata: Optional[Dict] = None, timestamp: Optional[str] = None,
                 tags: Optional[List[str]] = None, processor: Optional["EventProcessor"] = None,
                 root_run_id: Optional[str] = None):
        self.id = id or str(uuid.uuid4())
        self.timestamp = timestamp or utc_now()
        self.name, self.type, self.content = name, type, content
        self.scores = list(scores or [])
        self.attachments = list(attachments or [])
        self.metadata = metadata if metadata is not None else {}
        self.tags = tags
        self.processor = processor
        self.thread_id, self.parent_id, self.root_run_id = thread_id, parent_id, root_run_id
        self.created_at: Optional[str] = None

    def end(self) -> None:
        """Attach to the current step/thread and queue for delivery."""
        stack = active_steps_var.get()
        if stack:
            parent = stack[-1]
            self.parent_id = self.parent_id or parent.id
            self.thread_id = self.thread_id or parent.thread_id
            self.root_run_id = self.root_run_id or parent.root_run_id
        if not self.thread_id and (thread := active_thread_var.get()) is not None:
            self.thread_id = thread.id
        if not self.root_run_id and (root := active_root_run_var.get()) is not None:
            self.root_run_id = root.id
        if self.processor is not None:
            self.processor.add_event(self.to_dict())

    def to_dict(self) -> StepDict:
        return {"id": self.id, "metadata": jsonable(self.metadata), "parentId": self.parent_id,
                "startTime": self.timestamp, "endTime": self.timestamp, "type": self.type,
                "threadId": self.thread_id, "output": {"content": jsonable(self.content)},
                "name": self.name, "tags": self.tags, "scores": [s.to_dict() for s in self.scores],
                "attachments": [a.to_dict() for a in self.attachments], "rootRunId": self.root_run_id}

    @classmethod
    def from_dict(cls, data: Dict) -> "Message":
        message = cls(id=data.get("id"), metadata=data.get("metadata"), parent_id=data.get("parentId"),
                      timestamp=data.get("startTime"), type=data.get("type"), thread_id=data.get("threadId"),
                      content=(data.get("output") or {}).get("content", ""), name=data.get("name"),
                      scores=[Score.from_dict(s) for s in data.get("scores") or []],
                      attachments=[Attachment.from_dict(a) for a in data.get("attachments") or []],
                      root_run_id=data.get("rootRunId"))
        message.created_at = data.get("createdAt")
        return message
