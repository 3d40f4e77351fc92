"""Regions and what the workspace holds: summaries, search, names, status."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from siaga.application.concern import Concern
from siaga.domain.records import JsonRecord
from siaga.regions.search import Gazetteer
from siaga.store import region_lookup, web_views
from siaga.store.gazetteer import load_gazetteer
from siaga.store.queries import RegionSummary, contest_labels, region_summary
from siaga.store.raw_inputs import RawProblem, verify_raw_inputs
from siaga.store.region_lookup import RegionChild

# The tables the status page and route count, with the label the page shows.
STATUS_TABLES = {
    "regions": "Wilayah / Regions",
    "legacy_region_codes": "Kode wilayah 2023 / 2023 codes",
    "boundaries": "Batas wilayah / Boundaries",
    "polling_stations": "TPS / Polling stations",
    "contests": "Pemilihan / Contests",
    "candidate_pairs": "Paslon / Candidate pairs",
    "contest_results": "Hasil sementara / Provisional results",
    "voter_counts": "DPT / Voter counts",
    "risk_observations": "Pengamatan kerawanan / Risk observations",
    "users": "Pengguna / Users",
    "reports": "Laporan / Reports",
    "cases": "Kasus / Cases",
}


@dataclass(frozen=True)
class WorkspaceStatus(JsonRecord):
    """What is loaded: the database kind, row counts per table, the newest import entries."""

    database: str
    tables: dict[str, int]
    imports: list[dict[str, Any]]


class Regions(Concern):
    """Regions: one's summary, its children, names of codes, search, loaded regencies."""

    def summary(self, code: str) -> RegionSummary | None:
        """Return what is known of one region (names, counts, TPS, pairs), or None."""
        with self.reading() as conn:
            return region_summary(conn, code)

    def children(self, code: str) -> list[RegionChild]:
        """Return the regions directly inside one region: code, name, level."""
        with self.reading() as conn:
            return region_lookup.children(conn, code)

    def names(self, codes: Iterable[str]) -> dict[str, str]:
        """Return code → name of the known regions among `codes`."""
        with self.reading() as conn:
            return region_lookup.region_names(conn, codes)

    def loaded_regencies(self) -> list[dict[str, str]]:
        """Return the regencies whose TPS are loaded: code, name and province name."""
        with self.reading() as conn:
            return region_lookup.loaded_regencies(conn)

    def contest_labels(self, contest_ids: Iterable[str]
                       ) -> tuple[dict[str, str], dict[tuple[str, int], str]]:
        """Return contest id → name, and (contest id, ballot number) → the pair's names."""
        with self.reading() as conn:
            return contest_labels(conn, contest_ids)

    def gazetteer(self, *, fresh: bool = False) -> Gazetteer | None:
        """Return the name index of every region (None when none are loaded).

        Built once per application object: 90,000 names take seconds to index and change
        only on `siaga init`; `fresh` builds it again.
        """
        if fresh or self.app.cached_gazetteer is None:
            with self.reading() as conn:
                self.app.cached_gazetteer = load_gazetteer(conn)
        return self.app.cached_gazetteer


class System(Concern):
    """The workspace itself: is the database there, what is loaded, are raw files whole."""

    def probe(self) -> None:
        """Raise unless the database answers."""
        with self.reading() as conn:
            web_views.probe(conn)

    def status(self, tables: list[str] | None = None) -> WorkspaceStatus:
        """Return the database kind, row counts of `tables` (default: STATUS_TABLES) and the
        newest imports."""
        wanted = list(STATUS_TABLES) if tables is None else tables
        with self.reading() as conn:
            found = web_views.status_view(conn, wanted)
        return WorkspaceStatus(self.app.store.dialect, found["tables"], found["imports"])

    def verify_raw_inputs(self, home: Path | None = None) -> tuple[int, list[RawProblem]]:
        """Return how many raw files were checked and each missing or altered one."""
        with self.reading() as conn:
            return verify_raw_inputs(conn, home or self.app.settings.home)
