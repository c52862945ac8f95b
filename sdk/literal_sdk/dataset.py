"""Datasets, their items, experiments on them and experiment items."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional

from literal_sdk.context import active_experiment_item_run_id_var
from literal_sdk.step import ScoreDict
from literal_sdk.types import TypedDict, Utils

if TYPE_CHECKING:
    from literal_sdk.api import LiteralAPI

DatasetType = Literal["key_value", "generation"]


class DatasetItemDict(TypedDict, total=False):
    id: str
    createdAt: str
    datasetId: str
    metadata: Dict
    input: Dict
    expectedOutput: Optional[Dict]
    intermediarySteps: Optional[List[Dict]]


@dataclass(repr=False)
class DatasetItem(Utils):
    id: str
    created_at: str
    dataset_id: str
    metadata: Dict
    input: Dict
    expected_output: Optional[Dict] = None
    intermediary_steps: Optional[List[Dict]] = None

    def to_dict(self):
        return {"id": self.id, "createdAt": self.created_at, "datasetId": self.dataset_id,
                "metadata": self.metadata, "input": self.input, "expectedOutput": self.expected_output,
                "intermediarySteps": self.intermediary_steps}

    @classmethod
    def from_dict(cls, data: Dict) -> "DatasetItem":
        return cls(id=data.get("id", ""), created_at=data.get("createdAt", ""),
                   dataset_id=data.get("datasetId", ""), metadata=data.get("metadata") or {},
                   input=data.get("input") or {}, expected_output=data.get("expectedOutput"),
                   intermediary_steps=data.get("intermediarySteps"))


class DatasetExperimentItemDict(TypedDict, total=False):
    id: str
    datasetExperimentId: str
    datasetItemId: Optional[str]
    scores: List[ScoreDict]
    input: Optional[Dict]
    output: Optional[Dict]
    experimentRunId: Optional[str]


@dataclass(repr=False)
class DatasetExperimentItem(Utils):
    id: str
    dataset_experiment_id: str
    dataset_item_id: Optional[str]
    scores: List[Any]
    input: Optional[Dict]
    output: Optional[Dict]
    experiment_run_id: Optional[str]

    def to_dict(self):
        return {"id": self.id, "datasetExperimentId": self.dataset_experiment_id,
                "datasetItemId": self.dataset_item_id, "experimentRunId": self.experiment_run_id,
                "scores": [s.to_dict() if hasattr(s, "to_dict") else s for s in self.scores],
                "input": self.input, "output": self.output}

    @classmethod
    def from_dict(cls, data: Dict) -> "DatasetExperimentItem":
        return cls(id=data.get("id", ""), experiment_run_id=data.get("experimentRunId"),
                   dataset_experiment_id=data.get("datasetExperimentId", ""),
                   dataset_item_id=data.get("datasetItemId"), scores=list(data.get("scores") or []),
                   input=data.get("input"), output=data.get("output"))


@dataclass(repr=False)
class DatasetExperiment(Utils):
    """An experiment (optionally on a dataset); ``log()`` records one item with its scores."""

    api: "LiteralAPI"
    id: str
    created_at: str
    name: str
    dataset_id: Optional[str]
    params: Optional[Dict]
    prompt_variant_id: Optional[str] = None
    items: List[DatasetExperimentItem] = field(default_factory=list)

    def log(self, item_dict: DatasetExperimentItemDict) -> DatasetExperimentItem:
        """Log an item; inside ``client.experiment_item_run()`` it is linked to that run."""
        item = DatasetExperimentItem.from_dict({
            "experimentRunId": active_experiment_item_run_id_var.get(), "datasetExperimentId": self.id,
            "datasetItemId": item_dict.get("datasetItemId"), "input": item_dict.get("input", {}),
            "output": item_dict.get("output", {}), "scores": item_dict.get("scores", [])})
        created = self.api.create_experiment_item(item)
        self.items.append(created)
        return created

    def to_dict(self):
        return {"id": self.id, "createdAt": self.created_at, "name": self.name, "datasetId": self.dataset_id,
                "promptExperimentId": self.prompt_variant_id, "params": self.params,
                "items": [i.to_dict() for i in self.items]}

    @classmethod
    def from_dict(cls, api: "LiteralAPI", data: Dict) -> "DatasetExperiment":
        return cls(api=api, id=data.get("id", ""), created_at=data.get("createdAt", ""),
                   name=data.get("name", ""), dataset_id=data.get("datasetId", ""), params=data.get("params"),
                   prompt_variant_id=data.get("promptExperimentId"),
                   items=[DatasetExperimentItem.from_dict(i) for i in data.get("items") or []])


@dataclass(repr=False)
class Dataset(Utils):
    """A dataset of items (ideal input/expected output pairs) to run experiments on."""

    api: "LiteralAPI"
    id: str
    created_at: str
    metadata: Dict
    name: Optional[str] = None
    description: Optional[str] = None
    items: List[DatasetItem] = field(default_factory=list)
    type: DatasetType = "key_value"

    def to_dict(self):
        return {"id": self.id, "createdAt": self.created_at, "metadata": self.metadata, "name": self.name,
                "description": self.description, "items": [i.to_dict() for i in self.items], "type": self.type}

    @classmethod
    def from_dict(cls, api: "LiteralAPI", data: Dict) -> "Dataset":
        items = data.get("items") or []
        if not isinstance(items, list):
            raise ValueError("Dataset items should be a list")
        return cls(api=api, id=data.get("id", ""), created_at=data.get("createdAt", ""),
                   metadata=data.get("metadata") or {}, name=data.get("name"),
                   description=data.get("description"), items=[DatasetItem.from_dict(i) for i in items],
                   type=data.get("type") or "key_value")

    def update(self, name: Optional[str] = None, description: Optional[str] = None,
               metadata: Optional[Dict] = None) -> None:
        updated = self.api.update_dataset(self.id, name=name, description=description, metadata=metadata)
        self.name, self.description, self.metadata = updated.name, updated.description, updated.metadata

    def delete(self) -> None:
        self.api.delete_dataset(self.id)

    def create_item(self, input: Dict, expected_output: Optional[Dict] = None,
                    metadata: Optional[Dict] = None) -> DatasetItem:
        item = self.api.create_dataset_item(self.id, input, expected_output, metadata)
        self.items.append(item)
        return item

    def create_experiment(self, name: str, prompt_variant_id: Optional[str] = None,
                          params: Optional[Dict] = None) -> DatasetExperiment:
        return self.api.create_experiment(name=name, dataset_id=self.id, prompt_variant_id=prompt_variant_id,
                                          params=params)

    def delete_item(self, item_id: str) -> None:
        self.api.delete_dataset_item(item_id)
        self.items = [i for i in self.items if i.id != item_id]

    def add_step(self, step_id: str, metadata: Optional[Dict] = None) -> DatasetItem:
        if self.type == "generation":
            raise ValueError("Cannot add a step to a generation dataset")
        item = self.api.add_step_to_dataset(self.id, step_id, metadata)
        self.items.append(item)
        return item

    def add_generation(self, generation_id: str, metadata: Optional[Dict] = None) -> DatasetItem:
        item = self.api.add_generation_to_dataset(self.id, generation_id, metadata)
        self.items.append(item)
        return item
