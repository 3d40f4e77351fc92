"""From an alert to tracked work: the alert becomes a report (once) and a case routed by type."""

from __future__ import annotations

from dataclasses import dataclass

from siaga.domain.cases import CaseType, CaseView, PromotedItem, ReportOrigin
from siaga.domain.roles import Viewer
from siaga.domain.signals import Alert
from siaga.i18n.catalogue import labels
from siaga.services import cases as case_service
from siaga.services.casework import Casework, NotFound, writing
from siaga.services.reports import promote_in
from siaga.store import alerts as alert_db
from siaga.store import case_links as links
from siaga.store.tx import DuplicateRow, reading

# Which kind of case answers each alert category: content goes to the takedown track, vote
# buying and ASN neutrality to Bawaslu's tracks, clashes and crowds to security.
CASE_TYPE_OF = {
    "money_politics": CaseType.MONEY_POLITICS, "asn_neutrality": CaseType.ASN_NEUTRALITY,
    "hate_sara": CaseType.CONTENT_TAKEDOWN, "hoax": CaseType.CONTENT_TAKEDOWN,
    "black_campaign": CaseType.CONTENT_TAKEDOWN,
    "violence_intimidation": CaseType.SECURITY, "mass_mobilization": CaseType.SECURITY,
    "logistics_admin": CaseType.LOGISTICS, "disaster_health": CaseType.HEALTH,
    "participation": CaseType.OTHER,
}
CATEGORY_LABELS = labels("category")  # the Indonesian names, kept in the i18n catalogue


def alert_by_id(cw: Casework, alert_id: int) -> Alert:
    """Return one stored alert, or raise NotFound."""
    with reading(cw.store) as conn:
        found = alert_db.list_alerts(conn, alert_id=alert_id)
    if not found:
        raise NotFound(f"peringatan {alert_id} tidak ditemukan / alert {alert_id} not found")
    return found[0]


@dataclass(frozen=True)
class AlertCase:
    """The case of an alert, and whether this call opened it (False: it was there already)."""

    case: CaseView
    created: bool


def case_id_of_alert(cw: Casework, alert_id: int) -> int | None:
    """Return the id of the case opened from an alert, or None."""
    with reading(cw.store) as conn:
        return links.case_of_alert(conn, alert_id)


def open_case_from_alert(cw: Casework, alert_id: int, actor: str, *, sample: str,
                         title_prefix: str = "", viewer: Viewer | None = None) -> AlertCase:
    """Return the alert's case, opening it (with the alert promoted to a report) if need be.

    One alert has one case: a second call answers the first case, also when two calls race
    (the unique alert id on cases refuses the slower insert, which then reads the winner's).
    `sample` is the text the report carries (the alert's strongest signal); `viewer` is the
    signed-in user (an officer may open only a case their agency leads).
    """
    from siaga.i18n.formats import DASH, day
    from siaga.i18n.phrases import usual_range
    from siaga.store.queries import name_of

    alert = alert_by_id(cw, alert_id)
    held = case_id_of_alert(cw, alert_id)
    if held is not None:
        return AlertCase(case_service.show_case(cw, held), False)
    label = CATEGORY_LABELS.get(alert.category, alert.category)
    with reading(cw.store) as conn:
        place = name_of(conn, alert.region_code) or alert.region_code
    low, high = usual_range(alert.expected)
    summary = (f"Peringatan #{alert.id}: {label} naik di {place} "
               f"({alert.observed} sinyal sejak {day(alert.window_start)}; biasanya "
               f"{low}{DASH}{high}). Contoh: {sample}")
    case_type = CASE_TYPE_OF.get(alert.category, CaseType.OTHER)
    try:
        with writing(cw.store) as conn:
            report = promote_in(conn, cw, PromotedItem(
                summary[:10_000], ReportOrigin("alert", str(alert.id)),
                region=alert.region_code), actor)
            opened = case_service.insert_case(
                conn, cw, case_type,
                f"{title_prefix}{label} di {place} (peringatan #{alert.id})", actor,
                region=alert.region_code, description=summary, report_ids=[report.id],
                viewer=viewer, alert_id=alert.id)
    except DuplicateRow:
        held = case_id_of_alert(cw, alert_id)
        if held is None:
            raise
        return AlertCase(case_service.show_case(cw, held), False)
    return AlertCase(opened, True)
