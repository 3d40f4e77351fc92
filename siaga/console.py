"""Terminal output for the CLI: rich progress bars behind the core's Progress seam."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from siaga.progress import Task


class _BarTask:
    def __init__(self, bars: Progress, task_id: int) -> None:
        self.bars, self.task_id = bars, task_id

    def advance(self, amount: float = 1) -> None:
        self.bars.advance(self.task_id, amount)  # type: ignore[arg-type]

    def close(self) -> None:
        task = next(t for t in self.bars.tasks if t.id == self.task_id)
        total = task.total if task.total is not None else 1
        self.bars.update(self.task_id, total=total, completed=total)  # type: ignore[arg-type]


class BarProgress:
    """Progress drawn as rich bars on stderr; a context manager around the bars' live display."""

    def __init__(self, console: Console | None = None) -> None:
        columns = [
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        ]
        self.bars = Progress(*columns, console=console or Console(stderr=True), transient=False)

    def task(self, description: str, total: float | None = None) -> Task:
        """Return a task drawn as one bar."""
        return _BarTask(self.bars, int(self.bars.add_task(description, total=total)))

    def __enter__(self) -> BarProgress:
        self.bars.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.bars.stop()
