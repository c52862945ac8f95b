"""``LiteralClient`` / ``AsyncLiteralClient``: logging (steps, threads, messages), the event
processor that delivers it, and ``client.api`` for everything else."""

import os
from typing import Any, Callable, Dict, List, Optional

from literal_sdk.api import AsyncLiteralAPI, LiteralAPI
from literal_sdk.api.transport import Transport
from literal_sdk.context import (active_env_var, active_experiment_item_run_id_var,
                                 active_root_run_var, active_steps_var, active_thread_var)
from literal_sdk.event_processor import EventProcessor
from literal_sdk.message import Message
from literal_sdk.scopes import (EnvContextManager, ExperimentItemRunContextManager, StepContextManager,
                                ThreadContextManager, step_decorator, thread_decorator)
from literal_sdk.step import Attachment, MessageStepType, Step, TrueStepType
from literal_sdk.thread import Thread

DEFAULT_URL = "https://cloud.getliteral.ai"


class BaseLiteralClient:
    """Shared by the sync and async clients (only ``api`` and ``flush`` differ)."""

    api: Any
    global_metadata: Optional[Dict[str, str]] = None

    def __init__(self, batch_size: int = 5, is_async: bool = False, api_key: Optional[str] = None,
                 url: Optional[str] = None, environment: Optional[str] = None, disabled: bool = False,
                 release: Optional[str] = None, max_queue_size: int = 10_000):
        api_key = api_key or os.getenv("LITERAL_API_KEY")
        if not api_key and not disabled:
            raise ValueError("LITERAL_API_KEY not provided")
        api_key = api_key or "disabled"
        url = url or os.getenv("LITERAL_API_URL") or DEFAULT_URL
        api_class = AsyncLiteralAPI if is_async else LiteralAPI
        self.api = api_class(api_key=api_key, url=url, environment=environment, disabled=disabled)
        self.disabled = disabled
        self.environment_name = environment
        self.event_processor = EventProcessor(Transport(api_key, url, environment), batch_size=batch_size,
                                              disabled=disabled, max_queue_size=max_queue_size)
        if release and release.strip():
            self.global_metadata = {"release": release.strip()}

    def to_sync(self) -> "LiteralClient":
        """A sync client sharing this one's event processor (for sync-only integrations)."""
        if isinstance(self.api, LiteralAPI):
            return self  # type: ignore[return-value]
        sync = LiteralClient.__new__(LiteralClient)
        sync.__dict__.update(self.__dict__)
        sync.api = LiteralAPI(api_key=self.api.api_key, url=self.api.url, environment=self.environment_name,
                              disabled=self.disabled)
        return sync

    def set_preprocess_steps_function(self, function: Optional[Callable[[List[Dict]], List[Dict]]]) -> None:
        """Rewrite each batch of steps before sending (e.g. PII removal); runs in the sender thread."""
        self.event_processor.set_preprocess_steps_function(function)

    def instrument_openai(self) -> None:
        """Log every OpenAI chat, completion and image call (sync, async, streamed)."""
        from literal_sdk.instrumentation.openai import instrument_openai
        instrument_openai(self)

    # logging ---------------------------------------------------------------------------------
    def thread(self, original_function: Optional[Callable] = None, *, thread_id: Optional[str] = None,
               name: Optional[str] = None, **kwargs: Any):
        """A thread as a decorator or a (async) context manager; upserted when it closes."""
        if original_function is not None:
            return thread_decorator(self, original_function, thread_id=thread_id, name=name, **kwargs)
        return ThreadContextManager(self, thread_id=thread_id, name=name, **kwargs)

    def step(self, original_function: Optional[Callable] = None, *, name: str = "",
             type: TrueStepType = "undefined", id: Optional[str] = None, parent_id: Optional[str] = None,
             thread_id: Optional[str] = None, root_run_id: Optional[str] = None, **kwargs: Any):
        """A step as a decorator (sync/async functions and generators) or a context manager."""
        if original_function is not None:
            return step_decorator(self, original_function, name=name, type=type, id=id, parent_id=parent_id,
                                  thread_id=thread_id, root_run_id=root_run_id, **kwargs)
        return StepContextManager(self, name=name, type=type, id=id, parent_id=parent_id, thread_id=thread_id,
                                  root_run_id=root_run_id, **kwargs)

    def run(self, original_function: Optional[Callable] = None, *, name: str = "", id: Optional[str] = None,
            parent_id: Optional[str] = None, thread_id: Optional[str] = None, root_run_id: Optional[str] = None,
            **kwargs: Any):
        """A step of type ``run`` (the first one in a context becomes the root run)."""
        return self.step(original_function, name=name, type="run", id=id, parent_id=parent_id,
                         thread_id=thread_id, root_run_id=root_run_id, **kwargs)

    def message(self, content: str = "", id: Optional[str] = None, parent_id: Optional[str] = None,
                type: Optional[MessageStepType] = "assistant_message", name: Optional[str] = None,
                thread_id: Optional[str] = None, attachments: Optional[List[Attachment]] = None,
                tags: Optional[List[str]] = None, metadata: Optional[Dict] = None,
                root_run_id: Optional[str] = None) -> Message:
        """Log a conversation message in the current thread/step right away."""
        metadata = dict(metadata or {})
        if self.global_metadata:
            metadata.update(self.global_metadata)
        message = Message(name=name, id=id, parent_id=parent_id, thread_id=thread_id, type=type,
                          content=content, attachments=attachments, tags=tags, metadata=metadata,
                          processor=self.event_processor, root_run_id=root_run_id)
        message.end()
        return message

    def environment(self, original_function: Optional[Callable] = None, env: str = "prod", **kwargs: Any):
        """Logs made inside carry environment ``env``."""
        manager = EnvContextManager(self, env=env)
        return manager(original_function) if original_function is not None else manager

    def experiment_item_run(self, original_function: Optional[Callable] = None, **kwargs: Any):
        """An experiment run step; ``experiment.log()`` inside links items to it."""
        manager = ExperimentItemRunContextManager(self)
        return manager(original_function) if original_function is not None else manager

    def start_step(self, name: str = "", type: Optional[TrueStepType] = None, id: Optional[str] = None,
                   parent_id: Optional[str] = None, thread_id: Optional[str] = None,
                   root_run_id: Optional[str] = None, **kwargs: Any) -> Step:
        """Start a step in the current context; call ``.end()`` on it to log it."""
        step = Step(name=name, type=type, id=id, parent_id=parent_id, thread_id=thread_id,
                    processor=self.event_processor, root_run_id=root_run_id, **kwargs)
        if self.global_metadata:
            step.metadata = {**(step.metadata or {}), **self.global_metadata}
        step.start()
        return step

    def get_current_step(self) -> Optional[Step]:
        stack = active_steps_var.get()
        return stack[-1] if stack else None

    def get_current_thread(self) -> Optional[Thread]:
        return active_thread_var.get()

    def get_current_root_run(self) -> Optional[Step]:
        return active_root_run_var.get()

    def reset_context(self) -> None:
        """Forget the current steps, thread, root run and environment in this context."""
        active_steps_var.set(())
        active_thread_var.set(None)
        active_root_run_var.set(None)
        active_env_var.set(None)
        active_experiment_item_run_id_var.set(None)

    def _queue_thread(self, thread: Thread) -> None:
        """Queue the upsert of a thread closed by ``client.thread`` (sent after its steps)."""
        if self.disabled:
            return
        payload: Dict[str, Any] = {"id": thread.id}
        if thread.name is not None:
            payload["name"] = thread.name
        metadata = {**(self.global_metadata or {}), **(thread.metadata or {})}
        if metadata:
            payload["metadata"] = metadata
        if thread.tags:
            payload["tags"] = thread.tags
        if thread.participant_id:
            payload["participantId"] = thread.participant_id
        self.event_processor.add_thread(payload)

    def flush_and_stop(self, timeout: Optional[float] = None) -> bool:
        """Deliver everything queued, then stop the background sender."""
        return self.event_processor.flush_and_stop(timeout)


class LiteralClient(BaseLiteralClient):
    """Synchronous client. ``client.api`` calls block; logging never does."""

    api: LiteralAPI

    def __init__(self, batch_size: int = 5, api_key: Optional[str] = None, url: Optional[str] = None,
                 environment: Optional[str] = None, disabled: bool = False, release: Optional[str] = None,
                 max_queue_size: int = 10_000):
        super().__init__(batch_size=batch_size, is_async=False, api_key=api_key, url=url, disabled=disabled,
                         environment=environment, release=release, max_queue_size=max_queue_size)

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Wait until every log made so far is delivered; False if ``timeout`` passes first."""
        return self.event_processor.flush(timeout)


class AsyncLiteralClient(BaseLiteralClient):
    """Asynchronous client: ``client.api`` methods are coroutines, ``flush`` is awaitable."""

    api: AsyncLiteralAPI

    def __init__(self, batch_size: int = 5, api_key: Optional[str] = None, url: Optional[str] = None,
                 environment: Optional[str] = None, disabled: bool = False, release: Optional[str] = None,
                 max_queue_size: int = 10_000):
        super().__init__(batch_size=batch_size, is_async=True, api_key=api_key, url=url, disabled=disabled,
                         environment=environment, release=release, max_queue_size=max_queue_size)

    async def flush(self, timeout: Optional[float] = None) -> bool:
        return await self.event_processor.aflush(timeout)
