"""A seam for progress reporting: the core reports, the CLI draws bars, tests stay silent."""

from __future__ import annotations

from typing import Protocol


class Task(Protocol):
    """One unit of long work whose advance is reported."""

    def advance(self, amount: float = 1) -> None:
        """Record that `amount` more of the work is done."""

    def close(self) -> None:
        """Mark the task finished."""


class Progress(Protocol):
    """A factory of tasks, e.g. one bar per task."""

    def task(self, description: str, total: float | None = None) -> Task:
        """Return a new task with a description and an optional total."""
        ...


class _SilentTask:
    def advance(self, amount: float = 1) -> None:
        pass

    def close(self) -> None:
        pass


class SilentProgress:
    """Progress that reports nothing."""

    def task(self, description: str, total: float | None = None) -> Task:
        """Return a task that ignores every report."""
        return _SilentTask()
