"""Integrations that log third-party LLM SDK calls as ``llm`` steps."""
