"""Briefing use case: parse the request, gather the data, write it up, render it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from siaga.briefing.model import Briefing
from siaga.briefing.render import render_html, render_pdf
from siaga.briefing.summary import write_summary
from siaga.domain.timezones import zone_of
from siaga.risk.framework import Framework
from siaga.services.briefing_data import collect_briefing, gather_sections
from siaga.services.casework import Casework
from siaga.services.risk import RiskError, check_scope, moment_of
from siaga.store.briefings import save_scores
from siaga.store.tx import Tx

PERIOD = re.compile(r"^(\d{1,3})d$")
FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class Rendered:
    """A rendered briefing: its bytes, its format and the data it was made from."""

    content: bytes
    format: str
    briefing: Briefing


def parse_period(text: str) -> int:
    """Return the number of days in a period such as '7d'; raise RiskError otherwise."""
    found = PERIOD.match(text.strip())
    if not found or not 1 <= int(found.group(1)) <= 366:
        raise RiskError(f"period {text!r}: write a number of days from 1 to 366, e.g. 7d")
    return int(found.group(1))


def format_of(path: Path) -> str:
    """Return 'pdf' or 'html' from a file name; raise RiskError for anything else."""
    kind = path.suffix.lower().lstrip(".")
    if kind not in FORMATS:
        raise RiskError(f"{path.name}: the briefing is written as .pdf or .html")
    return kind


def make_briefing(conn: Tx, framework: Framework, scope: str, *, period: str = "7d",
                  as_of: str | None = None, lang: str = "id", fmt: str = "pdf",
                  now: datetime | None = None, cw: Casework | None = None,
                  home: Path | None = None) -> Rendered:
    """Return the rendered briefing of a scope; the same data and as-of give the same text."""
    code = check_scope(scope)
    if not code:
        raise RiskError("a briefing needs a province, regency or district code, e.g. 15.02")
    if lang not in ("id", "en"):
        raise RiskError(f"language {lang!r}: use id or en")
    moment = moment_of(as_of, code) or (now or datetime.now(zone_of(code)))
    moment = moment.astimezone(zone_of(code)).replace(microsecond=0)
    briefing = collect_briefing(conn, framework, code, as_of=moment,
                                period_days=parse_period(period), lang=lang)
    briefing.sections = gather_sections(conn, cw, home or Path("var"), code, briefing.since,
                                        moment, lang)
    briefing.recommendations += [a for s in briefing.sections.values() for a in s.actions]
    briefing.summary = write_summary(briefing)
    html = render_html(briefing)
    content = render_pdf(html) if fmt == "pdf" else html.encode("utf-8")
    save_scores(conn, code, framework.id, moment, briefing.unit_scores)
    conn.commit()  # the next briefing measures its changes against this one
    return Rendered(content, fmt, briefing)
