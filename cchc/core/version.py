"""The package version, in a module of its own so the pipeline can stamp outputs without importing the API."""

__version__ = "0.1.0"
