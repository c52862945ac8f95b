"""literal_sdk: a small Python SDK for Literal AI-compatible servers, with the public API of the
official ``literalai`` package (moving is one import: ``from literal_sdk import LiteralClient``)."""

from literal_sdk.client import AsyncLiteralClient, LiteralClient
from literal_sdk.dataset import Dataset, DatasetExperiment, DatasetExperimentItem, DatasetItem
from literal_sdk.generation import BaseGeneration, ChatGeneration, CompletionGeneration, GenerationMessage
from literal_sdk.message import Message
from literal_sdk.prompt import Prompt
from literal_sdk.step import Attachment, Score, Step
from literal_sdk.thread import Thread
from literal_sdk.types import (Environment, ImageUrlContent, PageInfo, PaginatedResponse, TextContent, User,
                               UserDict, Utils)
from literal_sdk.version import __version__

__all__ = [
    "LiteralClient", "AsyncLiteralClient", "BaseGeneration", "CompletionGeneration", "ChatGeneration",
    "GenerationMessage", "Message", "Step", "Score", "Thread", "Dataset", "Attachment", "DatasetItem",
    "DatasetExperiment", "DatasetExperimentItem", "Prompt", "User", "UserDict", "PageInfo",
    "PaginatedResponse", "Environment", "Utils", "TextContent", "ImageUrlContent", "__version__",
]
