"""Settings: General (project name), API keys, Tags, Team."""
