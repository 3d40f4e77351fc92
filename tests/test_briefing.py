"""The meeting briefing for Merangin: rendered to PDF, read back with pdftotext and pdftoppm."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from siaga.domain.risk import UnitLevel
from siaga.risk.framework import get_framework
from siaga.services.briefing import format_of, make_briefing, parse_period
from siaga.services.risk import RiskError, score_table
from siaga.store import Store

AS_OF = "2026-11-20"
FRAMEWORK = get_framework("tps-rawan-pilkada-2024")


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.fail(f"{tool} (Debian's poppler-utils) is missing: make test-deps installs it")
    return found


@pytest.fixture(scope="module")
def merangin_pdf(world: Store, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """Return the PDF briefing of Merangin and its text (pdftotext -layout)."""
    with world.engine.connect() as conn:
        rendered = make_briefing(conn, FRAMEWORK, "15.02", as_of=AS_OF, fmt="pdf")
    path = tmp_path_factory.mktemp("brief") / "merangin.pdf"
    path.write_bytes(rendered.content)
    text = subprocess.run([_poppler("pdftotext"), "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    return path, text


def test_pdf_pages_render_as_images(merangin_pdf: tuple[Path, str], tmp_path: Path) -> None:
    path, _ = merangin_pdf
    subprocess.run([_poppler("pdftoppm"), "-r", "40", "-png", str(path), str(tmp_path / "p")],
                   check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 3
    assert all(p.stat().st_size > 2_000 for p in pages)  # not blank


def test_pdf_states_the_facts_of_the_database(world: Store,
                                              merangin_pdf: tuple[Path, str]) -> None:
    _, text = merangin_pdf
    flat = " ".join(text.split())
    with world.engine.connect() as conn:
        rows, _ = score_table(conn, FRAMEWORK, UnitLevel.DISTRICT, "15.02",
                              as_of=datetime(2026, 11, 20, 16, 59, 59, tzinfo=UTC))
    high = sum(r["class"] == "high" for r in rows)
    medium = sum(r["class"] == "medium" for r in rows)
    assert "Kabupaten Merangin (15.02)" in flat and "Jambi" not in flat.split("Ringkasan")[0]
    assert f"{high} dari 24 kecamatan di Kabupaten Merangin" in flat
    assert f"dan {medium} pada kelas sedang" in flat
    top = rows[0]
    assert f"Paling rawan: {top['name']} ({top['score']:.1f}" in flat
    assert "Keadaan per: 2026-11-20 23:59 WIB" in flat
    assert "DATA CONTOH" in flat  # the demo observations are marked
    assert "Lampiran: sumber data" in flat and "polling-stations" in flat


def test_same_data_and_as_of_give_the_same_document(world: Store) -> None:
    with world.engine.connect() as conn:
        first = make_briefing(conn, FRAMEWORK, "15.02", as_of=AS_OF, fmt="html")
        again = make_briefing(conn, FRAMEWORK, "15.02", as_of=AS_OF, fmt="html")
    assert first.content == again.content
    for outside in (b"<script", b'src="http', b'href="http', b"url("):
        assert outside not in first.content  # self-contained: nothing to fetch


def test_english_briefing_of_a_district(world: Store) -> None:
    with world.engine.connect() as conn:
        rendered = make_briefing(conn, FRAMEWORK, "15.02.01", as_of=AS_OF, lang="en",
                                 fmt="html")
    html = rendered.content.decode()
    assert rendered.briefing.unit_level == "village"
    assert "Ten most vulnerable polling stations" in html and "villages of Jangkat" in html


@pytest.mark.parametrize(
    ("scope", "period", "message"),
    [("national", "7d", "needs a province, regency or district"),
     ("15.02", "7 days", "number of days"), ("15.02", "0d", "number of days"),
     ("15.02.01.2001", "7d", "district or larger"), ("15-02", "7d", "15-02")],
)
def test_bad_requests_say_what_is_wrong(world: Store, scope: str, period: str,
                                        message: str) -> None:
    with world.engine.connect() as conn, pytest.raises(RiskError, match=message):
        make_briefing(conn, FRAMEWORK, scope, period=period, fmt="html")


def test_output_format_and_period_parsing() -> None:
    assert format_of(Path("rakor.PDF")) == "pdf" and parse_period("14d") == 14
    with pytest.raises(RiskError, match=r"\.pdf or \.html"):
        format_of(Path("rakor.docx"))


def test_changes_are_measured_against_the_previous_briefing(world: Store) -> None:
    with world.engine.connect() as conn:
        first = make_briefing(conn, FRAMEWORK, "15.02", as_of="2026-11-21", fmt="html")
        later = make_briefing(conn, FRAMEWORK, "15.02", as_of="2026-11-28", fmt="html")
    assert later.briefing.compared_to is not None
    assert later.briefing.compared_to == first.briefing.as_of
    # Nothing was observed between the two: every unit shown is unchanged since the first.
    assert [r.change for r in later.briefing.top_units] == [0.0] * len(later.briefing.top_units)
    assert b"Perubahan dibanding bahan rakor sebelumnya" in later.content
