"""Siaga: early warning and coordination for Indonesian regional elections."""

__version__ = "0.1.0"
