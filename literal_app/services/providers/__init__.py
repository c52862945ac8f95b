"""LLM providers: encrypted credentials per project and one calling service over httpx.

``credentials`` stores provider keys (Fernet, key derived from ``LITERAL_SECRET_KEY``; only the last
four characters are ever shown). ``calls.complete`` / ``calls.stream`` / ``calls.astream`` take a
``ChatRequest`` (messages with text and image parts, tools, tool choice, settings, output type) and
answer a ``ChatResult`` (text, tool calls, finish reason, usage, latency, TTFT) for every provider:
OpenAI, Azure OpenAI, Anthropic, Mistral, Google Gemini, Groq, Amazon Bedrock (Converse) and custom
OpenAI-compatible servers. Errors become one ``ProviderError`` carrying the provider's message;
429/5xx are retried with backoff while no token has been streamed yet.

The playground, experiments, scorers and online evals call it; jobs can call ``complete`` directly.
"""

from literal_app.services.providers.calls import astream, complete, stream, test_credential
from literal_app.services.providers.types import (ChatRequest, ChatResult, Done, Message, OutputType,
                                                  ProviderError, TextDelta, ToolCall, ToolCallDelta, Usage)

__all__ = ["astream", "complete", "stream", "test_credential", "ChatRequest", "ChatResult", "Done", "Message",
           "OutputType", "ProviderError", "TextDelta", "ToolCall", "ToolCallDelta", "Usage"]
