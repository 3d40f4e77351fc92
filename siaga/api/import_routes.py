"""CSV imports over HTTP: the same files the CLI imports, stored raw first, bad rows numbered."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, UploadFile

from siaga.application import Siaga
from siaga.application.errors import EventsError, ParticipationError, ReadinessError
from siaga.domain.access import Permission
from siaga.domain.elections import PILKADA_2024
from siaga.http.deps import App
from siaga.http.security import secured

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
MAX_BYTES = 20 * 1024 * 1024
REFUSALS = (EventsError, ReadinessError, ParticipationError, ValueError)
Importer = Callable[[Path], Any]


def _importers(siaga: Siaga, election: str) -> dict[str, Importer]:
    part = siaga.participation
    return {
        "events": siaga.events.import_file,
        "readiness-resources": siaga.readiness.import_resources,
        "officer-health": siaga.readiness.import_health,
        "turnout": lambda p: part.import_figures(p, "turnout", election),
        "baseline": lambda p: part.import_figures(p, "baseline", election),
        "target": lambda p: part.import_figures(p, "target", election),
        "dpt": lambda p: part.import_dpt(p, election),
    }


@router.post("/{kind}", **secured(Permission.CHANGE_EVENTS))
async def upload(kind: str, siaga: App, file: Annotated[UploadFile, File()],
                 election: Annotated[str, Query(max_length=40)] = PILKADA_2024
                 ) -> dict[str, Any]:
    """Import a CSV of events, readiness resources, officer health or participation figures."""
    importers = _importers(siaga, election)
    if kind not in importers:
        raise HTTPException(404, f"jenis impor tidak dikenal / unknown import {kind!r}; "
                            f"use one of {', '.join(importers)}")
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise HTTPException(413, f"berkas terlalu besar / file over {MAX_BYTES:,} bytes")
    name = Path(file.filename or f"{kind}.csv").name
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            outcome = importers[kind](path)
        except REFUSALS as exc:
            raise HTTPException(422, str(exc)) from exc
    stored = getattr(outcome, "stored", None)
    return {"kind": kind, "file": name, "sha256": outcome.sha256,
            "seen_before": outcome.seen_before,
            "stored": len(outcome.ids) if stored is None else stored,
            "problems": [str(p) for p in outcome.problems]}
