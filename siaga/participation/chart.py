"""A self-contained SVG bar chart of turnout against target, worst first (no web assets)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

ROW, LEFT, WIDTH, TOP = 22, 220, 420, 48


def gap_chart_svg(rows: Sequence[Mapping[str, Any]], title: str) -> str:
    """Return SVG text: one bar per unit (turnout), a tick at its target, the gap labelled."""
    height = TOP + ROW * len(rows) + 30
    total = LEFT + WIDTH + 120
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="{height}" '
             f'font-family="sans-serif" font-size="12">',
             f'<text x="10" y="20" font-size="14" font-weight="bold">{escape(title)}</text>',
             '<text x="10" y="38" fill="#555">Partisipasi (batang) dan target (garis merah) / '
             'turnout (bar) and target (red line)</text>']
    for pct in (0, 25, 50, 75, 100):
        x = LEFT + WIDTH * pct / 100
        parts.append(f'<line x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{height - 26}" '
                     'stroke="#ddd"/>')
        parts.append(f'<text x="{x}" y="{height - 12}" text-anchor="middle" '
                     f'fill="#555">{pct}%</text>')
    for n, row in enumerate(rows):
        y = TOP + n * ROW
        turnout, target = row["turnout"] or 0.0, row["target"]
        behind = target is not None and turnout < target
        colour = "#d9822b" if behind else "#3d8b5f"
        label = f"{row['name']} ({row['code']})"
        parts.append(f'<text x="{LEFT - 6}" y="{y + 14}" text-anchor="end">'
                     f'{escape(label[:34])}</text>')
        parts.append(f'<rect x="{LEFT}" y="{y + 3}" width="{WIDTH * turnout:.1f}" '
                     f'height="{ROW - 8}" fill="{colour}"/>')
        if target is not None:
            tx = LEFT + WIDTH * target
            parts.append(f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + ROW - 3}" '
                         'stroke="#c0392b" stroke-width="2"/>')
        gap = "" if row["gap_points"] is None else f"  {row['gap_points']:+.1f} pt"
        parts.append(f'<text x="{LEFT + WIDTH + 6}" y="{y + 14}">{turnout:.1%}{gap}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
