"""The filter and order tables of every log list (threads, steps, generations, scores,
participants), read by the engine in ``querying.py``.

Each table maps a filter ``field`` name the clients send (PROTOCOL.md 2.2) to a ``FieldSpec``.
Fields that test related rows (a thread's steps or scores, a step's participant) are ``build``
functions returning an EXISTS/IN clause. The Logs page adds its own fields here the same way.
"""

from __future__ import annotations

from sqlalchemy import String, cast, exists, func, literal, or_, select
from sqlalchemy.sql import ColumnElement

from literal_app.models.prompts import PromptLineage, PromptVersion
from literal_app.models.tracing import Participant, Score, Step, Thread
from literal_app.services.querying import EntitySpec, FieldSpec, Filter, compare, json_text, overlap


def duration_seconds(start, end, dialect: str):
    """``end - start`` in seconds, portable."""
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


