"""PDF from HTML with WeasyPrint, refusing every outside URL.

A document is rendered offline: data: URLs and file: URLs inside the folders the caller allows
(its own templates and static files) are read; anything else (http, https, ftp, a file
elsewhere) is refused, so rendering never reaches the network nor reads arbitrary files. A
refused resource is left out of the PDF; the document itself still renders.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse


class OutsideUrl(ValueError):
    """A document asked for a resource it may not load (raised inside WeasyPrint, which leaves
    the resource out)."""


def is_allowed(url: str, folders: Iterable[Path]) -> bool:
    """Return whether `url` may be read: a data: URL, or a file: URL inside one of `folders`."""
    parsed = urlparse(url)
    if parsed.scheme == "data":
        return True
    if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
        return False
    target = Path(unquote(parsed.path)).resolve()
    return any(target.is_relative_to(Path(f).resolve()) for f in folders)


def html_to_pdf(html: str, allowed: Iterable[Path] = ()) -> bytes:
    """Return the PDF of `html`; only data: URLs and files under `allowed` are loaded."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    folders = [Path(f) for f in allowed]

    class OfflineFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not is_allowed(url, folders):
                raise OutsideUrl(f"the document may not load {url}: it is rendered offline")
            return super().fetch(url, headers)

    base = folders[0].as_uri() + "/" if folders else None
    pdf = HTML(string=html, url_fetcher=OfflineFetcher(), base_url=base).write_pdf()
    assert isinstance(pdf, bytes)
    return pdf
