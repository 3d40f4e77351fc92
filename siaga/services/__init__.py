"""Use cases that join the core to storage: what the CLI and the API both call."""
