"""All SQLModel tables; importing this package registers them on ``SQLModel.metadata``."""

from sqlmodel import SQLModel

from literal_app.models.types import apply_naming_convention

apply_naming_convention(SQLModel.metadata)

from literal_app.models.analytics import (  # noqa: E402
    LatencyCache,
    StepFacetRollup,
    StepFacetRollupDelta,
    StepRollup,
    StepRollupDelta,
)
from literal_app.models.annotation import AnnotationQueue, QueueItem  # noqa: E402
from literal_app.models.auth import ApiKey, AuthSession, Invite, Member, Membership, Project, Role  # noqa: E402
from literal_app.models.datasets import Dataset, DatasetItem, Experiment, ExperimentItem  # noqa: E402
from literal_app.models.evals import EvalBacklog, OnlineEvalRule, RuleRun, Scorer, ScoreSchema  # noqa: E402
from literal_app.models.playground import PlaygroundDraft  # noqa: E402
from literal_app.models.prompts import (  # noqa: E402
    PromptLineage, PromptRollout, PromptRollupDelta, PromptRollup, PromptRolloutChange, PromptVariant, PromptVersion)
from literal_app.models.settings import CostRepricing, LlmCredential, ModelCost  # noqa: E402
from literal_app.models.tracing import (  # noqa: E402
    Attachment,
    Participant,
    Score,
    ScoreType,
    Step,
    StepType,
    Tag,
    Thread,
)

__all__ = [
    "ApiKey", "AuthSession", "Invite", "Member", "Membership", "Project", "Role",
    "EvalBacklog", "OnlineEvalRule", "RuleRun", "Scorer", "ScoreSchema", "CostRepricing", "LlmCredential", "ModelCost",
    "Attachment", "Participant", "Score", "ScoreType", "Step", "StepType", "Tag", "Thread",
    "PromptLineage", "PromptRollout", "PromptRollup", "PromptRollupDelta", "PromptRolloutChange", "PromptVariant",
    "PromptVersion",
    "Dataset", "DatasetItem", "Experiment", "ExperimentItem", "AnnotationQueue", "QueueItem",
    "LatencyCache", "StepRollup", "StepRollupDelta", "StepFacetRollup", "StepFacetRollupDelta", "PlaygroundDraft",
]
