"""Regions: the official code list, boundaries, and search."""
