"""Invented, clearly marked demo activity so a new workspace shows its dashboard working:
field reports that raise an alert, two rival campaign events that clash, a case opened from
the alert. Every text and title starts with [DEMO]; real data is never touched."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypedDict

from siaga.domain.signals import DEMO_MARK
from siaga.store import Store
from siaga.store.cases import demo_case_exists
from siaga.store.events import demo_event_exists
from siaga.store.tx import reading, transaction

DEMO = DEMO_MARK  # the detection pipeline strips it before reading a text
# Written by the project (not third-party text): money-politics talk from the field in
# Merangin, quiet for a fortnight and then a burst today.
DEMO_TEXTS = (
    "Warga Bangko melaporkan serangan fajar, amplop dibagikan tim sukses paslon 1 tadi pagi",
    "Di Kabupaten Merangin ada bagi-bagi sembako dan uang transport dari tim sukses",
    "Politik uang di Merangin: tim sukses membagikan amplop berisi uang ke warga desa",
)
# Two villages of Batang Masumai, Merangin, 0.87 km apart (their centroids in the shared data).
RIVAL_PLACES = (("1", "15.02.12.2008", "Lapangan Tambang Besi"),
                ("2", "15.02.12.2004", "Balai Desa Nibung"))


@dataclass
class DemoOutcome:
    """What the demo added (zero when it was there already)."""

    signals: int = 0
    alerts: int = 0
    events: int = 0
    cases: int = 0


class FeedRecord(TypedDict):
    """One line of the demo feed file (JSON Lines input of `siaga detect ingest`)."""

    id: str
    text: str
    published_at: str
    platform: str


def demo_feed(now: datetime, *, marked: bool = True) -> list[FeedRecord]:
    """Return the demo field reports as JSON-lines records, dated relative to `now`."""
    day0 = now.astimezone(UTC).replace(hour=3, minute=0, second=0, microsecond=0)
    tag = f"{DEMO} " if marked else ""
    records: list[FeedRecord] = [{"id": f"demo-tenang-{d}", "text": tag + DEMO_TEXTS[d % 3],
                "published_at": (day0 - timedelta(days=d)).isoformat(), "platform": "lapangan"}
               for d in range(15, 0, -1) if d % 3 == 0]
    records += [{"id": f"demo-lonjakan-{k}", "text": f"{tag}{DEMO_TEXTS[k % 3]} (laporan {k + 1})",
                 "published_at": (day0 + timedelta(minutes=5 * k)).isoformat(),
                 "platform": "twitter" if k % 2 else "lapangan"} for k in range(8)]
    return records


def add_demo_signals(store: Store, pipeline: Any, home: Path, now: datetime,
                     *, marked: bool = True) -> tuple[int, int]:
    """Ingest the demo feed and run the pipeline; return (signals added, alerts opened)."""
    from siaga.detect.alerts import load_rules
    from siaga.services.detect import ingest, process_pending

    feed = home / "demo" / f"signals-{now:%Y%m%d}.jsonl"
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False)
                              for r in demo_feed(now, marked=marked)) + "\n", encoding="utf-8")
    stored = ingest(store, home, str(feed), "jsonl")
    report = process_pending(store, pipeline, load_rules())
    return stored.inserted, len(report.alerts.opened)


def add_demo_events(store: Store, now: datetime) -> int:
    """Add two rival rallies tomorrow, 0.87 km apart at overlapping times; return how many."""
    from siaga.services.events import add_event

    with transaction(store) as conn:
        if demo_event_exists(conn, DEMO):
            return 0
        start = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
        for n, (pair, village, venue) in enumerate(RIVAL_PLACES):
            begins = start + timedelta(hours=n)
            add_event(conn, {"candidate": pair, "type": "rally", "region": village,
                             "venue": venue, "start": begins.isoformat(),
                             "end": (begins + timedelta(hours=3)).isoformat(),
                             "expected_crowd": str(1500 + 500 * n),
                             "permit_status": "issued" if n == 0 else "requested",
                             "title": f"{DEMO} Kampanye akbar paslon {pair}"})
    return len(RIVAL_PLACES)


def add_demo_case(store: Store, cw: Any) -> int:
    """Open a case from the demo alert (once); return 1 if one was opened."""
    from siaga.services.alert_cases import open_case_from_alert
    from siaga.store.alerts import list_alerts

    with reading(store) as conn:
        if demo_case_exists(conn, DEMO):
            return 0
        found = [a for a in list_alerts(conn, "15.02", "open") if a.category == "money_politics"]
    if not found:
        return 0
    open_case_from_alert(cw, found[0].id, "demo", sample=f"{DEMO} {DEMO_TEXTS[0]}",
                         title_prefix=f"{DEMO} ")
    return 1
