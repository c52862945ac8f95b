"""The package version, sent as ``x-client-version``."""

__version__ = "0.2.0"
