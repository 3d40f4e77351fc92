"""The briefing's signal figures: each signal counted once, per day and in total."""

from __future__ import annotations

from datetime import UTC, date, datetime

from siaga.services.briefing_data import gather_detection
from siaga.store import Store
from siaga.store.briefings import last_scores, save_scores
from siaga.store.schema import signal_facts, signals

DAY = datetime(2026, 11, 18, 3, 0, tzinfo=UTC)


def _signal(conn: object, n: int, when: datetime, categories: list[str]) -> None:
    conn.execute(signals.insert().values(  # type: ignore[attr-defined]
        id=n, source_kind="jsonl", source_id=f"s{n}", content_hash=f"{n:064d}", text=f"teks {n}",
        received_at=when, occurred_at=when, origin=f"line {n}", meta="{}"))
    for category in categories:
        conn.execute(signal_facts.insert().values(  # type: ignore[attr-defined]
            signal_id=n, region_code="15.02", category=category, day=when.date(), severity=0.5))


def test_signals_are_counted_once_whatever_their_categories(store: Store) -> None:
    with store.engine.begin() as conn:
        _signal(conn, 1, DAY, ["money_politics", "hoax"])
        _signal(conn, 2, DAY, ["money_politics", "hoax", "hate_sara"])
        _signal(conn, 3, DAY.replace(day=19), ["hoax"])
    with store.engine.connect() as conn:
        section = gather_detection(conn, "15.02", datetime(2026, 11, 17, tzinfo=UTC),
                                   datetime(2026, 11, 20, tzinfo=UTC))
    assert section.data["signals"] == 3  # not 6 signal x category rows
    days = dict(section.data["days"])
    assert days["2026-11-18"] == 2 and days["2026-11-19"] == 1 and days["2026-11-17"] == 0


def test_the_last_briefing_before_a_moment_is_found(store: Store) -> None:
    with store.engine.begin() as conn:
        save_scores(conn, "15.02", "ikp", datetime(2026, 11, 1, tzinfo=UTC), {"15.02.01": 3.5})
        save_scores(conn, "15.02", "ikp", datetime(2026, 11, 8, tzinfo=UTC), {"15.02.01": 4.0})
        save_scores(conn, "15.02", "ikp", datetime(2026, 11, 8, tzinfo=UTC), {"15.02.01": 9.9})
    with store.engine.connect() as conn:
        found = last_scores(conn, "15.02", "ikp", datetime(2026, 11, 8, tzinfo=UTC))
        newest = last_scores(conn, "15.02", "ikp", datetime(2026, 11, 9, tzinfo=UTC))
        none = last_scores(conn, "17.06", "ikp", datetime(2026, 11, 9, tzinfo=UTC))
    assert found is not None and found[1] == {"15.02.01": 3.5}
    assert newest is not None and newest[1] == {"15.02.01": 4.0}  # the same as-of is kept once
    assert none is None
    assert date(2026, 11, 8) == newest[0].date()
