"""Dataset, experiment and prompt calls as ``Op`` values (see ``operations``)."""

import logging
from typing import Any, Dict, List, Optional

from literal_sdk.api import gql_eval as ge
from literal_sdk.api.operations import Op, _root
from literal_sdk.dataset import Dataset, DatasetExperiment, DatasetExperimentItem, DatasetItem
from literal_sdk.prompt import Prompt

logger = logging.getLogger("literal_sdk")


def _warn_deleted(lineage: Optional[Dict], name: Optional[str]) -> None:
    if lineage and lineage.get("deletedAt"):
        logger.warning("Prompt %s was deleted - please update any references to use an active prompt",
                       name or lineage.get("name"))


def create_dataset(api, name, description=None, metadata=None, type="key_value") -> Op:
    return Op("create dataset", ge.CREATE_DATASET,
              {"name": name, "description": description, "metadata": metadata, "type": type},
              _root("createDataset", lambda d: Dataset.from_dict(api, d)))


def update_dataset(api, id, name=None, description=None, metadata=None) -> Op:
    variables = {k: v for k, v in {"id": id, "name": name, "description": description,
                                   "metadata": metadata}.items() if v is not None}
    return Op("update dataset", ge.UPDATE_DATASET, variables, _root("updateDataset", lambda d: Dataset.from_dict(api, d)))


def delete_dataset(api, id) -> Op:
    return Op("delete dataset", ge.DELETE_DATASET, {"id": id}, _root("deleteDataset", lambda d: Dataset.from_dict(api, d)))


def dataset_export_body(id=None, name=None) -> Dict:
    if not id and not name:
        raise ValueError("id or name must be provided")
    return {k: v for k, v in {"id": id, "name": name}.items() if v}


def parse_dataset_export(api, body: Dict) -> Optional[Dataset]:
    data = body.get("data")
    return Dataset.from_dict(api, data) if data else None


def create_experiment(api, name, dataset_id=None, prompt_variant_id=None, params=None) -> Op:
    variables = {"name": name, "datasetId": dataset_id, "promptExperimentId": prompt_variant_id, "params": params}
    return Op("create dataset experiment", ge.CREATE_EXPERIMENT, variables,
              _root("createDatasetExperiment", lambda d: DatasetExperiment.from_dict(api, d)))


def create_experiment_item(item: DatasetExperimentItem) -> Op:
    variables = {"datasetExperimentId": item.dataset_experiment_id, "experimentRunId": item.experiment_run_id,
                 "datasetItemId": item.dataset_item_id, "input": item.input, "output": item.output}
    return Op("create dataset experiment item", ge.CREATE_EXPERIMENT_ITEM, variables,
              _root("createDatasetExperimentItem", DatasetExperimentItem.from_dict))


def experiment_item_scores(item: DatasetExperimentItem, created_id: str) -> List[Dict]:
    """The item's scores as score dicts pointing at the created item."""
    scores = []
    for score in item.scores:
        score = score.to_dict() if hasattr(score, "to_dict") else dict(score)
        score = {k: v for k, v in score.items() if v is not None and k not in ("id", "stepId")}
        score["datasetExperimentItemId"] = created_id
        scores.append(score)
    return scores


def create_dataset_item(dataset_id, input, expected_output=None, metadata=None) -> Op:
    variables = {"datasetId": dataset_id, "input": input, "expectedOutput": expected_output, "metadata": metadata}
    return Op("create dataset item", ge.CREATE_DATASET_ITEM, variables, _root("createDatasetItem", DatasetItem.from_dict))


def get_dataset_item(id) -> Op:
    return Op("get dataset item", ge.GET_DATASET_ITEM, {"id": id}, _root("datasetItem", DatasetItem.from_dict))


def delete_dataset_item(id) -> Op:
    return Op("delete dataset item", ge.DELETE_DATASET_ITEM, {"id": id},
              _root("deleteDatasetItem", DatasetItem.from_dict))


def add_step_to_dataset(dataset_id, step_id, metadata=None) -> Op:
    return Op("add step to dataset", ge.ADD_STEP_TO_DATASET,
              {"datasetId": dataset_id, "stepId": step_id, "metadata": metadata},
              _root("addStepToDataset", DatasetItem.from_dict))


def add_generation_to_dataset(dataset_id, generation_id, metadata=None) -> Op:
    return Op("add generation to dataset", ge.ADD_GENERATION_TO_DATASET,
              {"datasetId": dataset_id, "generationId": generation_id, "metadata": metadata},
              _root("addGenerationToDataset", DatasetItem.from_dict))


def create_prompt_lineage(name, description=None) -> Op:
    def parse(body):
        lineage = body["data"]["createPromptLineage"]
        _warn_deleted(lineage, name)
        return lineage
    return Op("create prompt lineage", ge.CREATE_PROMPT_LINEAGE, {"name": name, "description": description}, parse)


def get_prompt_lineage(name) -> Op:
    def parse(body):
        lineage = body["data"]["promptLineage"]
        _warn_deleted(lineage, name)
        return lineage
    return Op("get prompt lineage", ge.GET_PROMPT_LINEAGE, {"name": name}, parse)


def create_prompt_version(api, lineage_id, template_messages, settings=None, tools=None) -> Op:
    def parse(body):
        prompt = body["data"]["createPromptVersion"]
        if prompt:
            _warn_deleted(prompt.get("lineage"), None)
        return Prompt.from_dict(api, prompt) if prompt else None
    variables = {"lineageId": lineage_id, "templateMessages": template_messages, "settings": settings, "tools": tools}
    return Op("create prompt version", ge.CREATE_PROMPT_VERSION, variables, parse)


def get_prompt(api, id=None, name=None, version=None, timeout: float = 10) -> Op:
    def parse(body):
        prompt = body["data"]["promptVersion"]
        if prompt:
            _warn_deleted(prompt.get("lineage"), name)
        return Prompt.from_dict(api, prompt) if prompt else None
    return Op("get prompt", ge.GET_PROMPT_VERSION, {"id": id, "name": name, "version": version}, parse, timeout)


def prompt_cache_keys(prompt: Prompt) -> List[str]:
    return [prompt.id, prompt.name, f"{prompt.name}-{prompt.version}"]


def prompt_cache_key(id=None, name=None, version=None) -> str:
    if id:
        return id
    return f"{name}-{version}" if version is not None else str(name)


def create_prompt_variant(lineage_id, template_messages, settings=None, tools=None) -> Op:
    variables = {"fromLineageId": lineage_id, "templateMessages": template_messages, "settings": settings,
                 "tools": tools}
    return Op("create prompt variant", ge.CREATE_PROMPT_VARIANT, variables,
              _root("createPromptExperiment", lambda v: v["id"]))


def get_prompt_ab_testing(name) -> Op:
    return Op("get prompt A/B testing", ge.GET_PROMPT_AB_TESTING, {"lineageName": name},
              lambda body: [e["node"] for e in body["data"]["promptLineageRollout"]["edges"]])


def update_prompt_ab_testing(name, rollouts: List[Dict[str, Any]]) -> Op:
    return Op("update prompt A/B testing", ge.UPDATE_PROMPT_AB_TESTING, {"name": name, "rollouts": rollouts},
              _root("updatePromptLineageRollout"))
