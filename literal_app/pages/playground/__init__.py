"""The Prompt Playground page (``/playground``)."""
