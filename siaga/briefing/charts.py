"""Small charts for the briefing, drawn as SVG here (no plotting library, nothing fetched)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAR = "#1f5f99"


def bar_chart_svg(items: Sequence[tuple[str, float]], title: str, *, width: int = 640,
                  unit: str = "") -> str:
    """Return a horizontal bar chart of (label, value), largest scale first as given."""
    row, left, top = 20, 190, 30
    span = width - left - 60
    largest = max((v for _, v in items), default=0) or 1
    height = top + row * len(items) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif" '
             f'font-size="11" role="img" aria-label="{escape(title)}">',
             f'<text x="4" y="16" font-size="12" font-weight="bold">{escape(title)}</text>']
    for n, (label, value) in enumerate(items):
        y = top + n * row
        length = span * value / largest
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">'
                     f"{escape(label[:30])}</text>")
        parts.append(f'<rect x="{left}" y="{y + 3}" width="{length:.1f}" height="{row - 7}" '
                     f'fill="{BAR}"/>')
        parts.append(f'<text x="{left + length + 4:.1f}" y="{y + 13}">{value:g}{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def daily_chart_svg(days: Sequence[tuple[str, int]], title: str, *, width: int = 640) -> str:
    """Return a column chart of counts per day (label = the day), for a trend over a period."""
    height, top, bottom, left = 150, 26, 24, 30
    span = width - left - 10
    largest = max((v for _, v in days), default=0) or 1
    step = span / max(len(days), 1)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" font-family="DejaVu Sans, sans-serif" '
             f'font-size="10" role="img" aria-label="{escape(title)}">',
             f'<text x="4" y="15" font-size="12" font-weight="bold">{escape(title)}</text>',
             f'<text x="4" y="{top + 8}">{largest}</text>']
    for n, (label, value) in enumerate(days):
        bar = (height - top - bottom) * value / largest
        x = left + n * step
        parts.append(f'<rect x="{x + 1:.1f}" y="{height - bottom - bar:.1f}" '
                     f'width="{max(step - 2, 1):.1f}" height="{bar:.1f}" fill="{BAR}">'
                     f"<title>{escape(label)}: {value}</title></rect>")
        if n % max(len(days) // 7, 1) == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 8}">{escape(label[5:])}</text>')
    parts.append("</svg>")
    return "".join(parts)
