"""Storage of alerts: counts of signal facts per window, one alert per key and window, links."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from siaga.domain.regions import ancestors_of
from siaga.domain.signals import Alert, AlertStatus
from siaga.store.schema import alert_queue, alert_signals, alerts, signal_facts, signals
from siaga.store.signals import as_utc, bound_time
from siaga.store.sql import below, marks

Key = tuple[str, str]  # (region code, category)


Window = tuple[Key, date]  # a key and the first day of one of its windows


def queue_windows(conn: Connection, windows: Iterable[Window]) -> None:
    """Note windows whose facts changed, to be judged by the next evaluation (kept once each).

    Written in the transaction that stores the facts, so a crash before the evaluation leaves
    the windows in the queue for the next run instead of in a lost process's memory.
    """
    rows = [{"region_code": r, "category": c, "window_start": w}
            for (r, c), w in sorted(set(windows))]
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(alert_queue).on_conflict_do_nothing(), rows)


def queued_windows(conn: Connection) -> set[Window]:
    """Return every window waiting in the queue."""
    q = alert_queue.c
    return {((r, c), _day(w)) for r, c, w in conn.execute(
        select(q.region_code, q.category, q.window_start))}


def dequeue_windows(conn: Connection, windows: Iterable[Window]) -> None:
    """Remove judged windows from the queue."""
    q = alert_queue.c
    wanted = sorted(set(windows))
    for start in range(0, len(wanted), 200):
        conn.execute(delete(alert_queue).where(or_(*(
            and_(q.region_code == r, q.category == c, q.window_start == w)
            for (r, c), w in wanted[start:start + 200]))))


def first_fact_day(conn: Connection) -> date | None:
    """Return the earliest day any signal fact holds (None on an empty store)."""
    value = conn.execute(select(func.min(signal_facts.c.day))).scalar()
    return value if isinstance(value, date) or value is None else date.fromisoformat(str(value))


def daily_counts(conn: Connection, keys: Iterable[Key], since: date) -> dict[Key, dict[date, int]]:
    """Return per (region, category) the number of signals per day from `since` on."""
    out: dict[Key, dict[date, int]] = defaultdict(dict)
    wanted = sorted(set(keys))
    m = marks(conn, 1)
    first = since.isoformat() if conn.dialect.name == "sqlite" else since
    for start in range(0, len(wanted), 200):
        part = wanted[start:start + 200]
        # Raw SQL: building and compiling 200 SQLAlchemy clauses cost more than the query.
        clause = " OR ".join([f"(region_code = {m} AND category = {m})"] * len(part))
        sql = (f"SELECT region_code, category, day, COUNT(*) FROM signal_facts"
               f" WHERE ({clause}) AND day >= {m} GROUP BY region_code, category, day")
        params = (*(value for pair in part for value in pair), first)
        for region, category, day, count in conn.exec_driver_sql(sql, params):
            out[(region, category)][_day(day)] = int(count)
    return out


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def find_alert(conn: Connection, key: Key, window_start: date, window_days: int) -> int | None:
    """Return the id of the alert of this key and window, if any."""
    return conn.execute(select(alerts.c.id).where(
        alerts.c.region_code == key[0], alerts.c.category == key[1],
        alerts.c.window_start == window_start, alerts.c.window_days == window_days)).scalar()


def save_alert(conn: Connection, key: Key, window_start: date, window_days: int, observed: int,
               expected: float, p_value: float, method: str, now: datetime) -> tuple[int, bool]:
    """Open the alert of this key and window, or update the open one; return (id, opened)."""
    found = find_alert(conn, key, window_start, window_days)
    values = {"observed": observed, "expected": expected, "p_value": p_value,
              "updated_at": bound_time(conn, now)}
    if found is not None:
        conn.execute(update(alerts).where(alerts.c.id == found).values(**values))
        return int(found), False
    result = conn.execute(insert(alerts).values(
        region_code=key[0], category=key[1], window_start=window_start,
        window_days=window_days, method=method, status=AlertStatus.OPEN.value,
        max_severity=0.0, opened_at=bound_time(conn, now), **values))
    assert result.inserted_primary_key is not None
    return int(result.inserted_primary_key[0]), True


def link_signals(conn: Connection, alert_id: int, key: Key, first: date, last: date) -> int:
    """Link every signal of the key between the two days to the alert; return how many were new."""
    f = signal_facts.c
    linked = select(alert_signals.c.signal_id).where(alert_signals.c.alert_id == alert_id)
    new_ids = list(conn.execute(select(f.signal_id).where(
        f.region_code == key[0], f.category == key[1], f.day >= first, f.day <= last,
        f.signal_id.not_in(linked))).scalars())
    if new_ids:
        conn.execute(insert(alert_signals), [{"alert_id": alert_id, "signal_id": s}
                                             for s in new_ids])
    top = conn.execute(select(func.max(f.severity)).where(
        f.region_code == key[0], f.category == key[1], f.day >= first, f.day <= last)).scalar()
    conn.execute(update(alerts).where(alerts.c.id == alert_id).values(
        max_severity=float(top or 0.0)))
    return len(new_ids)


def close_ended(conn: Connection, before: date, now: datetime) -> int:
    """Close open alerts whose window started before `before`; return how many."""
    result = conn.execute(update(alerts).where(
        alerts.c.status == AlertStatus.OPEN.value, alerts.c.window_start < before).values(
        status=AlertStatus.CLOSED.value, updated_at=bound_time(conn, now)))
    return int(result.rowcount or 0)


def list_alerts(conn: Connection, scope: str | None = None, status: str | None = None,
                limit: int = 200, alert_id: int | None = None) -> list[Alert]:
    """Return alerts (newest window first), inside a region scope and of a status if given."""
    query = select(alerts).order_by(alerts.c.window_start.desc(), alerts.c.p_value).limit(limit)
    if alert_id is not None:
        query = query.where(alerts.c.id == alert_id)
    if status:
        query = query.where(alerts.c.status == status)
    if scope:
        codes = [c.strip() for c in scope.split(",") if c.strip()]
        query = query.where(or_(*(
            # the scope itself, what lies inside it, and the regions that contain it
            or_(alerts.c.region_code == c, below(alerts.c.region_code, c),
                alerts.c.region_code.in_(ancestors_of(c)))
            for c in codes)))
    rows = conn.execute(query).all()
    links: dict[int, list[int]] = defaultdict(list)
    if rows:
        for alert_id, signal_id in conn.execute(select(
                alert_signals.c.alert_id, alert_signals.c.signal_id).where(
                alert_signals.c.alert_id.in_([r.id for r in rows])).order_by(
                alert_signals.c.signal_id)):
            links[alert_id].append(signal_id)
    return [
        Alert(id=r.id, region_code=r.region_code, category=r.category,
              window_start=_day(r.window_start), window_days=r.window_days,
              observed=r.observed, expected=r.expected, p_value=r.p_value, method=r.method,
              status=AlertStatus(r.status), opened_at=as_utc(r.opened_at),
              updated_at=as_utc(r.updated_at), signal_ids=links[r.id],
              max_severity=r.max_severity)
        for r in rows
    ]


def counted_signals(conn: Connection) -> list[tuple[str, str]]:
    """Return (signal source id, category) of every signal fact: what alerts count."""
    f, s = signal_facts.c, signals.c
    rows = conn.execute(select(s.source_id, f.category).join(signals, s.id == f.signal_id))
    return [(str(a), str(b)) for a, b in rows]


def alert_members(conn: Connection) -> list[tuple[int, str, str]]:
    """Return (alert id, category, signal source id) of every signal linked to an alert."""
    a, link, s = alerts.c, alert_signals.c, signals.c
    rows = conn.execute(select(a.id, a.category, s.source_id)
                        .join(alert_signals, link.alert_id == a.id)
                        .join(signals, s.id == link.signal_id))
    return [(int(i), str(c), str(sid)) for i, c, sid in rows]
