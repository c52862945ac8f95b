"""Turn a context manager factory into a decorator for sync and async functions and generators.

Plain functions run inside ``with cm``. Generators are driven one resume at a time: the
context variables are switched to the generator's own values around each ``next``/``send`` and
restored before the value reaches the caller, so a step opened by a generator never leaks into
the code that iterates it, wherever (thread, task) that code runs.
"""

import functools
import inspect
from contextvars import ContextVar
from typing import Any, Callable, List, Optional, Tuple

from literal_sdk.context import (active_env_var, active_experiment_item_run_id_var,
                                 active_root_run_var, active_steps_var, active_thread_var)

_VARS: Tuple[ContextVar, ...] = (active_steps_var, active_thread_var, active_root_run_var,
                                 active_env_var, active_experiment_item_run_id_var)
MAX_GENERATOR_ITEMS = 1000


class _Activation:
    """Runs ``cm`` for a generator: entered on the first resume, context swapped per resume."""

    def __init__(self, cm: Any, on_enter: Optional[Callable[[Any], None]]):
        self.cm, self.on_enter = cm, on_enter
        self.values: Optional[List[Any]] = None
        self.tokens: list = []
        self.entered: Any = None

    def __enter__(self):
        if self.values is None:
            self.tokens = [var.set(var.get()) for var in _VARS]
            self.entered = self.cm.__enter__()
            if self.on_enter is not None:
                self.on_enter(self.entered)
        else:
            self.tokens = [var.set(value) for var, value in zip(_VARS, self.values)]
        return self.entered

    def __exit__(self, *exc):
        self.values = [var.get() for var in _VARS]
        for var, token in zip(reversed(_VARS), reversed(self.tokens)):
            var.reset(token)
        return False

    def finish(self, items: list, result: Any, exc: Optional[BaseException]) -> None:
        if self.values is None:  # never started: nothing to record
            return
        with self:
            if hasattr(self.entered, "output") and self.entered.output is None and exc is None:
                self.entered.output = generator_output(items, result)
            if exc is None:
                self.cm.__exit__(None, None, None)
            else:
                self.cm.__exit__(type(exc), exc, exc.__traceback__)


def generator_output(items: list, result: Any) -> dict:
    """What a decorated generator produced: joined text when it yielded strings."""
    if result is not None:
        return result if isinstance(result, dict) else {"content": result}
    if items and all(isinstance(i, str) for i in items):
        return {"content": "".join(items)}
    return {"content": items}


def _drive_sync(gen, act: _Activation):
    items: list = []
    method, arg = gen.send, None
    error: Optional[BaseException] = None
    result = None
    try:
        while True:
            with act:
                try:
                    item = method(arg)
                except StopIteration as stop:
                    result = stop.value
                    return result
            if len(items) < MAX_GENERATOR_ITEMS:
                items.append(item)
            try:
                arg = yield item
                method = gen.send
            except GeneratorExit:
                gen.close()
                raise
            except BaseException as exc:  # thrown in by the caller: forward to the generator
                method, arg = gen.throw, exc
    except GeneratorExit:
        raise
    except BaseException as exc:
        error = exc
        raise
    finally:
        act.finish(items, result, error)


async def _drive_async(agen, act: _Activation):
    items: list = []
    method, arg = agen.asend, None
    error: Optional[BaseException] = None
    try:
        while True:
            with act:
                try:
                    item = await method(arg)
                except StopAsyncIteration:
                    return
            if len(items) < MAX_GENERATOR_ITEMS:
                items.append(item)
            try:
                arg = yield item
                method = agen.asend
            except GeneratorExit:
                await agen.aclose()
                raise
            except BaseException as exc:
                method, arg = agen.athrow, exc
    except GeneratorExit:
        raise
    except BaseException as exc:
        error = exc
        raise
    finally:
        act.finish(items, None, error)


def decorate(func: Callable, make_cm: Callable[[tuple, dict], Any],
             on_enter: Optional[Callable[[Any, tuple, dict], None]] = None,
             on_result: Optional[Callable[[Any, Any], None]] = None) -> Callable:
    """Wrap ``func`` so each call runs inside ``make_cm(args, kwargs)``.

    ``on_enter(entered, args, kwargs)`` runs once the context is entered (input capture),
    ``on_result(entered, result)`` after a plain function returns (output capture).
    """
    if inspect.isasyncgenfunction(func) or inspect.isgeneratorfunction(func):
        drive = _drive_async if inspect.isasyncgenfunction(func) else _drive_sync

        @functools.wraps(func)
        def generator_wrapper(*args, **kwargs):
            hook = (lambda e: on_enter(e, args, kwargs)) if on_enter else None
            return drive(func(*args, **kwargs), _Activation(make_cm(args, kwargs), hook))
        return generator_wrapper
    if inspect.iscoroutinefunction(func):
        @functools.wraps(func)
        async def async_wrapper(*args, **kwargs):
            with make_cm(args, kwargs) as entered:
                if on_enter is not None:
                    on_enter(entered, args, kwargs)
                result = await func(*args, **kwargs)
                if on_result is not None:
                    on_result(entered, result)
                return result
        return async_wrapper

    @functools.wraps(func)
    def sync_wrapper(*args, **kwargs):
        with make_cm(args, kwargs) as entered:
            if on_enter is not None:
                on_enter(entered, args, kwargs)
            result = func(*args, **kwargs)
            if on_result is not None:
                on_result(entered, result)
            return result
    return sync_wrapper
