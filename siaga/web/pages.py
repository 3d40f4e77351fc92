"""The dashboard's server-rendered pages: login, monitored regions, the risk map, status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import resources
from typing import Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup
from sqlalchemy import select

from siaga import __version__
from siaga.api.auth_routes import set_session_cookies
from siaga.api.params import RowId
from siaga.api.regions_routes import dotted
from siaga.api.risk_routes import DEFAULT_FRAMEWORK, framework_of
from siaga.api.security import current_principal, secured, store_of
from siaga.domain.access import PUBLIC, Permission, Principal
from siaga.domain.regions import ancestors_of
from siaga.risk.framework import load_frameworks
from siaga.risk.report import CLASS_LABELS
from siaga.services.maps import alert_points, event_points, risk_map, signal_points
from siaga.services.risk import RiskError
from siaga.services.users import login
from siaga.store.queries import loaded_scope
from siaga.store.schema import regions
from siaga.web.i18n import LANG_COOKIE, choose_language, translator

router = APIRouter(include_in_schema=False)
LEVEL_LABELS = {"province": ("provinsi", "provinces"), "regency": ("kabupaten/kota", "regencies"),
                "district": ("kecamatan", "districts"), "village": ("desa/kelurahan", "villages"),
                "tps": ("TPS", "polling stations")}


def _load_template(name: str) -> str:
    return resources.files("siaga.web").joinpath("templates", name).read_text("utf-8")


def template_env() -> Environment:
    """Return the Jinja environment of the dashboard (autoescaped HTML)."""
    env = Environment(loader=FunctionLoader(_load_template), autoescape=select_autoescape(["html"]))
    env.globals["version"] = __version__
    return env


def render(request: Request, name: str, principal: Principal, **context: Any) -> HTMLResponse:
    """Return a page in the request's language; remember an explicit language choice."""
    lang = choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    env: Environment = request.app.state.templates
    html = env.get_template(name).render(
        lang=lang, t=translator(lang), user=principal if principal.username else None,
        may=lambda p: principal.may(Permission(p)), **context)
    response = HTMLResponse(html)
    if request.query_params.get("lang") == lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


@router.get("/", **secured(Permission.HEALTH))
def home(principal: Principal = Depends(current_principal)) -> Response:
    """Send the signed-in to the map and everyone else to the login page."""
    return RedirectResponse("/peta" if principal.username else "/masuk", status_code=303)


@router.get("/masuk", **secured(Permission.LOGIN))
def login_page(request: Request, next: str = "/peta") -> Response:
    """Show the login form."""
    return render(request, "login.html", PUBLIC,
                  next=_safe_next(next), error=None, username=None)


@router.post("/masuk", **secured(Permission.LOGIN))
def login_form(request: Request, username: str = Form(max_length=64),
               password: str = Form(max_length=256), next: str = Form("/peta")) -> Response:
    """Check the form's credentials; on success set the session cookies and go on."""
    settings = request.app.state.settings
    found = login(store_of(request), username, password, hours=settings.session_hours)
    if found is None:
        t = translator(choose_language(None, request.cookies.get(LANG_COOKIE)))
        page = render(request, "login.html", PUBLIC,
                      next=_safe_next(next), username=username,
                      error=t("Nama pengguna atau kata sandi salah.",
                              "Wrong username or password."))
        page.status_code = 401
        return page
    response = RedirectResponse(_safe_next(next), status_code=303)
    set_session_cookies(response, found[0], settings)
    return response


def _safe_next(target: str) -> str:
    # Only local paths: an open redirect after login would let a link send officers elsewhere.
    return target if target.startswith("/") and not target.startswith("//") else "/peta"


def loaded_regencies(request: Request) -> list[dict[str, str]]:
    """Return the regencies whose TPS are loaded: code, name and province name."""
    with store_of(request).engine.connect() as conn:
        scope = loaded_scope(conn, "polling-stations")
        codes = [] if scope is None else [c for c in scope.codes if c.count(".") == 1]
        found = {r.code: r.name for r in conn.execute(
            select(regions.c.code, regions.c.name).where(
                regions.c.code.in_(codes + [c[:2] for c in codes])))}
    return [{"code": c, "name": found.get(c, c), "province": found.get(c[:2], c[:2])}
            for c in codes]


@router.get("/peta", **secured(Permission.VIEW_RISK))
def monitored(request: Request, framework: str = DEFAULT_FRAMEWORK,
              principal: Principal = Depends(current_principal)) -> Response:
    """List the regencies loaded in the workspace, each linking to its map."""
    return render(request, "regions.html", principal, regencies=loaded_regencies(request),
                  framework=framework, active="map")


@router.get("/peta/{code}", **secured(Permission.VIEW_RISK))
def map_page(code: str, request: Request, framework: str = DEFAULT_FRAMEWORK,
             principal: Principal = Depends(current_principal)) -> Response:
    """Show the choropleth of one region's children with ranking and explanations."""
    from siaga.services.events import list_events

    scope, chosen = dotted(code), framework_of(request, framework)
    try:
        with store_of(request).engine.connect() as conn:
            now = datetime.now(UTC)
            events = list_events(conn, scope, since=now - timedelta(days=1))
            layers = [("signals", signal_points(conn, scope, now - timedelta(days=7))),
                      ("alerts", alert_points(conn, scope)),
                      ("events", event_points(events))]
            drawn = risk_map(conn, chosen, scope, layers=layers)
            path = [*reversed(ancestors_of(scope)), scope]
            names = dict(conn.execute(select(regions.c.code, regions.c.name).where(
                regions.c.code.in_(path))).all())
    except RiskError as exc:
        raise HTTPException(404, str(exc)) from exc
    lang = choose_language(request.query_params.get("lang"), request.cookies.get(LANG_COOKIE))
    counts = {k: sum(1 for r in drawn.rows if r["class"] == k) for k in ("high", "medium", "low")}
    label = LEVEL_LABELS[drawn.level.value][lang == "en"]
    return render(
        request, "map.html", principal, active="map", scope=scope,
        scope_name=names.get(scope, scope), crumbs=[(c, names.get(c, c)) for c in path],
        framework=chosen.id, frameworks=list(load_frameworks(
            request.app.state.settings.home / "frameworks").values()),
        svg=Markup(drawn.svg), rows=drawn.rows, meta=drawn.meta, counts=counts,
        class_names={k: CLASS_LABELS[k].split(" / ")[lang == "en"] for k in CLASS_LABELS},
        level=drawn.level.value, level_label=label, drill=drawn.level.value != "tps",
        indicators=chosen.indicators)


def _chosen_scope(request: Request, scope: str | None) -> tuple[str, list[dict[str, str]]]:
    regencies = loaded_regencies(request)
    if scope:
        return dotted(scope), regencies
    return (regencies[0]["code"] if regencies else ""), regencies


@router.get("/kegiatan", **secured(Permission.VIEW_EVENTS))
def events_page(request: Request, scope: str | None = None,
                principal: Principal = Depends(current_principal)) -> Response:
    """Show a regency's event calendar beside its clash and risk warnings."""
    from siaga.events.rules import load_rules
    from siaga.services import events as service

    code, regencies = _chosen_scope(request, scope)
    settings = request.app.state.settings
    options = service.ClashOptions(settings.events_clash_km, settings.events_buffer_hours,
                                   settings.events_tps_radius_km)
    with store_of(request).engine.connect() as conn:
        found = service.clashes(conn, code, load_rules(settings.home), options, settings.home)
        days = service.calendar(service.list_events(conn, code))
    return render(request, "events.html", principal, active="events", scope=code,
                  regencies=regencies, clashes=found, days=days)


@router.get("/partisipasi", **secured(Permission.VIEW_PARTICIPATION))
def participation_page(request: Request, scope: str | None = None,
                       principal: Principal = Depends(current_principal)) -> Response:
    """Show turnout against target per district, worst first, with the chart."""
    from siaga.participation.chart import gap_chart_svg
    from siaga.services.participation import ParticipationError, gap_table

    code, regencies = _chosen_scope(request, scope)
    names = {r["code"]: r["name"] for r in regencies}
    context: dict[str, Any] = {"rows": [], "meta": {}, "chart": "", "error": None}
    try:
        with store_of(request).engine.connect() as conn:
            rows, meta = gap_table(conn, code)
        context.update(rows=rows, meta=meta, chart=Markup(gap_chart_svg(rows, names.get(
            code, code))))
    except ParticipationError as exc:
        context["error"] = str(exc)
    return render(request, "participation.html", principal, active="participation",
                  scope=code, scope_name=names.get(code, code), regencies=regencies, **context)


@router.get("/bahan-rakor", **secured(Permission.VIEW_BRIEFING))
def briefing_page(request: Request, principal: Principal = Depends(current_principal)
                  ) -> Response:
    """Show the form that downloads the meeting briefing."""
    return render(request, "briefing_form.html", principal, active="briefing",
                  regencies=loaded_regencies(request))


@router.get("/kasus", **secured(Permission.VIEW_CASES))
def case_board(request: Request, agency: str | None = None,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show open cases by status (an officer: their agency's), overdue ones highlighted."""
    from siaga.domain.roles import AGENCIES
    from siaga.services.cases import list_cases

    cw = request.app.state.casework
    chosen = (agency or None) if principal.sees_all_agencies else principal.agency
    if chosen is not None and chosen not in AGENCIES:
        raise HTTPException(422, f"instansi tidak dikenal / unknown agency {chosen!r}")
    now = cw.now()
    found = list_cases(cw, agency=chosen)
    for case in found:
        case["overdue"] = case["due_at"] is not None and case["due_at"] < now
    columns: dict[str, list[dict[str, Any]]] = {}
    for case in found:
        columns.setdefault(case["status"], []).append(case)
    return render(request, "cases.html", principal, active="cases", cases=found,
                  columns=list(columns.items()), agencies=AGENCIES, agency=chosen,
                  overdue=sum(c["overdue"] for c in found))


@router.get("/kasus/{case_id}", **secured(Permission.VIEW_CASES))
def case_page(case_id: RowId, request: Request,
              principal: Principal = Depends(current_principal)) -> Response:
    """Show one case: agencies, deadlines with their legal basis, the log, the next moves."""
    from siaga.api.case_routes import visible_case
    from siaga.cases.deadlines import local_time
    from siaga.services.casework import utc

    cw = request.app.state.casework
    case = visible_case(cw, case_id, principal)
    case["overdue"] = case["due_at"] is not None and case["due_at"] < cw.now()
    for action in case["actions"]:
        action["at_local"] = local_time(utc(action["at"]) or action["at"], case["region"])
    return render(request, "case.html", principal, active="cases", case=case)


@router.get("/lapor", **secured(Permission.SUBMIT_REPORT))
def report_form(request: Request) -> Response:
    """Show the public report form (no account) and the receipt check."""
    return render(request, "report_form.html", PUBLIC, regencies=loaded_regencies(request))


@router.get("/lapor/status", **secured(Permission.CHECK_RECEIPT))
def report_status(request: Request, kode: str = "") -> Response:
    """Show a report's status by its receipt code, and nothing else."""
    from siaga.services.casework import CaseworkError
    from siaga.services.reports import receipt_status

    try:
        found = receipt_status(request.app.state.casework, kode.strip()[:40])
        error = None
    except CaseworkError as exc:
        found, error = None, str(exc)
    return render(request, "report_status.html", PUBLIC, found=found, error=error)


def _lexicon(request: Request) -> Any:
    # Loaded once per app: the lexicons compile thousands of word forms.
    state = request.app.state
    if getattr(state, "lexicon", None) is None:
        from siaga.detect.categories.lexicon import load_lexicon

        state.lexicon = load_lexicon()
    return state.lexicon


def _marked(request: Request, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from siaga.detect.highlight import mark, matched_words

    lexicon = _lexicon(request)
    for item in found:
        item["marked"] = mark(item["text"], matched_words(item["text"], lexicon))
    return found


def _region_names(request: Request, codes: list[str]) -> dict[str, str]:
    with store_of(request).engine.connect() as conn:
        return dict(conn.execute(select(regions.c.code, regions.c.name).where(
            regions.c.code.in_(codes))).all())


@router.get("/peringatan", **secured(Permission.VIEW_ALERTS))
def alerts_page(request: Request, principal: Principal = Depends(current_principal)
                ) -> Response:
    """Show open alerts, newest first; the page polls for new ones."""
    from siaga.api.detect_routes import alert_dict
    from siaga.services.alert_cases import CATEGORY_LABELS
    from siaga.store.alerts import list_alerts

    with store_of(request).engine.connect() as conn:
        found = [alert_dict(a) for a in list_alerts(conn, status="open", limit=100)]
    names = _region_names(request, sorted({a["region"] for a in found}))
    return render(request, "alerts.html", principal, active="alerts", alerts=found,
                  names=names, labels=CATEGORY_LABELS)


@router.get("/peringatan/{alert_id}", **secured(Permission.VIEW_ALERTS))
def alert_page(alert_id: RowId, request: Request,
               principal: Principal = Depends(current_principal)) -> Response:
    """Show one alert with its signals, the words that made them, and a way to open a case."""
    from siaga.api.detect_routes import alert
    from siaga.services.alert_cases import CATEGORY_LABELS

    found = alert(alert_id, request)
    names = _region_names(request, [found["region"]])
    return render(request, "alert.html", principal, active="alerts", alert=found,
                  region_name=names.get(found["region"], found["region"]),
                  signals=_marked(request, found["signal_details"]), labels=CATEGORY_LABELS)


@router.get("/sinyal", **secured(Permission.VIEW_SIGNALS))
def signals_page(request: Request, scope: str | None = None, category: str | None = None,
                 source: str | None = None, cluster: str | None = None,
                 since: str | None = None, until: str | None = None,
                 principal: Principal = Depends(current_principal)) -> Response:
    """Show signals filtered by region, category, source, cluster and time, terms marked."""
    from datetime import date

    from siaga.domain.timezones import zone_of
    from siaga.services.alert_cases import CATEGORY_LABELS
    from siaga.store.explorer import SignalFilter, find_signals, signal_sources

    def day(text: str | None, extra: int = 0) -> datetime | None:
        if not text:
            return None
        try:
            start = date.fromisoformat(text) + timedelta(days=extra)
        except ValueError:
            raise HTTPException(422, f"tanggal tidak sah / not a date: {text!r}") from None
        return datetime.combine(start, datetime.min.time(), tzinfo=zone_of(scope or "15"))

    if cluster and not cluster.isdigit():
        raise HTTPException(422, f"klaster harus angka / cluster must be a number: {cluster!r}")
    wanted = SignalFilter(dotted(scope) if scope else None,
                          category if category in CATEGORY_LABELS else None, source or None,
                          int(cluster) if cluster else None, day(since), day(until, 1))
    with store_of(request).engine.connect() as conn:
        found = find_signals(conn, wanted)
        sources = signal_sources(conn)
    return render(request, "signals.html", principal, active="signals", f=wanted,
                  since=since, until=until, signals=_marked(request, found), sources=sources,
                  labels=CATEGORY_LABELS, regencies=loaded_regencies(request))
