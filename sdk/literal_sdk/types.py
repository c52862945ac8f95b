"""Shared value types: pagination, users (participants), filters and the ``Utils`` mixin.

Return objects are plain classes/dataclasses (no pydantic) with ``to_dict()`` giving the wire
(camelCase) shape and ``from_dict()`` parsing it; ``str()`` prints that shape as JSON.
"""

import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Dict, Generic, List, Literal, Optional, TypeVar

try:  # Python >= 3.11 has these in typing; typing_extensions is not a dependency
    from typing import TypedDict
except ImportError:  # pragma: no cover
    from typing_extensions import TypedDict  # type: ignore

Environment = Literal["dev", "staging", "prod", "experiment"]
T = TypeVar("T")


class Utils:
    """``str``/``repr`` as sorted JSON of ``to_dict()``."""

    def to_dict(self) -> Dict[str, Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def __str__(self) -> str:
        return json.dumps(self.to_dict(), sort_keys=True, indent=4, default=str)

    __repr__ = __str__


@dataclass(repr=False)
class PageInfo(Utils):
    has_next_page: bool = False
    start_cursor: Optional[str] = None
    end_cursor: Optional[str] = None

    def to_dict(self):
        return {"hasNextPage": self.has_next_page, "startCursor": self.start_cursor,
                "endCursor": self.end_cursor}

    @classmethod
    def from_dict(cls, data: Dict) -> "PageInfo":
        data = data or {}
        return cls(bool(data.get("hasNextPage")), data.get("startCursor"), data.get("endCursor"))


@dataclass(repr=False)
class PaginatedResponse(Generic[T], Utils):
    page_info: PageInfo
    data: List[T]
    total_count: Optional[int] = None

    def to_dict(self):
        return {"pageInfo": self.page_info.to_dict(), "totalCount": self.total_count,
                "data": [d.to_dict() if hasattr(d, "to_dict") else d for d in self.data]}

    @classmethod
    def from_dict(cls, data: Dict, the_class: Any) -> "PaginatedResponse":
        nodes = data.get("data")
        if nodes is None:
            nodes = [edge["node"] for edge in data.get("edges") or []]
        return cls(page_info=PageInfo.from_dict(data.get("pageInfo") or {}),
                   data=[the_class.from_dict(n) for n in nodes], total_count=data.get("totalCount"))


class TextContent(TypedDict, total=False):
    type: Literal["text"]
    text: str


class ImageUrlContent(TypedDict, total=False):
    type: Literal["image_url"]
    image_url: Dict


class UserDict(TypedDict, total=False):
    id: Optional[str]
    metadata: Optional[Dict]
    identifier: Optional[str]
    createdAt: Optional[str]


@dataclass(repr=False)
class User(Utils):
    """An end user of the application (a "participant" on the wire)."""

    id: Optional[str] = None
    created_at: Optional[str] = None
    identifier: Optional[str] = field(default_factory=lambda: str(uuid.uuid4()))
    metadata: Dict = field(default_factory=dict)

    def to_dict(self) -> UserDict:
        return {"id": self.id, "identifier": self.identifier, "metadata": self.metadata,
                "createdAt": self.created_at}

    @classmethod
    def from_dict(cls, data: Dict) -> "User":
        return cls(id=data.get("id", ""), identifier=data.get("identifier", ""),
                   metadata=data.get("metadata") or {}, created_at=data.get("createdAt", ""))


Operator = Literal["eq", "neq", "ilike", "nilike", "gt", "gte", "lt", "lte", "in", "nin", "is", "nis"]


class Filter(TypedDict, total=False):
    """One list filter; several are ANDed. ``path`` addresses a JSON key or a score name."""

    field: str
    operator: Operator
    value: Any
    path: Optional[str]


class OrderBy(TypedDict):
    column: str
    direction: Literal["ASC", "DESC"]


users_filters = threads_filters = steps_filters = scores_filters = generations_filters = List[Filter]
threads_order_by = steps_order_by = scores_order_by = generations_order_by = OrderBy
