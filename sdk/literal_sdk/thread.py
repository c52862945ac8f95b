"""Threads: a conversation or session grouping steps, optionally tied to a participant."""

from typing import Dict, List, Optional

from literal_sdk.step import Step, StepDict
from literal_sdk.types import TypedDict, UserDict, Utils


class ThreadDict(TypedDict, total=False):
    id: Optional[str]
    name: Optional[str]
    metadata: Optional[Dict]
    tags: Optional[List[str]]
    createdAt: Optional[str]
    steps: Optional[List[StepDict]]
    participant: Optional[UserDict]


class Thread(Utils):
    """A thread; ``participant_id`` may be a participant id or an identifier (auto-created)."""

    def __init__(self, id: str, steps: Optional[List[Step]] = None, name: Optional[str] = None,
                 metadata: Optional[Dict] = None, tags: Optional[List[str]] = None,
                 participant_id: Optional[str] = None):
        self.id = id
        self.steps = steps if steps is not None else []
        self.name = name
        self.metadata = metadata if metadata is not None else {}
        self.tags = tags if tags is not None else []
        self.participant_id = participant_id
        self.participant_identifier: Optional[str] = None
        self.created_at: Optional[str] = None

    def to_dict(self) -> ThreadDict:
        participant: UserDict = ({"id": self.participant_id, "identifier": self.participant_identifier}
                                 if self.participant_id else {})
        return {"id": self.id, "metadata": self.metadata, "tags": self.tags, "name": self.name,
                "steps": [s.to_dict() for s in self.steps], "participant": participant,
                "createdAt": self.created_at}

    @classmethod
    def from_dict(cls, data: ThreadDict) -> "Thread":
        participant = data.get("participant") or {}
        thread = cls(id=data.get("id") or "", name=data.get("name"), metadata=data.get("metadata") or {},
                     tags=data.get("tags") or [], participant_id=participant.get("id"),
                     steps=[Step.from_dict(s) for s in data.get("steps") or []])
        thread.participant_identifier = participant.get("identifier")
        thread.created_at = data.get("createdAt")
        return thread
