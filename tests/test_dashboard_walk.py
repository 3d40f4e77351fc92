"""Every dashboard page as every role, in Indonesian and English, read as an officer reads it.

Fails when visible text shows an enum value, an agency code, a contest id, an ISO timestamp, or
a time of day without its zone (WIB/WITA/WIT). Text people wrote (signal texts, case titles,
venues: marked `.ut`) and commands (`code`) are left out of the check. Screenshots of every
page land in test-artifacts/.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum

import pytest

from siaga.domain.access import Permission, Principal, Role
from siaga.domain.cases import CaseStatus, CaseType, ReportStatus
from siaga.domain.events import EventType, PermitStatus, Response, Severity, WarningKind
from siaga.domain.roles import AGENCIES
from siaga.domain.signals import AlertStatus
from siaga.services.alert_cases import CATEGORY_LABELS
from siaga.store import Store
from tests.browser import screenshot
from tests.conftest import ACCOUNT_PASSWORD, ROLE_ACCOUNTS

playwright = pytest.importorskip("playwright.sync_api")

ENUMS: list[type[StrEnum]] = [CaseStatus, CaseType, ReportStatus, EventType, PermitStatus,
                              Response, Severity, WarningKind, AlertStatus, Role]
CODES = sorted({str(v) for e in ENUMS for v in e} | set(CATEGORY_LABELS))
# Codes with an underscore never read as words in either language; agency codes are lower-case
# abbreviations that only ever appear as codes.
EVERYWHERE = [c for c in CODES if "_" in c] + list(AGENCIES)
# One-word codes ("open", "high", "rally") are English words: wrong on an Indonesian page only.
INDONESIAN_ONLY = [c for c in CODES if "_" not in c and c not in {"admin", "hoax"}]
# A code standing alone: not part of a path, a file name or a user name such as bawaslu.uji.
WORD = r"(?<![\w/.-]){}(?![\w/-]|\.\w)"
CONTEST_ID = re.compile(r"\bpilkada\d{4}:\w+")
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2})?")
ZONE = r"(?!\s*(?:WIB|WITA|WIT)\b)"
CLOCK = {"id": re.compile(r"\b\d{1,2}\.\d{2}\b" + ZONE),
         "en": re.compile(r"\b\d{1,2}:\d{2}\b" + ZONE)}

# Each page and the permission its route declares; {alert} and {case} are filled in.
PAGES = [("/forum", Permission.VIEW_CASES), ("/peta", Permission.VIEW_RISK),
         ("/peta/15.02", Permission.VIEW_RISK), ("/peringatan", Permission.VIEW_ALERTS),
         ("/peringatan/{alert}", Permission.VIEW_ALERTS), ("/sinyal", Permission.VIEW_SIGNALS),
         ("/kasus", Permission.VIEW_CASES), ("/kasus/{case}", Permission.VIEW_CASES),
         ("/kegiatan?scope=15.02", Permission.VIEW_EVENTS),
         ("/kesiapan?scope=15.02", Permission.VIEW_EVENTS),
         ("/partisipasi?scope=17.06", Permission.VIEW_PARTICIPATION),
         ("/bahan-rakor", Permission.VIEW_BRIEFING), ("/status", Permission.VIEW_STATUS),
         ("/lapor", Permission.SUBMIT_REPORT), ("/lapor/status?kode={receipt}",
                                                Permission.CHECK_RECEIPT)]
ROLES = [*ROLE_ACCOUNTS, None]  # None: the public, without an account


def offences(text: str, lang: str) -> list[str]:
    """Return what in the text a reader should never see on a page in `lang`."""
    found = [c for c in EVERYWHERE if re.search(WORD.format(re.escape(c)), text)]
    if lang == "id":
        found += [c for c in INDONESIAN_ONLY if re.search(WORD.format(re.escape(c)), text)]
    found += CONTEST_ID.findall(text) + ISO.findall(text)
    found += [f"time without zone: {m}" for m in CLOCK[lang].findall(text)]
    return found


def test_the_check_catches_what_it_is_for() -> None:
    assert offences("Status: in_progress", "en") == ["in_progress"]
    assert offences("instansi bawaslu", "id") == ["bawaslu"]
    assert offences("bawaslu.uji · Petugas instansi · Bawaslu Kabupaten", "id") == []
    assert offences("kasus open", "id") == ["open"] and offences("Open cases", "en") == []
    assert offences("paslon 1 (pilkada2024:regent:15.02)", "en") == ["pilkada2024:regent"]
    assert offences("per 2026-12-06T03:35", "id") == ["2026-12-06T03:35"]
    assert offences("pukul 03.35", "id") == ["time without zone: 03.35"]
    assert offences("pukul 03.35 WIB, 1.234 sinyal, skor 6,2", "id") == []
    assert offences("at 03:35 WITA", "en") == [] and offences("at 03:35", "en")


@pytest.fixture(scope="module")
def walk_data(world: Store, base_url: str) -> Iterator[dict[str, str]]:
    """Add the demo rallies and case (events removed afterwards); return ids to visit."""
    from sqlalchemy import delete, func, or_, select

    from siaga.domain.cases import Channel, NewReport
    from siaga.services.cases import show_case
    from siaga.services.casework import casework_from
    from siaga.services.demo_activity import DEMO, add_demo_case, add_demo_events
    from siaga.services.reports import submit_report
    from siaga.settings import load_settings
    from siaga.store.alerts import list_alerts
    from siaga.store.schema import campaign_events, cases

    cw = casework_from(load_settings(env={}), world)
    with world.engine.connect() as conn:
        before = conn.execute(select(func.coalesce(func.max(campaign_events.c.id), 0))).scalar()
    try:
        add_demo_events(world, datetime.now(UTC))
        add_demo_case(world, cw)
        receipt = submit_report(cw, NewReport("Ada pembagian uang", Channel.PUBLIC,
                                              "15.02")).receipt
        with world.engine.connect() as conn:
            alert = list_alerts(conn, "15.02", "open")[0].id
            # The demo alert's case: the demo one, or the one a browser test opened from the
            # alert before (other tests add cases of other agencies to the shared store).
            case = int(conn.execute(select(func.max(cases.c.id)).where(or_(
                cases.c.title.like(f"{DEMO}%"), cases.c.alert_id == alert))).scalar_one())
        shown = show_case(cw, case)
        involved = {shown.lead_agency, *shown.supporting_agencies}
        yield {"alert": str(alert), "case": str(case), "receipt": receipt,
               "involved": ",".join(sorted(involved))}
    finally:
        with world.engine.begin() as conn:
            conn.execute(delete(campaign_events).where(campaign_events.c.id > before))


def _session(browser: object, base_url: str, username: str | None) -> object:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    # A fresh server builds each regency's index on its first request; on a loaded machine
    # that can take longer than Playwright's 30 s default. This is a wait bound, not a speed test.
    context.set_default_timeout(180_000)
    if username is not None:
        page = context.new_page()
        page.goto(base_url + "/masuk")
        page.fill("#username", username)
        page.fill("#password", ACCOUNT_PASSWORD)
        page.click("form.login button[type=submit]")
        page.wait_for_url(lambda url: "/masuk" not in url)
        page.close()
    return context


def _errors_of(page: object) -> list[str]:
    """Return a list that collects the page's console errors as they happen."""
    errors: list[str] = []
    page.on("console",  # type: ignore[attr-defined]
            lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


READ_TEXT = """() => {
  const copy = document.querySelector("main").cloneNode(true);
  copy.querySelectorAll(".ut, code, script, style").forEach((n) => n.remove());
  document.body.appendChild(copy);
  copy.style.position = "absolute"; copy.style.left = "-99999px";
  const text = document.querySelector("header").innerText + "\\n" + copy.innerText;
  copy.remove();
  return text;
}"""


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_page_as_every_role_reads_without_codes(browser: object, base_url: str,
                                                      world: Store, walk_data: dict[str, str],
                                                      lang: str) -> None:
    problems: list[str] = []
    visited = 0
    for username in ROLES:
        role = Role(ROLE_ACCOUNTS[username][0]) if username else Role.PUBLIC
        who = Principal(username, role, ROLE_ACCOUNTS[username][1] if username else None)
        context = _session(browser, base_url, username)
        page = context.new_page()  # type: ignore[attr-defined]
        console = _errors_of(page)
        for template, permission in PAGES:
            if not who.may(permission):
                continue
            path = template.format(**walk_data)
            answer = page.goto(base_url + path + ("&" if "?" in path else "?") + f"lang={lang}")
            if "{case}" in template and who.agency is not None \
                    and who.agency not in walk_data["involved"].split(","):
                # An officer sees only the cases their agency works on.
                assert answer is not None and answer.status == 404, (username, path)
                continue
            assert answer is not None and answer.status == 200, (username, path)
            visited += 1
            problems += [f"{username or 'public'} {path}: {o}"
                         for o in offences(page.evaluate(READ_TEXT), lang)]
            if username in ("admin.uji", None) and world.dialect == "sqlite":
                name = re.sub(r"[^a-z0-9]+", "-", path.split("?")[0]).strip("-") or "home"
                screenshot(page, f"page-{name}-{lang}-{username or 'public'}")
        assert not console, (username, console)  # no script error on any page
        context.close()  # type: ignore[attr-defined]
    assert visited > 60
    assert not problems, "\n".join(problems)
