"""The Prompt Playground's domain: where a draft starts (examples, a prompt version, a logged
generation), turning the editor's template into a provider request (chevron rendering, tools and
output type checks, settings per provider), pricing and checking an answer, saving the template as
a prompt version (with a diff against its origin), code snippets, and each member's draft.

The template helpers (``editor``) are shared with the prompt library pages: editor messages are
plain dicts ``{"role", "content", "images", "tool_call_id", "tool_calls"}``."""
