"""Problems found in input files: each names the file, the line and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One rejected row or unreadable stretch of an input file."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class DataFileError(Exception):
    """A data file that cannot be read at all (missing, unreadable, not the expected format)."""

    def __init__(self, path: Path | str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = str(path)
