"""Render a briefing to HTML (Jinja) and to PDF (WeasyPrint), offline and reproducibly."""

from __future__ import annotations

from pathlib import Path

from siaga.briefing.model import Briefing, Ranked
from siaga.briefing.summary import CLASS_WORDS, UNIT_WORDS
from siaga.i18n import formats
from siaga.i18n.catalogue import label
from siaga.i18n.phrases import warning_sentence
from siaga.render import Markup, html_to_pdf, render_template

PACKAGE = "siaga.briefing"


def render_html(b: Briefing) -> str:
    """Return the briefing as one self-contained HTML document (inline SVG, no links out)."""
    english = b.lang == "en"

    def t(indonesian: str, english_text: str) -> str:
        return english_text if english else indonesian

    def ranked_table(items: list[Ranked]) -> Markup:
        return Markup(render_template(PACKAGE, "ranked.html", items=items, t=t,
                                      words=class_words))

    class_words = {k: v[english] for k, v in CLASS_WORDS.items()}
    return render_template(
        PACKAGE, "briefing.html", b=b, t=t, map_svg=Markup(b.map_svg),
        ranked_table=ranked_table, class_words=class_words,
        unit_words=UNIT_WORDS[b.unit_level][english], markup=Markup,
        L=lambda domain, code: label(domain, code, b.lang),
        day=lambda value: formats.day(value, b.lang),
        when=lambda moment: formats.local_time(moment, b.scope, b.lang),
        sentence=lambda w: warning_sentence(w, b.lang, {}, {}))


def render_pdf(html: str) -> bytes:
    """Return the PDF of a briefing's HTML (fonts from the system; no outside URL is read)."""
    return html_to_pdf(html, [Path(__file__).parent / "templates"])
