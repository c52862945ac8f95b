"""The API methods shared by the sync and async clients.

Each method builds an ``Op`` and hands it to ``self._run``: the sync class returns the result,
the async class returns an awaitable of it. Only calls made of several requests (get-or-create,
uploads, cached prompts) are written per class.
"""

import mimetypes
import uuid
from typing import Any, Dict, List, Optional, Tuple

from literal_sdk.api import operations as ops
from literal_sdk.api import operations_eval as eops
from literal_sdk.api.transport import Transport
from literal_sdk.context import active_steps_var, active_thread_var


class PromptCache:
    """Process-wide cache of fetched prompts, used when the server cannot be reached."""

    _prompts: Dict[str, Any] = {}

    def get(self, key: str) -> Any:
        return self._prompts.get(key)

    def put(self, prompt: Any) -> None:
        for key in eops.prompt_cache_keys(prompt):
            self._prompts[key] = prompt

    def clear(self) -> None:
        self._prompts.clear()


class BaseLiteralAPI:
    def __init__(self, api_key: Optional[str] = None, url: Optional[str] = None,
                 environment: Optional[str] = None, disabled: bool = False):
        if api_key is None:
            raise ValueError("LITERAL_API_KEY not set")
        if url is None:
            raise ValueError("LITERAL_API_URL not set")
        self.transport = Transport(api_key, url, environment)
        self.api_key, self.url = api_key, self.transport.url
        self.graphql_endpoint, self.rest_endpoint = self.transport.graphql_endpoint, self.transport.rest_endpoint
        self.disabled = disabled
        self.cache = PromptCache()

    @property
    def headers(self) -> Dict[str, str]:
        return self.transport.headers()

    def _run(self, op: ops.Op) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    # users
    def get_users(self, first=None, after=None, before=None, filters=None):
        return self._run(ops.get_users(first, after, before, filters))

    def get_user(self, id: Optional[str] = None, identifier: Optional[str] = None):
        return self._run(ops.get_user(id, identifier))

    def create_user(self, identifier: str, metadata: Optional[Dict] = None):
        return self._run(ops.create_user(identifier, metadata))

    def update_user(self, id: str, identifier: Optional[str] = None, metadata: Optional[Dict] = None):
        return self._run(ops.update_user(id, identifier, metadata))

    def delete_user(self, id: str):
        return self._run(ops.delete_user(id))

    # threads
    def get_threads(self, first=None, after=None, before=None, filters=None, order_by=None,
                    step_types_to_keep=None):
        return self._run(ops.get_threads(first, after, before, filters, order_by, step_types_to_keep))

    def list_threads(self, first=None, after=None, before=None, filters=None, order_by=None):
        return self._run(ops.list_threads(first, after, before, filters, order_by))

    def get_thread(self, id: str):
        return self._run(ops.get_thread(id))

    def create_thread(self, name=None, metadata=None, participant_id=None, tags=None):
        return self._run(ops.create_thread(name, metadata, participant_id, tags))

    def upsert_thread(self, id: str, name=None, metadata=None, participant_id=None, tags=None):
        return self._run(ops.upsert_thread(id, name, metadata, participant_id, tags))

    def update_thread(self, id: str, name=None, metadata=None, participant_id=None, tags=None):
        return self._run(ops.upsert_thread(id, name, metadata, participant_id, tags, update=True))

    def delete_thread(self, id: str):
        return self._run(ops.delete_thread(id))

    # scores
    def get_scores(self, first=None, after=None, before=None, filters=None, order_by=None):
        return self._run(ops.get_scores(first, after, before, filters, order_by))

    def create_score(self, name: str, value: float, type: str, step_id: Optional[str] = None,
                     generation_id: Optional[str] = None, dataset_experiment_item_id: Optional[str] = None,
                     comment: Optional[str] = None, tags: Optional[List[str]] = None):
        return self._run(ops.create_score(name, value, type, step_id or generation_id,
                                          dataset_experiment_item_id, comment, tags))

    def update_score(self, id: str, update_params: Dict):
        return self._run(ops.update_score(id, update_params))

    def delete_score(self, id: str):
        return self._run(ops.delete_score(id))

    # attachments
    def update_attachment(self, id: str, update_params: Dict):
        return self._run(ops.update_attachment(id, update_params))

    def get_attachment(self, id: str):
        return self._run(ops.get_attachment(id))

    def delete_attachment(self, id: str):
        return self._run(ops.delete_attachment(id))

    # steps and generations
    def create_step(self, thread_id=None, type="undefined", start_time=None, end_time=None, input=None,
                    output=None, metadata=None, parent_id=None, name=None, tags=None, root_run_id=None):
        return self._run(ops.create_step(thread_id, type, start_time, end_time, input, output, metadata,
                                         parent_id, name, tags, root_run_id))

    def update_step(self, id: str, type=None, input=None, output=None, metadata=None, name=None, tags=None,
                    start_time=None, end_time=None, parent_id=None):
        return self._run(ops.update_step(id, type, input, output, metadata, name, tags, start_time, end_time,
                                         parent_id))

    def get_steps(self, first=None, after=None, before=None, filters=None, order_by=None):
        return self._run(ops.get_steps(first, after, before, filters, order_by))

    def get_step(self, id: str):
        return self._run(ops.get_step(id))

    def delete_step(self, id: str):
        return self._run(ops.delete_step(id))

    def send_steps(self, steps: List[Any]):
        return self._run(ops.send_steps(steps))

    def get_generations(self, first=None, after=None, before=None, filters=None, order_by=None):
        return self._run(ops.get_generations(first, after, before, filters, order_by))

    def create_generation(self, generation):
        return self._run(ops.create_generation(generation))

    # datasets and experiments
    def create_dataset(self, name: str, description=None, metadata=None, type="key_value"):
        return self._run(eops.create_dataset(self, name, description, metadata, type))

    def update_dataset(self, id: str, name=None, description=None, metadata=None):
        return self._run(eops.update_dataset(self, id, name, description, metadata))

    def delete_dataset(self, id: str):
        return self._run(eops.delete_dataset(self, id))

    def create_experiment(self, name: str, dataset_id=None, prompt_variant_id=None, params=None):
        return self._run(eops.create_experiment(self, name, dataset_id, prompt_variant_id, params))

    def create_dataset_item(self, dataset_id: str, input: Dict, expected_output=None, metadata=None):
        return self._run(eops.create_dataset_item(dataset_id, input, expected_output, metadata))

    def get_dataset_item(self, id: str):
        return self._run(eops.get_dataset_item(id))

    def delete_dataset_item(self, id: str):
        return self._run(eops.delete_dataset_item(id))

    def add_step_to_dataset(self, dataset_id: str, step_id: str, metadata=None):
        return self._run(eops.add_step_to_dataset(dataset_id, step_id, metadata))

    def add_generation_to_dataset(self, dataset_id: str, generation_id: str, metadata=None):
        return self._run(eops.add_generation_to_dataset(dataset_id, generation_id, metadata))

    # prompts
    def get_or_create_prompt_lineage(self, name: str, description: Optional[str] = None):
        return self._run(eops.create_prompt_lineage(name, description))

    create_prompt_lineage = get_or_create_prompt_lineage

    def get_prompt_ab_testing(self, name: str):
        return self._run(eops.get_prompt_ab_testing(name))

    def update_prompt_ab_testing(self, name: str, rollouts: List[Dict]):
        return self._run(eops.update_prompt_ab_testing(name, rollouts))

    # helpers for the composite calls
    def _attachment_request(self, thread_id, step_id, id, metadata, mime, name, object_key, url, content,
                            path) -> Tuple[ops.Op, Any, Optional[str], Optional[str]]:
        """The createAttachment op plus the content still to upload (and its mime/thread)."""
        thread_id = thread_id or getattr(active_thread_var.get(), "id", None)
        if not step_id:
            stack = active_steps_var.get()
            if not stack:
                raise ValueError("No step_id provided and no active step found.")
            step_id = stack[-1].id
            thread_id = thread_id or stack[-1].thread_id
        if not content and not url and not path:
            raise ValueError("Either content, path or attachment url must be provided")
        if sum(bool(x) for x in (content, url, path)) > 1:
            raise ValueError("Only one of content, path and attachment url must be provided")
        if path:
            with open(path, "rb") as f:
                content = f.read()
            name = name or path.replace("\\", "/").split("/")[-1]
            mime = mime or mimetypes.guess_type(path)[0] or "application/octet-stream"
        if not name:
            raise ValueError("Attachment name must be provided")
        op = ops.create_attachment(step_id, thread_id, id, metadata, mime, name, object_key, url)
        return op, content, mime, thread_id

    @staticmethod
    def _upload_plan(signed: Dict, file_id: str, content: Any, mime: Optional[str]) -> Dict:
        """How to upload ``content`` given the server's signing response (§ upload protocol)."""
        method = "put" if "put" in signed else "post"
        request = signed.get(method) or {}
        if not request.get("url"):
            raise ValueError("Invalid server response")
        fields = request.get("fields") or {}
        plan: Dict[str, Any] = {"method": method.upper(), "url": request["url"], "headers": request.get("headers"),
                                "object_key": fields.get("key"), "signed_url": signed.get("signedUrl")}
        if request.get("uploadType", "multipart") == "raw":
            plan["content"] = content.encode() if isinstance(content, str) else content
        else:
            plan["data"] = {k: str(v) for k, v in fields.items()}
            plan["files"] = {"file": (file_id, content, mime)}
        return plan

    @staticmethod
    def _new_upload_body(thread_id: Optional[str], mime: Optional[str]) -> Tuple[str, Dict]:
        file_id = str(uuid.uuid4())
        body = {"fileName": file_id, "contentType": mime}
        if thread_id:
            body["threadId"] = thread_id
        return file_id, body
