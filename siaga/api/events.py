"""Read-only API routes for events, readiness and participation.

Each route is a thin layer over a service function; the store is `app.state.store`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from siaga.api.security import secured
from siaga.domain.access import Permission
from siaga.domain.events import Severity
from siaga.domain.regions import RegionCodeError
from siaga.events.rules import RulesError, load_rules
from siaga.services import events as events_service
from siaga.services import participation as participation_service
from siaga.services import readiness as readiness_service
from siaga.settings import Settings
from siaga.store.engine import begin_write

EXPECTED = (events_service.EventsError, readiness_service.ReadinessError,
            participation_service.ParticipationError, RulesError, RegionCodeError, ValueError)


def _connection(request: Request) -> Iterator[Connection]:
    with request.app.state.store.engine.connect() as conn:
        yield conn


# Beyond these a clash check means nothing, and huge values would overflow the time sweep.
MAX_KM, MAX_BUFFER_HOURS = 500.0, 24.0 * 14
Conn = Annotated[Connection, Depends(_connection)]
Scope = Annotated[str, Query(description="Region code, e.g. 15.02; empty for all.")]


def _scope(text: str) -> str:
    from siaga.services.risk import RiskError, check_scope

    try:
        return check_scope(text)
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


def router(settings: Settings) -> APIRouter:
    """Return the read-only router of events, readiness and participation."""
    api = APIRouter(prefix="/api/v1", tags=["events"])

    @api.get("/events", **secured(Permission.VIEW_EVENTS))
    def list_events(conn: Conn, scope: Scope = "", since: str | None = None,
                    until: str | None = None) -> dict[str, Any]:
        """Return the events of a scope by local day."""
        try:
            code = _scope(scope)
            start, stop = events_service.window(since, until, code)
            return {"scope": code or "national", "days": events_service.calendar(
                events_service.list_events(conn, code, start, stop))}
        except EXPECTED as exc:
            raise HTTPException(422, str(exc)) from exc

    @api.post("/events", status_code=201, **secured(Permission.CHANGE_EVENTS))
    def add(body: EventIn, request: Request) -> dict[str, Any]:
        """Record one event entered in a form (the CSV's fields); answer its id."""
        try:
            with request.app.state.store.engine.begin() as conn:
                begin_write(conn)
                event_id = events_service.add_event(conn, body.model_dump(exclude_none=True))
        except EXPECTED as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"id": event_id}

    @api.get("/events/clashes", **secured(Permission.VIEW_EVENTS))
    def clashes(conn: Conn, scope: Scope = "",
                distance_km: Annotated[float | None, Query(ge=0, le=MAX_KM)] = None,
                buffer_hours: Annotated[float | None, Query(ge=0, le=MAX_BUFFER_HOURS)] = None,
                min_severity: Severity = Severity.LOW) -> dict[str, Any]:
        """Return the clash and risk warnings of a scope's events."""
        try:
            options = events_service.ClashOptions(
                settings.events_clash_km if distance_km is None else distance_km,
                settings.events_buffer_hours if buffer_hours is None else buffer_hours,
                settings.events_tps_radius_km, min_severity=min_severity)
            return events_service.clashes(conn, _scope(scope), load_rules(settings.home),
                                          options, settings.home)
        except EXPECTED as exc:
            raise HTTPException(422, str(exc)) from exc

    @api.get("/readiness/board", **secured(Permission.VIEW_EVENTS))
    def board(conn: Conn, scope: Scope) -> dict[str, Any]:
        """Return the readiness board of a regency or district."""
        try:
            code = _scope(scope)
            rows = readiness_service.board(conn, code, load_rules(settings.home),
                                           home=settings.home)
        except EXPECTED as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"scope": code, "districts": rows}

    @api.get("/participation/gap", **secured(Permission.VIEW_PARTICIPATION))
    def gap(conn: Conn, scope: Scope, election: str = "pilkada2024",
            level: str = "district") -> dict[str, Any]:
        """Return the turnout gap table of a scope, worst first."""
        if level not in ("district", "village"):
            raise HTTPException(422, "level must be district or village")
        try:
            rows, meta = participation_service.gap_table(conn, _scope(scope), election, level)
        except EXPECTED as exc:
            raise HTTPException(422, str(exc)) from exc
        return {"meta": meta, "rows": rows}

    return api
