"""A choropleth as a self-contained SVG: polygons (or TPS points) coloured by class.

The same drawing serves the dashboard (inline, made clickable by a few lines of script) and the
meeting briefing (embedded in its HTML, rendered to PDF).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

NO_DATA = "#c9d1da"


@dataclass(frozen=True)
class MapFeature:
    """One thing on the map: a region polygon or a point, with its colour and tooltip."""

    code: str
    name: str
    geometry: Mapping[str, Any] | None
    fill: str = NO_DATA
    title: str = ""
    css_class: str = ""
    extra_radius: float = 0.0  # a point drawn larger, e.g. by how many signals it stands for


@dataclass(frozen=True)
class _Frame:
    """The projection: longitude scaled by the cosine of the middle latitude, fitted to width."""

    west: float
    north: float
    scale_x: float
    scale_y: float
    pad: float

    def xy(self, lng: float, lat: float) -> tuple[float, float]:
        return (self.pad + (lng - self.west) * self.scale_x,
                self.pad + (self.north - lat) * self.scale_y)


def _rings(geometry: Mapping[str, Any]) -> Iterable[Sequence[Sequence[float]]]:
    kind = geometry.get("type")
    if kind == "Polygon":
        yield from geometry["coordinates"]
    elif kind == "MultiPolygon":
        for polygon in geometry["coordinates"]:
            yield from polygon
    elif kind == "Point":
        yield [geometry["coordinates"]]


def _bounds(features: Sequence[MapFeature]) -> tuple[float, float, float, float] | None:
    xs: list[float] = []
    ys: list[float] = []
    for feature in features:
        if feature.geometry is None:
            continue
        for ring in _rings(feature.geometry):
            xs.extend(p[0] for p in ring)
            ys.extend(p[1] for p in ring)
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _frame(bounds: tuple[float, float, float, float], width: float, pad: float) -> tuple[_Frame,
                                                                                         float]:
    west, south, east, north = bounds
    squeeze = math.cos(math.radians((south + north) / 2))
    span_x = max((east - west) * squeeze, 1e-6)
    span_y = max(north - south, 1e-6)
    scale = (width - 2 * pad) / span_x
    height = span_y * scale + 2 * pad
    return _Frame(west, north, scale * squeeze, scale, pad), height


def _path(geometry: Mapping[str, Any], frame: _Frame) -> str:
    parts = []
    for ring in _rings(geometry):
        points = [frame.xy(p[0], p[1]) for p in ring]
        parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


@dataclass(frozen=True)
class BaseDrawing:
    """The shapes of a map drawn once, to which point layers can be added without redrawing."""

    frame: _Frame | None
    width: float
    height: float
    label: str
    shapes: str
    point_radius: float
    names: str = ""  # written over the layers, so a dot never hides a district's name

    def svg(self, layers: Sequence[tuple[str, Sequence[MapFeature]]] = ()) -> str:
        """Return the SVG document with `layers` drawn on top of the shapes."""
        if self.frame is None:
            return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
                    f'aria-label="{escape(self.label)}" viewBox="0 0 10 10" width="0" '
                    'height="0"></svg>')
        parts = [self.shapes]
        for name, items in layers:
            drawn = "".join(_shape(f, self.frame, self.point_radius + 2)
                            for f in items if f.geometry)
            parts.append(f'<g class="layer" data-layer="{escape(name)}">{drawn}</g>')
        parts.append(self.names)
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:.0f} '
                f'{self.height:.0f}" role="img" aria-label="{escape(self.label)}" '
                'class="siaga-map">' + "".join(parts) + "</svg>")


def draw_base(features: Sequence[MapFeature], *, width: float = 800, pad: float = 8,
              label: str = "Peta / Map", point_radius: float = 4,
              names: Sequence[tuple[str, float, float]] = ()) -> BaseDrawing:
    """Return the features drawn and fitted to `width`, ready to take point layers.

    `names` (text, longitude, latitude) are written on top, e.g. each district's name.
    """
    bounds = _bounds(features)
    if bounds is None:
        return BaseDrawing(None, width, 0, label, "", point_radius)
    frame, height = _frame(bounds, width, pad)
    shapes = "".join(_shape(f, frame, point_radius) for f in features if f.geometry is not None)
    written = ""
    if names:
        written = ('<g class="names" aria-hidden="true">'
                   + "".join(_name(text, *frame.xy(lng, lat)) for text, lng, lat in names)
                   + "</g>")
    return BaseDrawing(frame, width, height, label, shapes, point_radius, written)


def render_svg(features: Sequence[MapFeature], *, width: float = 800, pad: float = 8,
               label: str = "Peta / Map", point_radius: float = 4,
               layers: Sequence[tuple[str, Sequence[MapFeature]]] = (),
               names: Sequence[tuple[str, float, float]] = ()) -> str:
    """Return an SVG document of the features, fitted to `width`; empty when none has a shape.

    Each shape is a focusable `<path>` or `<circle>` with `data-code`, its class and a `<title>`,
    so that a page can make it clickable and keyboard-operable. `layers` are (name, points)
    drawn on top in `<g class="layer" data-layer=name>` groups; they do not move the frame.
    `names` (text, longitude, latitude) are written on top, e.g. each district's name.
    """
    base = draw_base(features, width=width, pad=pad, label=label, point_radius=point_radius,
                     names=names)
    return base.svg(layers)


def _name(text: str, x: float, y: float) -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle">{escape(text)}</text>'


def _shape(feature: MapFeature, frame: _Frame, radius: float) -> str:
    assert feature.geometry is not None
    common = (f'data-code="{escape(feature.code)}" class="unit {escape(feature.css_class)}" '
              f'fill="{escape(feature.fill)}" tabindex="0"')
    title = f"<title>{escape(feature.title or feature.name)}</title>"
    if feature.geometry.get("type") == "Point":
        x, y = frame.xy(*feature.geometry["coordinates"][:2])
        size = radius + feature.extra_radius
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:g}" {common}>{title}</circle>'
    return (f'<path d="{_path(feature.geometry, frame)}" fill-rule="evenodd" {common}>'
            f"{title}</path>")
