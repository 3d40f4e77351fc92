"""The takedown pack on both databases: manifest checksums, cover letter text, response tracker."""

from __future__ import annotations

import hashlib
import json
import subprocess
import zipfile
from pathlib import Path

import pytest

from siaga.domain.cases import CaseStatus, CaseType
from siaga.services import cases as service
from siaga.services import takedown
from siaga.services.audit import verify_audit
from siaga.services.casework import Casework, CaseworkError
from tests import cases_support
from tests.cases_support import PNG, START, Clock

region_store, clock, cw = cases_support.region_store, cases_support.clock, cases_support.cw


def _takedown_case(cw: Casework, urgent: bool = True) -> int:
    case = service.open_case(cw, CaseType.CONTENT_TAKEDOWN, "Video provokasi SARA paslon 2",
                             "kominfo1", region="15.02", urgent=urgent)
    return int(case.id)


def test_pack_holds_every_file_with_its_checksum(cw: Casework, tmp_path: Path) -> None:
    case_id = _takedown_case(cw)
    with pytest.raises(CaseworkError, match="missing evidence"):
        takedown.build_pack(cw, case_id, tmp_path / "p.zip", "kominfo1")
    takedown.add_evidence(cw, case_id, "https://example.org/video/77", "kominfo1",
                          captured_text="Jangan pilih paslon 2, mereka ...", platform="tiktok",
                          screenshot=("layar.png", PNG))
    takedown.add_evidence(cw, case_id, "https://example.org/post/8", "kominfo1",
                          captured_at=START, captured_text="Teks kedua")
    takedown.set_complaint(cw, case_id, "kominfo1", category="sara",
                           articles=["ite_28_2", "pilkada_69b"], candidate_pair="Paslon 2")
    result = takedown.build_pack(cw, case_id, tmp_path / "p.zip", "kominfo1")
    with zipfile.ZipFile(tmp_path / "p.zip") as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
        contents = {name: archive.read(name) for name in names}
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    assert set(listed) == names - {"manifest.json"} == set(result.files) - {"manifest.json"}
    for path, digest in listed.items():
        assert hashlib.sha256(contents[path]).hexdigest() == digest
    assert contents["evidence/001/screenshot.png"] == PNG
    assert manifest["category"]["code"] == "sara"
    assert "Pasal 28 ayat (2)" in manifest["legal_articles"][0]
    assert manifest["candidate_pair"] == "Paslon 2"
    assert manifest["takedown_deadline_hours"] == 4
    assert manifest["items"][1]["captured_at"].startswith("2024-11-20T01:00")
    pdf = tmp_path / "cover.pdf"
    pdf.write_bytes(contents["cover_letter.pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = "".join(text.split())  # table cells may wrap a long URL over lines
    assert "https://example.org/video/77" in flat and "Provokasi SARA" in text
    assert "Paslon 2" in text and "MENDESAK" in text
    shown = service.show_case(cw, case_id)
    assert shown.actions[-1]["kind"] == "pack"
    assert hashlib.sha256((tmp_path / "p.zip").read_bytes()).hexdigest() in \
        shown.actions[-1]["body"]
    assert verify_audit(cw.store).intact


def test_tracker_measures_the_platform_deadline(cw: Casework, clock: Clock) -> None:
    case_id = _takedown_case(cw, urgent=True)
    clock.advance(hours=1)
    service.move_case(cw, case_id, CaseStatus.SUBMITTED, "kominfo1")
    clock.advance(hours=3)
    assert takedown.tracker(cw, case_id).overdue is False
    clock.advance(hours=2)
    pending = takedown.tracker(cw, case_id)
    assert pending.overdue is True and pending.hours_allowed == 4
    assert [c.id for c in service.list_cases(cw, overdue=True, agency="diskominfo")] == \
        [case_id]
    service.move_case(cw, case_id, CaseStatus.TAKEN_DOWN, "kominfo1")
    done = takedown.tracker(cw, case_id)
    assert done.hours_taken == 5 and done.met is False and done.outcome == "taken_down"
    assert service.list_cases(cw, overdue=True) == []


def test_only_takedown_cases_take_evidence(cw: Casework) -> None:
    case = service.open_case(cw, CaseType.HEALTH, "Posko", "ani")
    with pytest.raises(CaseworkError, match="not content_takedown"):
        takedown.add_evidence(cw, case.id, "https://example.org/a", "ani")
    case_id = _takedown_case(cw)
    with pytest.raises(CaseworkError, match="not a web address"):
        takedown.add_evidence(cw, case_id, "javascript:alert(1)", "ani")
    with pytest.raises(CaseworkError, match="unknown category"):
        takedown.set_complaint(cw, case_id, "ani", category="spam", articles=["ite_28_2"],
                               candidate_pair=None)
