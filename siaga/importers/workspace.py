"""Prepare a workspace: the full region list plus every dataset inside the chosen scope."""

from __future__ import annotations

from collections.abc import Callable

from siaga.importers.base import ImportContext, ImportReport
from siaga.importers.boundaries import import_boundaries
from siaga.importers.elections import import_pilkada, import_polling_stations
from siaga.importers.regions import (
    import_area,
    import_population,
    import_regions,
    import_village_centroids,
)

Importer = Callable[[ImportContext], ImportReport]

# Order matters: later datasets refer to the regions and centroids loaded before them.
IMPORTERS: dict[str, Importer] = {
    "regions": import_regions,
    "population": import_population,
    "area": import_area,
    "boundaries": import_boundaries,
    "village-centroids": import_village_centroids,
    "polling-stations": import_polling_stations,
    "pilkada2024": import_pilkada,
}


def init_workspace(
    ctx: ImportContext, on_report: Callable[[ImportReport], None] | None = None
) -> list[ImportReport]:
    """Run every importer in order for the context's scope; return their reports."""
    reports = []
    for importer in IMPORTERS.values():
        report = importer(ctx)
        reports.append(report)
        if on_report is not None:
            on_report(report)
    return reports
