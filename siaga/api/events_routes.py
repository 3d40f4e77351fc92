"""API routes for events (read, and one event from a form), readiness and participation.

Each route is a thin layer over a method of the application object.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from siaga.application import Siaga
from siaga.application.errors import (
    EventsError,
    ParticipationError,
    ReadinessError,
    RiskError,
)
from siaga.domain.access import Permission
from siaga.domain.events import Severity
from siaga.domain.regions import RegionCodeError
from siaga.events.rules import RulesError
from siaga.http.deps import App
from siaga.http.security import secured

EXPECTED = (EventsError, ReadinessError, ParticipationError, RulesError, RegionCodeError,
            ValueError)

# Beyond these a clash check means nothing, and huge values would overflow the time sweep.
MAX_KM, MAX_BUFFER_HOURS = 500.0, 24.0 * 14
Scope = Annotated[str, Query(description="Region code, e.g. 15.02; empty for all.")]

router = APIRouter(prefix="/api/v1", tags=["events"])


def _scope(siaga: Siaga, text: str) -> str:
    try:
        return siaga.risk.check_scope(text)
    except RiskError as exc:
        raise HTTPException(422, str(exc)) from exc


class EventIn(BaseModel):
    """A campaign event or gathering, as in `siaga events import` (times with their offset)."""

    candidate: str = Field(min_length=1, max_length=120, description="ballot number or organiser")
    type: str = Field(min_length=1, max_length=40)
    region: str = Field(min_length=2, max_length=13)
    start: str = Field(min_length=10, max_length=40)
    end: str = Field(min_length=10, max_length=40)
    venue: str | None = Field(default=None, max_length=200)
    lat: str | None = Field(default=None, max_length=20)
    lng: str | None = Field(default=None, max_length=20)
    expected_crowd: str | None = Field(default=None, max_length=12)
    permit_status: str | None = Field(default=None, max_length=20)
    contact: str | None = Field(default=None, max_length=200)
    title: str | None = Field(default=None, max_length=300)


@router.get("/events", **secured(Permission.VIEW_EVENTS))
def list_events(siaga: App, scope: Scope = "", since: str | None = None,
                until: str | None = None) -> dict[str, Any]:
    """Return the events of a scope by local day."""
    try:
        code = _scope(siaga, scope)
        start, stop = siaga.events.window(since, until, code)
        return {"scope": code or "national",
                "days": siaga.events.calendar(code, start, stop).to_dict()}
    except EXPECTED as exc:
        raise HTTPException(422, str(exc)) from exc


@router.post("/events", status_code=201, **secured(Permission.CHANGE_EVENTS))
def add(body: EventIn, siaga: App) -> dict[str, Any]:
    """Record one event entered in a form (the CSV's fields); answer its id."""
    try:
        event_id = siaga.events.add(body.model_dump(exclude_none=True))
    except EXPECTED as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"id": event_id}


@router.get("/events/clashes", **secured(Permission.VIEW_EVENTS))
def clashes(siaga: App, scope: Scope = "",
            distance_km: Annotated[float | None, Query(ge=0, le=MAX_KM)] = None,
            buffer_hours: Annotated[float | None, Query(ge=0, le=MAX_BUFFER_HOURS)] = None,
            min_severity: Severity = Severity.LOW) -> dict[str, Any]:
    """Return the clash and risk warnings of a scope's events."""
    try:
        options = siaga.events.options(distance_km=distance_km, buffer_hours=buffer_hours,
                                       min_severity=min_severity)
        return siaga.events.clashes(_scope(siaga, scope), options).to_dict()
    except EXPECTED as exc:
        raise HTTPException(422, str(exc)) from exc


@router.get("/readiness/board", **secured(Permission.VIEW_EVENTS))
def board(siaga: App, scope: Scope) -> dict[str, Any]:
    """Return the readiness board of a regency or district."""
    try:
        code = _scope(siaga, scope)
        rows = siaga.readiness.board(code)
    except EXPECTED as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"scope": code, "districts": [r.to_dict() for r in rows]}


@router.get("/participation/gap", **secured(Permission.VIEW_PARTICIPATION))
def gap(siaga: App, scope: Scope, election: str = "pilkada2024",
        level: str = "district") -> dict[str, Any]:
    """Return the turnout gap table of a scope, worst first."""
    if level not in ("district", "village"):
        raise HTTPException(422, "level must be district or village")
    try:
        rows, meta = siaga.participation.gap(_scope(siaga, scope), election, level)
    except EXPECTED as exc:
        raise HTTPException(422, str(exc)) from exc
    return {"meta": meta, "rows": rows}
