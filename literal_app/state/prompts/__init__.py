"""States of the prompt library: the prompts list, one prompt's page, and the version editor."""
