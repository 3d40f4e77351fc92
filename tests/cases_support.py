"""Helpers for the report and case tests: a store holding real regions, a controlled clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from siaga.cases.attachments import KNOWN_TYPES, AttachmentLimits
from siaga.cases.routing import load_rules
from siaga.services.casework import Casework, IntakeLimits
from siaga.store import Store, open_store
from siaga.store.schema import regions
from tests.conftest import BACKENDS, new_store_url

START = datetime(2024, 11, 20, 1, 0, tzinfo=UTC)  # 08:00 WIB, a week before polling day
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(40)


class Clock:
    """A clock a test moves by hand."""

    def __init__(self, start: datetime = START) -> None:
        self.moment = start

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


def copy_regions(source: Path, target: Store, prefixes: tuple[str, ...] = ("15", "17")) -> int:
    """Copy the real region rows of some provinces from the regions-only database; return count."""
    src = open_store(f"sqlite:///{source}", migrate=False)
    with src.engine.connect() as conn:
        rows = [dict(r) for r in conn.execute(select(regions)).mappings()
                if r["code"][:2] in prefixes]
    src.dispose()
    with target.engine.begin() as conn:
        conn.execute(regions.insert(), rows)
    return len(rows)


def make_casework(store: Store, home: Path, clock: Clock, per_hour: int = 10,
                  max_bytes: int = 1_000_000) -> Casework:
    """Return a case context over the store with the shipped rules and the given clock."""
    limits = IntakeLimits(per_hour, AttachmentLimits(max_bytes, KNOWN_TYPES))
    return Casework(store, home, load_rules(), limits, clock)


@pytest.fixture(params=BACKENDS)
def region_store(request: pytest.FixtureRequest, tmp_path: Path,
                 regions_db: Path) -> Iterator[Store]:
    """Return a new store on each backend holding the real regions of Jambi and Bengkulu."""
    opened = open_store(new_store_url(request.param, request, tmp_path))
    copy_regions(regions_db, opened)
    yield opened
    opened.dispose()


@pytest.fixture
def clock() -> Clock:
    """Return a clock standing at START."""
    return Clock()


@pytest.fixture
def cw(region_store: Store, tmp_path: Path, clock: Clock) -> Casework:
    """Return a case context on each backend with a controlled clock."""
    return make_casework(region_store, tmp_path / "home", clock)
