"""Context variables that carry the current thread, step stack, root run and environment.

Contextvars (not thread-locals) so that nesting is correct per asyncio task as well as per OS
thread: a task started inside a step inherits a *copy* of the stack, and changes made inside the
task never leak back into its parent. The step stack is an immutable tuple for the same reason.
"""

from contextvars import ContextVar
from typing import TYPE_CHECKING, Optional, Tuple

if TYPE_CHECKING:
    from literal_sdk.step import Step
    from literal_sdk.thread import Thread

active_steps_var: "ContextVar[Tuple[Step, ...]]" = ContextVar("literal_sdk_active_steps", default=())
active_thread_var: "ContextVar[Optional[Thread]]" = ContextVar("literal_sdk_active_thread", default=None)
active_root_run_var: "ContextVar[Optional[Step]]" = ContextVar("literal_sdk_active_root_run", default=None)
active_experiment_item_run_id_var: "ContextVar[Optional[str]]" = ContextVar(
    "literal_sdk_experiment_item_run", default=None)
active_env_var: "ContextVar[Optional[str]]" = ContextVar("literal_sdk_environment", default=None)
