"""Dependencies every route may ask for: the application object, region codes, a framework."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from siaga.application import Siaga
from siaga.domain.regions import RegionCodeError, normalize_code
from siaga.risk.framework import Framework, FrameworkError


def siaga_of(request: Request) -> Siaga:
    """Return the application object the app factory put on the app."""
    found: Siaga = request.app.state.siaga
    return found


async def _app(request: Request) -> Siaga:
    # A coroutine, so resolving it costs no hop to the thread pool (a plain function would).
    return siaga_of(request)


App = Annotated[Siaga, Depends(_app)]


def dotted(code: str) -> str:
    """Return the dotted code, or raise a 422 saying what a code looks like."""
    try:
        return normalize_code(code)
    except RegionCodeError as exc:
        raise HTTPException(422, str(exc)) from exc


def scope_code(scope: str) -> str:
    """Return the dotted scope, '' for the whole country ('', national, nasional); 422 else."""
    return "" if scope in ("", "national", "nasional") else dotted(scope)


def framework_of(request: Request, framework_id: str) -> Framework:
    """Return the framework by id (shipped or the user's), or answer 404 listing known ids."""
    try:
        return siaga_of(request).risk.framework(framework_id)
    except FrameworkError as exc:
        raise HTTPException(404, str(exc)) from exc
