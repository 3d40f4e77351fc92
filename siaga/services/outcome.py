"""What importing one file did: the one outcome type the file imports share."""

from __future__ import annotations

from dataclasses import dataclass, field

from siaga.datafiles.problems import RowProblem


@dataclass
class FileImport:
    """What importing one file did.

    `sha256` addresses the raw file as kept; `seen_before` says the same bytes were imported
    before (nothing is read again); `stored` counts rows stored, `ids` lists new row ids where
    rows get one; `skipped` are rows already stored, `problems` rows refused (numbered);
    `layout` names the file layout read, where there are several.
    """

    sha256: str
    seen_before: bool
    stored: int = 0
    ids: list[int] = field(default_factory=list)
    skipped: list[RowProblem] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    layout: str = ""

    @property
    def inserted(self) -> int:
        """Return the rows stored (the name the risk observation import uses)."""
        return self.stored

    @inserted.setter
    def inserted(self, value: int) -> None:
        self.stored = value
