"""Server API clients: :class:`LiteralAPI` (sync) and :class:`AsyncLiteralAPI`."""

from literal_sdk.api.asynchronous import AsyncLiteralAPI
from literal_sdk.api.sync import LiteralAPI
from literal_sdk.api.transport import LiteralAPIError

__all__ = ["LiteralAPI", "AsyncLiteralAPI", "LiteralAPIError"]
