"""Context managers (also usable as decorators) for steps, threads, environments and
experiment item runs."""

import inspect
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional

from literal_sdk.context import (active_env_var, active_experiment_item_run_id_var,
                                 active_root_run_var, active_thread_var)
from literal_sdk.helpers import jsonable, new_id
from literal_sdk.step import Step, TrueStepType
from literal_sdk.thread import Thread
from literal_sdk.wrapping import decorate

if TYPE_CHECKING:
    from literal_sdk.client import BaseLiteralClient


def _reset(var, token) -> None:
    """Undo a ``var.set``; a generator resumed from another task/thread cannot use the token."""
    try:
        var.reset(token)
    except ValueError:
        var.set(token.old_value if token.old_value is not token.MISSING else None)


class StepContextManager:
    """``with client.step(...) as step:`` / ``async with`` / ``@client.step(...)``."""

    def __init__(self, client: "BaseLiteralClient", name: str = "", type: TrueStepType = "undefined",
                 id: Optional[str] = None, parent_id: Optional[str] = None,
                 thread_id: Optional[str] = None, root_run_id: Optional[str] = None, **kwargs: Any):
        self.client, self.step_name, self.step_type = client, name, type
        self.id, self.parent_id, self.thread_id, self.root_run_id = id, parent_id, thread_id, root_run_id
        self.kwargs = kwargs
        self._root_token = None

    def __call__(self, func: Callable) -> Callable:
        return step_decorator(self.client, func, name=self.step_name, type=self.step_type, id=self.id,
                              parent_id=self.parent_id, thread_id=self.thread_id,
                              root_run_id=self.root_run_id, **self.kwargs)

    def __enter__(self) -> Step:
        self.step = self.client.start_step(name=self.step_name, type=self.step_type, id=self.id,
                                           parent_id=self.parent_id, thread_id=self.thread_id,
                                           root_run_id=self.root_run_id, **self.kwargs)
        if self.step_type == "run" and active_root_run_var.get() is None:
            self._root_token = active_root_run_var.set(self.step)
        return self.step

    def __exit__(self, exc_type, exc_val, exc_tb) -> bool:
        if exc_type is not None:
            self.step.error = str(exc_val)
        if self._root_token is not None:
            _reset(active_root_run_var, self._root_token)
            self._root_token = None
        self.step.end()
        return False

    async def __aenter__(self) -> Step:
        return self.__enter__()

    async def __aexit__(self, exc_type, exc_val, exc_tb) -> bool:
        return self.__exit__(exc_type, exc_val, exc_tb)


def step_decorator(client: "BaseLiteralClient", func: Callable, type: TrueStepType = "undefined",
                   name: str = "", id: Optional[str] = None, parent_id: Optional[str] = None,
                   thread_id: Optional[str] = None, root_run_id: Optional[str] = None,
                   **kwargs: Any) -> Callable:
    """A step per call of ``func``: input = the bound arguments, output = the return value."""
    name = name or func.__name__
    bind = _binder(func)

    def make_cm(args, call_kwargs):
        return StepContextManager(client, name=name, type=type, id=id, parent_id=parent_id,
                                  thread_id=thread_id, root_run_id=root_run_id, **kwargs)

    def on_enter(step: Step, args: tuple, call_kwargs: dict) -> None:
        if client.disabled or bind is None:
            return
        try:
            step.input = step._safe_input = jsonable(bind(args, call_kwargs))
        except Exception:
            pass

    def on_result(step: Step, result: Any) -> None:
        if step.output is None and not client.disabled:
            step.output = result if isinstance(result, dict) else {"content": result}

    return decorate(func, make_cm, on_enter, on_result)


def _binder(func: Callable) -> Optional[Callable[[tuple, dict], Dict[str, Any]]]:
    """A fast ``(args, kwargs) -> {parameter: value}`` (defaults applied) for ``func``.

    Plain signatures are bound by position and name directly; ``inspect.Signature.bind`` (about
    ten times slower) is kept for signatures with ``*args``/``**kwargs`` or positional-only ones.
    """
    try:
        signature = inspect.signature(func)
    except (TypeError, ValueError):
        return None
    params = list(signature.parameters.values())
    if any(p.kind is not p.POSITIONAL_OR_KEYWORD and p.kind is not p.KEYWORD_ONLY for p in params):
        def slow(args: tuple, kwargs: dict) -> Dict[str, Any]:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            return dict(bound.arguments)
        return slow
    names = [p.name for p in params]
    defaults = [(p.name, p.default) for p in params if p.default is not p.empty]

    def fast(args: tuple, kwargs: dict) -> Dict[str, Any]:
        if len(args) > len(names):
            raise TypeError("too many positional arguments")
        bound = dict(zip(names, args))
        bound.update(kwargs)
        for key, default in defaults:
            if key not in bound:
                bound[key] = default
        return {key: bound[key] for key in names if key in bound}
    return fast


class ThreadContextManager:
    """``with client.thread(name=...) as thread:``; the thread is upserted when the block exits."""

    def __init__(self, client: "BaseLiteralClient", thread_id: Optional[str] = None,
                 name: Optional[str] = None, **kwargs: Any):
        self.client, self.thread_id, self.name, self.kwargs = client, thread_id, name, kwargs
        self._token = None

    def __call__(self, func: Callable) -> Callable:
        return thread_decorator(self.client, func, thread_id=self.thread_id, name=self.name, **self.kwargs)

    def __enter__(self) -> Thread:
        thread = Thread(id=self.thread_id or new_id(), name=self.name, **self.kwargs)
        self._token = active_thread_var.set(thread)
        return thread

    def __exit__(self, exc_type, exc_val, exc_tb) -> bool:
        thread = active_thread_var.get()
        if thread is not None:
            self.client._queue_thread(thread)
        if self._token is not None:
            _reset(active_thread_var, self._token)
            self._token = None
        return False

    async def __aenter__(self) -> Thread:
        return self.__enter__()

    async def __aexit__(self, exc_type, exc_val, exc_tb) -> bool:
        return self.__exit__(exc_type, exc_val, exc_tb)


def thread_decorator(client: "BaseLiteralClient", func: Callable, thread_id: Optional[str] = None,
                     name: Optional[str] = None, **kwargs: Any) -> Callable:
    return decorate(func, lambda a, k: ThreadContextManager(client, thread_id=thread_id, name=name, **kwargs))


class EnvContextManager:
    """Logs made inside carry this environment (``x-env``), without touching other code."""

    def __init__(self, client: "BaseLiteralClient", env: str = "prod"):
        self.client, self.env = client, env
        self._tokens: list = []

    def __call__(self, func: Callable) -> Callable:
        return decorate(func, lambda a, k: EnvContextManager(self.client, self.env))

    def __enter__(self):
        self._tokens.append(active_env_var.set(self.env))

    def __exit__(self, exc_type, exc_val, exc_tb) -> bool:
        active_env_var.reset(self._tokens.pop())
        return False

    async def __aenter__(self):
        return self.__enter__()

    async def __aexit__(self, exc_type, exc_val, exc_tb) -> bool:
        return self.__exit__(exc_type, exc_val, exc_tb)


class ExperimentItemRunContextManager:
    """A ``run`` step named "Experiment Run" in the ``experiment`` environment; its id is the
    ``experimentRunId`` that ``experiment.log()`` links to. Flushed when the block exits."""

    def __init__(self, client: "BaseLiteralClient", **kwargs: Any):
        self.client = client
        self._stack: list = []

    def __call__(self, func: Callable) -> Callable:
        return decorate(func, lambda a, k: ExperimentItemRunContextManager(self.client))

    def __enter__(self) -> Step:
        run_id = new_id()
        env_token = active_env_var.set("experiment")
        id_token = active_experiment_item_run_id_var.set(run_id)
        step_cm = StepContextManager(self.client, name="Experiment Run", type="run", id=run_id)
        step = step_cm.__enter__()
        self._stack.append((env_token, id_token, step_cm))
        return step

    def __exit__(self, exc_type, exc_val, exc_tb) -> bool:
        env_token, id_token, step_cm = self._stack.pop()
        step_cm.__exit__(exc_type, exc_val, exc_tb)
        active_experiment_item_run_id_var.reset(id_token)
        active_env_var.reset(env_token)
        self.client.event_processor.flush(timeout=30)
        return False

    async def __aenter__(self) -> Step:
        return self.__enter__()

    async def __aexit__(self, exc_type, exc_val, exc_tb) -> bool:
        env_token, id_token, step_cm = self._stack.pop()
        step_cm.__exit__(exc_type, exc_val, exc_tb)
        active_experiment_item_run_id_var.reset(id_token)
        active_env_var.reset(env_token)
        await self.client.event_processor.aflush(timeout=30)
        return False


