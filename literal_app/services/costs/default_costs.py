"""The model price table every project starts with (Settings → LLM → Costs, user-editable).

Prices are public list prices in USD per million input/output tokens. Patterns are full-match,
case-insensitive regexes written so that no two defaults match the same model name (``gpt-4o``
does not swallow ``gpt-4o-mini``): the pricing rule is then never ambiguous. A dated snapshot
suffix (``-2024-08-06``, ``-20241022``, ``-latest``, ``-001``) is accepted where providers use one.
"""

from __future__ import annotations

_DATED = r"(-\d{4}-\d{2}-\d{2}|-\d{8}|-latest|-\d{3}|-\d{4})?"

# (provider, pattern, input USD / 1M tokens, output USD / 1M tokens)
DEFAULT_COSTS: list[tuple[str, str, float, float]] = [
    # OpenAI
    ("openai", rf"gpt-4o{_DATED}", 2.5, 10.0),
    ("openai", rf"gpt-4o-mini{_DATED}", 0.15, 0.6),
    ("openai", rf"gpt-4\.1{_DATED}", 2.0, 8.0),
    ("openai", rf"gpt-4\.1-mini{_DATED}", 0.4, 1.6),
    ("openai", rf"gpt-4\.1-nano{_DATED}", 0.1, 0.4),
    ("openai", rf"gpt-5{_DATED}", 1.25, 10.0),
    ("openai", rf"gpt-5-mini{_DATED}", 0.25, 2.0),
    ("openai", rf"gpt-5-nano{_DATED}", 0.05, 0.4),
    ("openai", rf"gpt-4-turbo(-preview)?{_DATED}", 10.0, 30.0),
    ("openai", r"gpt-4(-0613|-0314)?", 30.0, 60.0),
    ("openai", rf"gpt-3\.5-turbo(-\d{{4}})?{_DATED}", 0.5, 1.5),
    ("openai", rf"o1{_DATED}", 15.0, 60.0),
    ("openai", rf"o1-mini{_DATED}", 1.1, 4.4),
    ("openai", rf"o3{_DATED}", 2.0, 8.0),
    ("openai", rf"o3-mini{_DATED}", 1.1, 4.4),
    ("openai", rf"o4-mini{_DATED}", 1.1, 4.4),
    ("openai", r"text-embedding-3-small", 0.02, 0.0),
    ("openai", r"text-embedding-3-large", 0.13, 0.0),
    ("openai", r"text-embedding-ada-002", 0.1, 0.0),
    # Anthropic
    ("anthropic", rf"claude-3-5-sonnet{_DATED}", 3.0, 15.0),
    ("anthropic", rf"claude-3-7-sonnet{_DATED}", 3.0, 15.0),
    ("anthropic", rf"claude-sonnet-4(-5)?{_DATED}", 3.0, 15.0),
    ("anthropic", rf"claude-3-5-haiku{_DATED}", 0.8, 4.0),
    ("anthropic", rf"claude-haiku-4-5{_DATED}", 1.0, 5.0),
    ("anthropic", rf"claude-3-haiku{_DATED}", 0.25, 1.25),
    ("anthropic", rf"claude-3-opus{_DATED}", 15.0, 75.0),
    ("anthropic", rf"claude-opus-4(-1)?{_DATED}", 15.0, 75.0),
    # Mistral
    ("mistral", rf"mistral-large{_DATED}", 2.0, 6.0),
    ("mistral", rf"mistral-medium{_DATED}", 0.4, 2.0),
    ("mistral", rf"mistral-small{_DATED}", 0.1, 0.3),
    ("mistral", rf"codestral{_DATED}", 0.3, 0.9),
    ("mistral", rf"(open-)?mistral-nemo{_DATED}", 0.15, 0.15),
    ("mistral", rf"ministral-8b{_DATED}", 0.1, 0.1),
    ("mistral", rf"ministral-3b{_DATED}", 0.04, 0.04),
    ("mistral", r"mistral-embed", 0.1, 0.0),
    # Google
    ("google", rf"gemini-1\.5-pro{_DATED}", 1.25, 5.0),
    ("google", rf"gemini-1\.5-flash{_DATED}", 0.075, 0.3),
    ("google", rf"gemini-2\.0-flash{_DATED}", 0.1, 0.4),
    ("google", rf"gemini-2\.0-flash-lite{_DATED}", 0.075, 0.3),
    ("google", rf"gemini-2\.5-pro{_DATED}", 1.25, 10.0),
    ("google", rf"gemini-2\.5-flash{_DATED}", 0.3, 2.5),
    ("google", rf"gemini-2\.5-flash-lite{_DATED}", 0.1, 0.4),
    # Groq (hosted open models)
    ("groq", r"llama-3\.3-70b-versatile", 0.59, 0.79),
    ("groq", r"llama-3\.1-8b-instant", 0.05, 0.08),
    ("groq", r"llama3-70b-8192", 0.59, 0.79),
    ("groq", r"llama3-8b-8192", 0.05, 0.08),
    ("groq", r"mixtral-8x7b-32768", 0.24, 0.24),
    ("groq", r"gemma2-9b-it", 0.2, 0.2),
]
