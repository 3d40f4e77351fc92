"""The briefing's sections beyond the risk picture: alerts and signal trends, attacks between
camps, cases and takedowns, events and medical readiness, participation. Each builds, from
data handed to it, what the template shows, sentences for the summary and actions for the
agencies; services.briefing_data gathers that data."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from siaga.briefing.charts import bar_chart_svg, daily_chart_svg
from siaga.briefing.model import Recommendation
from siaga.domain.elections import PILKADA_2024, Office, contest_id
from siaga.domain.regions import is_city
from siaga.domain.signals import Alert
from siaga.i18n.catalogue import label, labels
from siaga.i18n.formats import local_time
from siaga.i18n.phrases import alert_sentence, shortage, warning_sentence

CATEGORY_LABELS = labels("category")


@dataclass
class Section:
    """One section: what the template shows, what the summary says, what agencies should do."""

    data: dict[str, Any] = field(default_factory=dict)
    sentences: list[tuple[str, str]] = field(default_factory=list)  # (Indonesian, English)
    actions: list[Recommendation] = field(default_factory=list)


def detection_section(by_category: Mapping[str, int], by_day: Mapping[str, int], total: int,
                      alerts: Sequence[Alert], since: datetime, as_of: datetime) -> Section:
    """Return the section on open alerts and the period's signals per category and per day.

    `by_category` counts signals per category, `by_day` per local day ('YYYY-MM-DD'), `total`
    each signal once; `alerts` are the open ones in the scope, newest first (those opened after
    `as_of` are left out).
    """
    days = [(str((since + timedelta(days=n)).date()), 0) for n in
            range((as_of.date() - since.date()).days + 1)]
    days = [(d, by_day.get(d, 0)) for d, _ in days]
    alerts = [a for a in alerts if a.opened_at <= as_of]
    ranked = Counter(dict(by_category)).most_common()
    section = Section({"alerts": alerts, "labels": CATEGORY_LABELS,
                       "category_chart": bar_chart_svg(
                           [(CATEGORY_LABELS.get(c, c), n) for c, n in ranked],
                           "Sinyal per kategori / signals per category"),
                       "daily_chart": daily_chart_svg(days, "Sinyal per hari / signals per day"),
                       "signals": total, "days": days})
    if alerts:
        top = alerts[0]
        section.sentences.append((
            f"Ada {len(alerts)} peringatan terbuka; yang terbaru: "
            f"{alert_sentence(_alert_figures(top))}.",
            f"{len(alerts)} alerts are open; the newest: "
            f"{alert_sentence(_alert_figures(top), 'en')}."))
        for alert in alerts[:3]:
            name = CATEGORY_LABELS.get(alert.category, alert.category)
            section.actions.append(Recommendation(
                "Kesbangpol", f"Verifikasi peringatan #{alert.id} ({name}) dan buka kasus "
                "bila terbukti",
                f"peringatan #{alert.id}: " + alert_sentence(_alert_figures(alert))))
    return section


def _alert_figures(alert: Any) -> dict[str, Any]:
    return {"observed": alert.observed, "expected": alert.expected,
            "category": alert.category, "window_days": alert.window_days}


def cases_section(cases: list[dict[str, Any]], trackers: list[dict[str, Any]],
                  as_of: datetime) -> Section:
    """Return open cases by lead agency with the overdue ones, and takedown response times."""
    by_agency: dict[str, dict[str, int]] = defaultdict(lambda: {"open": 0, "overdue": 0})
    overdue = [c for c in cases if c["due_at"] is not None and c["due_at"] < as_of]
    for case in cases:
        by_agency[case["lead_agency"]]["open"] += 1
    for case in overdue:
        by_agency[case["lead_agency"]]["overdue"] += 1
    section = Section({"by_agency": dict(sorted(by_agency.items())), "overdue": overdue,
                       "takedowns": trackers})
    if cases:
        section.sentences.append((
            f"{len(cases)} kasus terbuka, {len(overdue)} lewat tenggat.",
            f"{len(cases)} cases are open, {len(overdue)} overdue."))
    for case in overdue[:6]:
        section.actions.append(Recommendation(
            case["lead_agency"], f"Selesaikan kasus #{case['id']}: {case['title']}",
            f"kasus #{case['id']}, tenggat {local_time(case['due_at'], case['region'])} "
            f"({label('deadline', case['deadline_name'])})"))
    return section


def events_section(clashes: dict[str, Any], board: list[dict[str, Any]],
                   lang: str = "id") -> Section:
    """Return upcoming warnings and the districts whose medical readiness falls short.

    Actions are worded in the briefing's language ('kurang 2 tim medis').
    """
    warnings = clashes.get("warnings", [])
    short = [row for row in board if not row["ready"]]
    section = Section({"warnings": warnings, "events": clashes.get("events", 0),
                       "short": short, "districts": len(board)})
    if warnings:
        section.sentences.append((
            f"{len(warnings)} peringatan kegiatan kampanye (bentrok/kerawanan) pada periode "
            "mendatang.", f"{len(warnings)} campaign-event warnings (clash or risk) ahead."))
    for warning in warnings[:4]:
        section.actions.append(Recommendation(
            "Polres", f"{label('response', warning['response'], lang)}: "
            f"{warning_sentence(warning, lang, {}, {})}",
            f"{'events' if lang == 'en' else 'kegiatan'} "
            f"{', '.join(str(e) for e in warning['events'])}, "
            f"{label('severity', warning['severity'], lang).lower()}"))
    for row in short[:4]:
        gaps = shortage(row["short"], lang)
        if not row["psc119"]:
            gaps.append("no PSC 119 coverage" if lang == "en" else "PSC 119 tidak menjangkau")
        section.actions.append(Recommendation(
            "Dinkes", (f"Bring {row['name']} to medical readiness: " if lang == "en" else
                       f"Penuhi kesiapan medis di {row['name']}: ") + "; ".join(gaps),
            f"{'readiness board' if lang == 'en' else 'papan kesiapan'} {row['name']}"))
    return section


def participation_section(rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]
                          ) -> Section:
    """Return the turnout outlook: total against target and the worst districts."""
    worst = [r for r in rows if (r["gap_points"] or 0) > 0][:5]
    section = Section({"meta": meta, "worst": worst,
                       "chart": bar_chart_svg(
                           [(r["name"], round(100 * r["turnout"], 1)) for r in rows
                            if r["turnout"] is not None][:15],
                           "Partisipasi per kecamatan / turnout per district", unit="%")})
    if meta.get("turnout") is not None and meta.get("target") is not None:
        section.sentences.append((
            f"Partisipasi {100 * meta['turnout']:.1f}% terhadap target "
            f"{100 * meta['target']:.1f}%.",
            f"Turnout {100 * meta['turnout']:.1f}% against a target of "
            f"{100 * meta['target']:.1f}%."))
    for row in worst[:3]:
        section.actions.append(Recommendation(
            "KPU", f"Sosialisasi di {row['name']} (selisih {row['gap_points']:.1f} poin)",
            f"turnout {row['code']}: {100 * row['turnout']:.1f}% vs "
            f"{100 * row['target']:.1f}%"))
    return section


def attacks_section(timelines: Sequence[dict[str, Any]], since: datetime,
                    as_of: datetime) -> Section:
    """Return the period's attacks between camps from the attack timelines of the scope's
    races (see services.attacks.contest_timeline): per contest, the attack signals by pair
    targeted."""
    contests = []
    for found in timelines:
        attacks = [a for a in found["attacks"]
                   if since <= datetime.fromisoformat(a["occurred_at"]) <= as_of]
        if attacks:
            contests.append(_contest_attacks(found, attacks))
    section = Section({"contests": contests})
    for item in contests:
        top = item["targets"][0] if item["targets"] else None
        name = item["name"]
        section.sentences.append((
            f"{name}: {item['total']} sinyal serangan antarkubu"
            + (f", terbanyak menyasar No. {top['number']} {top['names']} ({top['count']})."
               if top else "."),
            f"{name}: {item['total']} attack signals between camps"
            + (f", most aimed at No. {top['number']} {top['names']} ({top['count']})."
               if top else ".")))
        section.actions.append(Recommendation(
            "Bawaslu", f"Telusuri sumber serangan di {name} dan ingatkan tim kampanye "
            "agar tidak saling serang",
            f"{item['total']} attack signals, {item['between_camps']} between camps"))
    return section


def races_of(scope: str) -> list[str]:
    """Return the ids of the Pilkada 2024 races a scope takes part in: its regency's (regent or
    mayor) and its province's (governor)."""
    code = scope.replace(".", "")
    found = [contest_id(PILKADA_2024, Office.GOVERNOR, code[:2])]
    if len(code) >= 4:
        regency = f"{code[:2]}.{code[2:4]}"
        office = Office.MAYOR if is_city(regency) else Office.REGENT
        found.insert(0, contest_id(PILKADA_2024, office, regency))
    return found


def _contest_attacks(found: dict[str, Any], attacks: list[dict[str, Any]]) -> dict[str, Any]:
    """Return one contest's attacks counted by target pair, most attacked first."""
    targets: Counter[int] = Counter(a["target"]["number"] for a in attacks if a["target"])
    names = {p["number"]: p["names"] for p in found["pairs"]}
    return {
        "name": found["contest"]["name"],
        "total": len(attacks),
        "between_camps": sum(1 for a in attacks if a["between_camps"]),
        "untargeted": sum(1 for a in attacks if not a["target"]),
        "targets": [{"number": n, "names": names.get(n, ""), "count": k}
                    for n, k in sorted(targets.items(), key=lambda x: (-x[1], x[0]))],
    }
