"""HTML from Jinja templates kept inside a Python package, autoescaped."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from jinja2 import Environment, FunctionLoader, select_autoescape
from markupsafe import Markup

__all__ = ["Markup", "render_string", "render_template", "templates_dir"]


def templates_dir(package: str) -> Any:
    """Return the `templates` folder of a package (an importlib resource)."""
    return resources.files(package).joinpath("templates")


@cache
def _environment(package: str) -> Environment:
    def load(name: str) -> str:
        return str(templates_dir(package).joinpath(name).read_text("utf-8"))

    return Environment(loader=FunctionLoader(load), autoescape=select_autoescape(["html"]))


def render_template(package: str, name: str, **context: Any) -> str:
    """Return the template `name` of `package`'s templates folder rendered with `context`."""
    return _environment(package).get_template(name).render(**context)


def render_string(source: str, **context: Any) -> str:
    """Return an HTML template given as text rendered with `context` (autoescaped)."""
    return Environment(autoescape=True).from_string(source).render(**context)
