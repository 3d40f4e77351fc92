"""CSV imports over HTTP: the same files the CLI imports, stored raw first, bad rows numbered."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, HTTPException, Query, Request, UploadFile
from sqlalchemy import Connection

from siaga.api.security import secured, store_of
from siaga.domain.access import Permission
from siaga.domain.elections import PILKADA_2024
from siaga.services import events, participation, readiness
from siaga.store.engine import begin_write

router = APIRouter(prefix="/api/v1/imports", tags=["imports"])
MAX_BYTES = 20 * 1024 * 1024
REFUSALS = (events.EventsError, readiness.ReadinessError, participation.ParticipationError,
            ValueError)
Importer = Callable[[Connection, Path, Path], Any]


def _importers(election: str) -> dict[str, Importer]:
    return {
        "events": events.import_events,
        "readiness-resources": readiness.import_resources,
        "officer-health": readiness.import_health,
        "turnout": lambda c, h, p: participation.import_figures(c, h, p, "turnout", election),
        "baseline": lambda c, h, p: participation.import_figures(c, h, p, "baseline", election),
        "target": lambda c, h, p: participation.import_figures(c, h, p, "target", election),
        "dpt": lambda c, h, p: participation.import_dpt(c, h, p, election),
    }


@router.post("/{kind}", **secured(Permission.CHANGE_EVENTS))
async def upload(kind: str, request: Request, file: Annotated[UploadFile, File()],
                 election: Annotated[str, Query(max_length=40)] = PILKADA_2024
                 ) -> dict[str, Any]:
    """Import a CSV of events, readiness resources, officer health or participation figures."""
    importers = _importers(election)
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
            with store_of(request).engine.begin() as conn:
                begin_write(conn)
                outcome = importers[kind](conn, request.app.state.settings.home, path)
        except REFUSALS as exc:
            raise HTTPException(422, str(exc)) from exc
    stored = getattr(outcome, "stored", None)
    return {"kind": kind, "file": name, "sha256": outcome.sha256,
            "seen_before": outcome.seen_before,
            "stored": len(outcome.ids) if stored is None else stored,
            "problems": [str(p) for p in outcome.problems]}
