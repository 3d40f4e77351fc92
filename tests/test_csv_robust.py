"""CSV files the parser cannot take whole: an unclosed quote and an oversized field are rows
refused with file:line, counted, and the rows after them still load; no import crashes."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from siaga.datafiles.csv_rows import FIELD_LIMIT, csv_records
from siaga.server import create_app
from siaga.services.casework import Casework
from siaga.services.report_import import import_reports_csv
from siaga.settings import load_settings
from siaga.store import Store
from siaga.store.schema import campaign_events, reports
from tests import cases_support
from tests.conftest import login_headers

region_store, clock, cw = cases_support.region_store, cases_support.clock, cases_support.cw
HUGE = "x" * 200_000  # over the csv module's default limit of 131,072 characters


def _reports_csv(rows: int, broken: dict[int, str]) -> str:
    """A report file; data row i is on line i + 2, and `broken` replaces whole lines by row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["text", "region", "occurred_at"])
    for i in range(rows):
        writer.writerow([f"Laporan warga nomor {i}: spanduk hoaks di pasar", "15.02",
                         "2024-11-20T09:00+07:00"])
    lines = out.getvalue().split("\n")
    for row, line in broken.items():
        lines[row + 1] = line
    return "\n".join(lines)


def test_an_unclosed_quote_is_named_and_the_rows_after_it_are_read() -> None:
    text = _reports_csv(100, {5: '"Amplop dibagikan di Bangko,15.02,2024-11-20T09:00+07:00'})
    records = list(csv_records(text))
    problems = [r for r in records if r.problem is not None]
    assert len(problems) == 1 and problems[0].line == 7
    assert "unclosed quote" in (problems[0].problem or "")
    rows = [r for r in records[1:] if r.problem is None]
    assert len(rows) == 99 and [r.line for r in rows] == [n for n in range(2, 102) if n != 7]
    assert all(r.fields[1] == "15.02" for r in rows)


def test_an_oversized_field_is_a_row_problem_not_a_crash() -> None:
    text = _reports_csv(10, {3: f"{'y' * (FIELD_LIMIT + 1)},15.02,2024-11-20T09:00+07:00"})
    records = list(csv_records(text))
    (problem,) = [r for r in records if r.problem is not None]
    assert problem.line == 5 and "field 1" in (problem.problem or "")
    assert len([r for r in records[1:] if r.problem is None]) == 9


def test_report_import_counts_every_skipped_row_and_loses_none(cw: Casework,
                                                               tmp_path: Path) -> None:
    path = tmp_path / "laporan.csv"
    path.write_text(_reports_csv(100, {
        40: f"{HUGE},15.02,2024-11-20T09:00+07:00",
        60: '"Serangan fajar di Nalo Tantan,15.02,2024-11-20T09:00+07:00',
    }), encoding="utf-8")
    summary = import_reports_csv(cw, path, "ani")
    rejected = dict(summary.rejected)
    assert (summary.rows, summary.stored, len(rejected)) == (100, 98, 2)
    assert "too long" in rejected[42] or "terlalu panjang" in rejected[42]
    assert "unclosed quote" in rejected[62]
    with cw.store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(reports)).scalar_one() == 98
    again = import_reports_csv(cw, path, "ani")
    assert (again.stored, again.already) == (0, 98)


def _client(store: Store, home: Path) -> TestClient:
    client = TestClient(create_app(load_settings(env={}, home=home), store=store))
    client.headers.update(login_headers(store))
    return client


EVENTS_HEADER = "candidate,type,region,venue,lat,lng,start,end,expected_crowd,permit_status\n"


def _event_line(venue: str) -> str:
    return (f"3,rally,17.06.01,{venue},,,2026-12-02T09:00+07:00,2026-12-02T11:00+07:00,"
            "500,issued\n")


def test_import_routes_answer_problems_not_500(world: Store, tmp_path: Path) -> None:
    client = _client(world, tmp_path)
    body = (EVENTS_HEADER + _event_line("Lapangan Robust A")
            + _event_line("y" * (FIELD_LIMIT + 1))
            + '3,rally,17.06.01,"Balai tanpa kutip tutup,,,2026-12-02T09:00+07:00,'
              '2026-12-02T11:00+07:00,500,issued\n'
            + _event_line("Lapangan Robust B"))
    try:
        sent = client.post("/api/v1/imports/events",
                           files={"file": ("kegiatan.csv", body.encode(), "text/csv")})
        assert sent.status_code == 200, sent.text
        found = sent.json()
        assert found["stored"] == 2
        assert sorted(p.split(":")[1] for p in found["problems"]) == ["3", "4"]
    finally:
        with world.engine.begin() as conn:
            conn.execute(campaign_events.delete().where(
                campaign_events.c.venue.like("Lapangan Robust%")))
    turnout = client.post(
        "/api/v1/imports/turnout", params={"election": "uji-csv-robust"},
        files={"file": ("partisipasi.csv", f"region,turnout\n17.06,{HUGE}\n".encode(),
                        "text/csv")})
    assert turnout.status_code == 200, turnout.text
    assert turnout.json()["stored"] == 0
    assert turnout.json()["problems"][0].startswith("partisipasi.csv:2:")
