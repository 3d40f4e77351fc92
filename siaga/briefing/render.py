"""Render a briefing to HTML (Jinja) and to PDF (WeasyPrint), offline and reproducibly."""

from __future__ import annotations

from importlib import resources

from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup

from siaga.briefing.model import Briefing, Ranked
from siaga.briefing.summary import CLASS_WORDS, UNIT_WORDS
from siaga.i18n import formats
from siaga.i18n.catalogue import label
from siaga.i18n.phrases import warning_sentence


def _template(name: str) -> str:
    return resources.files("siaga.briefing").joinpath("templates", name).read_text("utf-8")


def _environment() -> Environment:
    return Environment(loader=FunctionLoader(_template), autoescape=select_autoescape(["html"]))


def render_html(b: Briefing) -> str:
    """Return the briefing as one self-contained HTML document (inline SVG, no links out)."""
    english = b.lang == "en"

    def t(indonesian: str, english_text: str) -> str:
        return english_text if english else indonesian

    env = _environment()

    def ranked_table(items: list[Ranked]) -> Markup:
        return Markup(env.get_template("ranked.html").render(items=items, t=t,
                                                             words=class_words))

    class_words = {k: v[english] for k, v in CLASS_WORDS.items()}
    return env.get_template("briefing.html").render(
        b=b, t=t, map_svg=Markup(b.map_svg), ranked_table=ranked_table, class_words=class_words,
        unit_words=UNIT_WORDS[b.unit_level][english], markup=Markup,
        L=lambda domain, code: label(domain, code, b.lang),
        day=lambda value: formats.day(value, b.lang),
        when=lambda moment: formats.local_time(moment, b.scope, b.lang),
        sentence=lambda w: warning_sentence(w, b.lang, {}, {}))


def render_pdf(html: str) -> bytes:
    """Return the PDF of a briefing's HTML (fonts from the system; nothing fetched)."""
    from weasyprint import HTML

    def refuse(url: str) -> dict[str, object]:
        raise ValueError(f"the briefing may not load {url}: it is rendered offline")

    document = HTML(string=html, url_fetcher=refuse)
    pdf: bytes = document.write_pdf()
    return pdf
