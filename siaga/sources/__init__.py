"""Adapters that turn files, feeds and field reports into raw signals."""
