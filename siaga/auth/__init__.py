"""Identity: password hashing and session tokens (no web framework, no database)."""
