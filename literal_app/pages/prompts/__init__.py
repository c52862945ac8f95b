"""The prompt library pages: ``/prompts``, ``/prompts/<lineage id>`` and the version editor."""
