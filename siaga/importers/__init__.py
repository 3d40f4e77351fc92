"""Importers: read shared reference data through the core parsers and sync it into the store."""
