"""The asynchronous API client (``client.api`` of :class:`AsyncLiteralClient`)."""

import logging
from typing import Any, Dict, List, Optional

from literal_sdk.api import operations as ops
from literal_sdk.api import operations_eval as eops
from literal_sdk.api.base import BaseLiteralAPI

logger = logging.getLogger("literal_sdk")


class AsyncLiteralAPI(BaseLiteralAPI):
    """Same methods as :class:`LiteralAPI`, each returning an awaitable."""

    async def _run(self, op: ops.Op) -> Any:
        if self.disabled:
            return None
        body = await self.transport.agraphql(op.description, op.query, op.variables,
                                             timeout=op.timeout or 10)
        return op.parse(body)

    async def make_gql_call(self, description: str, query: str, variables: Dict, timeout: Optional[float] = 10):
        return await self.transport.agraphql(description, query, variables, timeout=timeout)

    async def make_rest_call(self, subpath: str, body: Dict) -> Dict:
        return await self.transport.arest(subpath, body)

    async def get_or_create_user(self, identifier: str, metadata: Optional[Dict] = None):
        return await self.get_user(identifier=identifier) or await self.create_user(identifier, metadata)

    async def create_scores(self, scores: List[Dict]):
        if not scores:
            return []
        return await self._run(ops.create_scores(scores))

    async def upload_file(self, content: Any, thread_id: Optional[str] = None,
                          mime: Optional[str] = "application/octet-stream") -> Dict:
        import httpx
        file_id, body = self._new_upload_body(thread_id, mime)
        async with httpx.AsyncClient(follow_redirects=True) as client:
            response = await client.post(self.rest_endpoint + "/upload/file", json=body, headers=self.headers,
                                         timeout=20)
            if response.status_code >= 400:
                logger.error("Failed to sign upload url: %s", response.text)
                return {"object_key": None, "url": None}
            plan = self._upload_plan(response.json(), file_id, content, mime)
            upload = await client.request(plan["method"], plan["url"], headers=plan["headers"],
                                          content=plan.get("content"), data=plan.get("data"),
                                          files=plan.get("files"), timeout=60)
        if upload.status_code >= 300:
            logger.error("Failed to upload file: %s", upload.text)
            return {"object_key": None, "url": None}
        return {"object_key": plan["object_key"], "url": plan["signed_url"]}

    async def create_attachment(self, thread_id: Optional[str] = None, step_id: Optional[str] = None,
                                id: Optional[str] = None, metadata: Optional[Dict] = None,
                                mime: Optional[str] = None, name: Optional[str] = None,
                                object_key: Optional[str] = None, url: Optional[str] = None,
                                content: Any = None, path: Optional[str] = None):
        op, content, mime, thread_id = self._attachment_request(thread_id, step_id, id, metadata, mime, name,
                                                                object_key, url, content, path)
        if self.disabled:
            return None
        if content:
            uploaded = await self.upload_file(content=content, thread_id=thread_id, mime=mime)
            if uploaded["object_key"] is None or uploaded["url"] is None:
                raise RuntimeError("Failed to upload file")
            op.variables["objectKey"] = uploaded["object_key"]
        return await self._run(op)

    async def get_dataset(self, id: Optional[str] = None, name: Optional[str] = None):
        body = eops.dataset_export_body(id, name)
        if self.disabled:
            return None
        return eops.parse_dataset_export(self, await self.transport.arest("/export/dataset", body))

    async def create_experiment_item(self, experiment_item):
        created = await self._run(eops.create_experiment_item(experiment_item))
        if created is None:
            return None
        created.scores = await self.create_scores(eops.experiment_item_scores(experiment_item, created.id))
        return created

    async def get_or_create_prompt(self, name: str, template_messages: List[Dict],
                                   settings: Optional[Dict] = None, tools: Optional[List[Dict]] = None):
        lineage = await self.get_or_create_prompt_lineage(name)
        if lineage is None:
            return None
        return await self._run(eops.create_prompt_version(self, lineage["id"], template_messages, settings, tools))

    create_prompt = get_or_create_prompt

    async def get_prompt(self, id: Optional[str] = None, name: Optional[str] = None,
                         version: Optional[int] = None):
        if not (id or name):
            raise ValueError("At least the `id` or the `name` must be provided.")
        cached = self.cache.get(eops.prompt_cache_key(id, name, version))
        try:
            prompt = await self._run(eops.get_prompt(self, id, name, version, timeout=1 if cached else 10))
        except Exception:
            if cached is not None:
                logger.warning("Failed to get prompt from API, returning cached prompt")
                return cached
            raise
        if prompt is not None:
            self.cache.put(prompt)
        return prompt

    async def create_prompt_variant(self, name: str, template_messages: List[Dict],
                                    settings: Optional[Dict] = None, tools: Optional[List[Dict]] = None):
        lineage = await self._run(eops.get_prompt_lineage(name))
        lineage_id = lineage["id"] if lineage else None
        return await self._run(eops.create_prompt_variant(lineage_id, template_messages, settings, tools))

    async def get_my_project_id(self) -> Optional[str]:
        if self.disabled:
            return None
        return (await self.transport.arest("/my-project", {}))["projectId"]
