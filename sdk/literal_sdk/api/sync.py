"""The synchronous API client (``client.api`` of :class:`LiteralClient`)."""

import logging
from typing import Any, Dict, List, Optional

from literal_sdk.api import operations as ops
from literal_sdk.api import operations_eval as eops
from literal_sdk.api.base import BaseLiteralAPI

logger = logging.getLogger("literal_sdk")


class LiteralAPI(BaseLiteralAPI):
    """Every server call, returning typed objects. A disabled client returns ``None``."""

    def _run(self, op: ops.Op) -> Any:
        if self.disabled:
            return None
        body = self.transport.graphql(op.description, op.query, op.variables, timeout=op.timeout)
        return op.parse(body)

    def make_gql_call(self, description: str, query: str, variables: Dict, timeout: Optional[float] = 10) -> Dict:
        """A raw GraphQL call (escape hatch for documents the SDK does not wrap)."""
        return self.transport.graphql(description, query, variables, timeout=timeout)

    def make_rest_call(self, subpath: str, body: Dict) -> Dict:
        return self.transport.rest(subpath, body)

    def get_or_create_user(self, identifier: str, metadata: Optional[Dict] = None):
        return self.get_user(identifier=identifier) or self.create_user(identifier, metadata)

    def create_scores(self, scores: List[Dict]):
        if not scores:
            return []
        return self._run(ops.create_scores(scores))

    def upload_file(self, content: Any, thread_id: Optional[str] = None,
                    mime: Optional[str] = "application/octet-stream") -> Dict:
        """Upload ``content`` through the server's signed-URL flow: ``{object_key, url}``."""
        file_id, body = self._new_upload_body(thread_id, mime)
        client = self.transport.client
        response = client.post(self.rest_endpoint + "/upload/file", json=body, headers=self.headers, timeout=20)
        if response.status_code >= 400:
            logger.error("Failed to sign upload url: %s", response.text)
            return {"object_key": None, "url": None}
        plan = self._upload_plan(response.json(), file_id, content, mime)
        upload = client.request(plan["method"], plan["url"], headers=plan["headers"], content=plan.get("content"),
                                data=plan.get("data"), files=plan.get("files"), timeout=60)
        if upload.status_code >= 300:
            logger.error("Failed to upload file: %s", upload.text)
            return {"object_key": None, "url": None}
        return {"object_key": plan["object_key"], "url": plan["signed_url"]}

    def create_attachment(self, thread_id: Optional[str] = None, step_id: Optional[str] = None,
                          id: Optional[str] = None, metadata: Optional[Dict] = None, mime: Optional[str] = None,
                          name: Optional[str] = None, object_key: Optional[str] = None, url: Optional[str] = None,
                          content: Any = None, path: Optional[str] = None):
        """Attach a file (``content``, ``path`` or ``url``) to a step, by default the current one."""
        op, content, mime, thread_id = self._attachment_request(thread_id, step_id, id, metadata, mime, name,
                                                                object_key, url, content, path)
        if self.disabled:
            return None
        if content:
            uploaded = self.upload_file(content=content, thread_id=thread_id, mime=mime)
            if uploaded["object_key"] is None or uploaded["url"] is None:
                raise RuntimeError("Failed to upload file")
            op.variables["objectKey"] = uploaded["object_key"]
        return self._run(op)

    def get_dataset(self, id: Optional[str] = None, name: Optional[str] = None):
        body = eops.dataset_export_body(id, name)
        if self.disabled:
            return None
        return eops.parse_dataset_export(self, self.transport.rest("/export/dataset", body))

    def create_experiment_item(self, experiment_item):
        created = self._run(eops.create_experiment_item(experiment_item))
        if created is None:
            return None
        created.scores = self.create_scores(eops.experiment_item_scores(experiment_item, created.id))
        return created

    def get_or_create_prompt(self, name: str, template_messages: List[Dict], settings: Optional[Dict] = None,
                             tools: Optional[List[Dict]] = None):
        lineage = self.get_or_create_prompt_lineage(name)
        if lineage is None:
            return None
        return self._run(eops.create_prompt_version(self, lineage["id"], template_messages, settings, tools))

    create_prompt = get_or_create_prompt

    def get_prompt(self, id: Optional[str] = None, name: Optional[str] = None, version: Optional[int] = None):
        """A prompt version by id, or by name (and version; else the rollout's pick). Falls back to
        the last fetched copy when the server cannot answer."""
        if not (id or name):
            raise ValueError("At least the `id` or the `name` must be provided.")
        cached = self.cache.get(eops.prompt_cache_key(id, name, version))
        try:
            prompt = self._run(eops.get_prompt(self, id, name, version, timeout=1 if cached else 10))
        except Exception:
            if cached is not None:
                logger.warning("Failed to get prompt from API, returning cached prompt")
                return cached
            raise
        if prompt is not None:
            self.cache.put(prompt)
        return prompt

    def create_prompt_variant(self, name: str, template_messages: List[Dict], settings: Optional[Dict] = None,
                              tools: Optional[List[Dict]] = None) -> Optional[str]:
        lineage = self._run(eops.get_prompt_lineage(name))
        lineage_id = lineage["id"] if lineage else None
        return self._run(eops.create_prompt_variant(lineage_id, template_messages, settings, tools))

    def get_my_project_id(self) -> Optional[str]:
        if self.disabled:
            return None
        return self.transport.rest("/my-project", {})["projectId"]
