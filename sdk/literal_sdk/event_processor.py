"""Background delivery of steps and threads: batched, retried, bounded, never in the way.

``add_event`` only appends to a bounded deque (the oldest event is dropped, and counted, when the
server has been unreachable for long enough to fill it). A daemon thread sends batches of up to
``batch_size`` events as one GraphQL request; network errors, 429 and 5xx are retried with
exponential backoff for as long as it takes, other errors once, then event by event so one bad
event never sinks the others. Nothing here raises into, or waits for, the caller, except the
explicit ``flush`` family.
"""

import atexit
import logging
import os
import threading
import time
import weakref
from collections import deque
from typing import Callable, Deque, List, Optional, Tuple

from literal_sdk.api.batch import Event, build_batch
from literal_sdk.api.transport import LiteralAPIError, Transport
from literal_sdk.context import active_env_var

logger = logging.getLogger("literal_sdk")
Preprocess = Callable[[List[dict]], List[dict]]


class EventProcessor:
    def __init__(self, transport: Transport, batch_size: int = 5, disabled: bool = False,
                 preprocess_steps_function: Optional[Preprocess] = None, max_queue_size: int = 10_000,
                 flush_interval: float = 0.5, max_backoff: float = 5.0, request_timeout: float = 30.0,
                 max_batch_size: int = 50):
        self.transport = transport
        self.batch_size = max(1, batch_size)
        # a batch is sent once batch_size events wait; a backlog goes out max_batch_size at a time
        self.max_batch_size = max(self.batch_size, max_batch_size)
        self.disabled = disabled
        self.preprocess_steps_function = preprocess_steps_function
        self.max_queue_size, self.flush_interval = max_queue_size, flush_interval
        self.max_backoff, self.request_timeout = max_backoff, request_timeout
        self.dropped_events = 0
        self.failed_events = 0
        self._queue: Deque[Tuple[str, dict, Optional[str]]] = deque()
        self._cond = threading.Condition()
        self._in_flight = 0
        self._flush_waiters = 0
        self._stopping = False
        self._thread: Optional[threading.Thread] = None

    def set_preprocess_steps_function(self, function: Optional[Preprocess]) -> None:
        """Rewrite each batch of step dicts before it is sent (e.g. PII redaction)."""
        self.preprocess_steps_function = function

    def add_event(self, event: dict) -> None:
        """Queue a step dict for delivery."""
        self._add("step", event)

    async def a_add_events(self, event: dict) -> None:
        self._add("step", event)

    def add_thread(self, thread: dict) -> None:
        """Queue an ``upsertThread`` for delivery after the steps queued before it."""
        self._add("thread", thread)

    def _add(self, kind: str, payload: dict) -> None:
        if self.disabled:
            return
        env = active_env_var.get() or self.transport.environment or os.environ.get("LITERAL_ENV") or None
        with self._cond:
            if len(self._queue) >= self.max_queue_size:
                self._queue.popleft()
                self.dropped_events += 1
                if self.dropped_events == 1 or self.dropped_events % 1000 == 0:
                    logger.warning("literal_sdk: queue full (%d events), dropped %d oldest so far",
                                   self.max_queue_size, self.dropped_events)
            self._queue.append((kind, payload, env))
            self._cond.notify_all()
        if self._thread is None:
            self._start()

    def _start(self) -> None:
        with self._cond:
            if self._thread is not None:
                return
            self._thread = threading.Thread(target=self._run, name="literal-sdk-events", daemon=True)
            self._thread.start()
        atexit.register(_flush_at_exit, weakref.ref(self))

    @property
    def pending(self) -> int:
        """Events queued or being sent."""
        with self._cond:
            return len(self._queue) + self._in_flight

    def _next_batch(self) -> Optional[Tuple[List[Event], Optional[str]]]:
        with self._cond:
            while not self._queue and not self._stopping:
                self._cond.wait()
            if not self._queue:
                return None
            deadline = time.monotonic() + self.flush_interval
            while len(self._queue) < self.batch_size and not self._stopping and not self._flush_waiters:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not self._cond.wait(remaining):
                    break
            env = self._queue[0][2]
            batch: List[Event] = []
            while self._queue and len(batch) < self.max_batch_size and self._queue[0][2] == env:
                kind, payload, _ = self._queue.popleft()
                batch.append((kind, payload))
            self._in_flight = len(batch)
            return batch, env

    def _run(self) -> None:
        while True:
            item = self._next_batch()
            if item is None:
                return
            try:
                self._deliver(*item)
            except Exception:  # never let the worker die
                logger.exception("literal_sdk: unexpected error while sending events")
            with self._cond:
                self._in_flight = 0
                self._cond.notify_all()

    def _preprocess(self, batch: List[Event]) -> List[Event]:
        if self.preprocess_steps_function is None:
            return batch
        steps = [payload for kind, payload in batch if kind == "step"]
        try:
            processed = self.preprocess_steps_function(steps)
        except Exception:
            logger.exception("literal_sdk: preprocess function failed; sending the original steps")
            return batch
        if not isinstance(processed, list):
            logger.warning("literal_sdk: preprocess function returned %r; using the original steps", processed)
            return batch
        return [("step", s) for s in processed] + [e for e in batch if e[0] != "step"]

    def _deliver(self, batch: List[Event], env: Optional[str]) -> None:
        batch = self._preprocess(batch)
        if not batch:
            return
        delay, attempt = 0.2, 0
        while True:
            try:
                self._send(batch, env)
                return
            except Exception as exc:
                if _is_transient(exc):
                    if attempt == 0:
                        logger.warning("literal_sdk: server unreachable (%s); retrying", exc)
                    attempt += 1
                    time.sleep(delay)
                    delay = min(delay * 2, self.max_backoff)
                    continue
                if attempt == 0 and len(batch) == 1:
                    attempt += 1  # ingestion is idempotent: one plain retry
                    time.sleep(delay)
                    continue
                if len(batch) > 1:
                    for event in batch:  # isolate the bad event(s)
                        self._deliver([event], env)
                    return
                self.failed_events += 1
                logger.error("literal_sdk: dropping a %s the server rejected: %s", batch[0][0], exc)
                return

    def _send(self, batch: List[Event], env: Optional[str]) -> None:
        query, variables = build_batch(batch)
        body = self.transport.graphql("send steps", query, variables, timeout=self.request_timeout,
                                      env=env, check_ok=False)
        for alias, value in (body.get("data") or {}).items():
            if isinstance(value, dict) and value.get("ok") is False:
                self.failed_events += 1
                logger.error("literal_sdk: the server rejected %s: %s", alias, value.get("message"))

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Wait until every queued event is delivered (or dropped); False on timeout."""
        if self._thread is None:
            return True
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flush_waiters += 1
            self._cond.notify_all()
            try:
                while self._queue or self._in_flight:
                    remaining = None if deadline is None else deadline - time.monotonic()
                    if remaining is not None and remaining <= 0:
                        return False
                    self._cond.wait(remaining if remaining is not None else 0.5)
                return True
            finally:
                self._flush_waiters -= 1

    async def aflush(self, timeout: Optional[float] = None) -> bool:
        """``flush`` for async code: polls without blocking the event loop."""
        import asyncio

        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._flush_waiters += 1
            self._cond.notify_all()
        try:
            while self.pending:
                if deadline is not None and time.monotonic() >= deadline:
                    return False
                await asyncio.sleep(0.02)
            return True
        finally:
            with self._cond:
                self._flush_waiters -= 1

    def flush_and_stop(self, timeout: Optional[float] = None) -> bool:
        """Deliver what is queued, then stop the background thread."""
        delivered = self.flush(timeout)
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        return delivered


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, LiteralAPIError):
        return exc.transient
    try:
        import httpx
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, (httpx.TransportError, OSError))


def _flush_at_exit(ref: "weakref.ref[EventProcessor]") -> None:
    processor = ref()
    if processor is not None and not processor._stopping:
        processor.flush(timeout=float(os.environ.get("LITERAL_SDK_EXIT_FLUSH_TIMEOUT", "5")))
