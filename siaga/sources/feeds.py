"""RSS 2.0 and Atom feeds, from a file or a URL the user names, read with the standard library."""

from __future__ import annotations

import html
import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from datetime import datetime

from siaga.datafiles.problems import RowProblem
from siaga.domain.signals import SourceKind
from siaga.sources.base import ReadResult, SourceError, signal_from_record

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")
USER_AGENT = "Siaga feed reader (+https://github.com/)"
MAX_FEED_BYTES = 50 * 1024 * 1024


def is_url(location: str) -> bool:
    """Return True when the location is an http(s) URL rather than a file path."""
    return location.startswith(("http://", "https://"))


def fetch(url: str, timeout: float = 30.0) -> bytes:
    """Return the body of a feed URL the user asked for; raise SourceError saying why not."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body: bytes = response.read(MAX_FEED_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise SourceError(f"{url}: the server answered HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(f"{url}: cannot fetch the feed ({reason})") from exc
    if len(body) > MAX_FEED_BYTES:
        raise SourceError(f"{url}: feed larger than {MAX_FEED_BYTES // 2**20} MiB")
    return body


def plain(markup: str | None) -> str:
    """Return text without HTML tags and entities, whitespace squeezed."""
    if not markup:
        return ""
    return _SPACES.sub(" ", html.unescape(_TAGS.sub(" ", markup))).strip()


def _text(node: ET.Element | None) -> str | None:
    if node is None:
        return None
    return (node.text or "").strip() or None


def _rss_item(item: ET.Element) -> dict[str, object]:
    body = _text(item.find(f"{CONTENT}encoded")) or _text(item.find("description"))
    title = plain(_text(item.find("title")))
    return {
        "id": _text(item.find("guid")) or _text(item.find("link")),
        "title": title or None,
        "text": plain(body) or title,
        "url": _text(item.find("link")),
        "author": _text(item.find(f"{DC}creator")) or _text(item.find("author")),
        "published_at": _text(item.find("pubDate")) or _text(item.find(f"{DC}date")),
    }


def _atom_entry(entry: ET.Element) -> dict[str, object]:
    link = entry.find(f"{ATOM}link[@rel='alternate']")
    if link is None:
        link = entry.find(f"{ATOM}link")
    body = _text(entry.find(f"{ATOM}content")) or _text(entry.find(f"{ATOM}summary"))
    title = plain(_text(entry.find(f"{ATOM}title")))
    return {
        "id": _text(entry.find(f"{ATOM}id")),
        "title": title or None,
        "text": plain(body) or title,
        "url": link.get("href") if link is not None else None,
        "author": _text(entry.find(f"{ATOM}author/{ATOM}name")),
        "published_at": _text(entry.find(f"{ATOM}published"))
        or _text(entry.find(f"{ATOM}updated")),
    }


def read_feed(content: bytes, name: str, received_at: datetime) -> ReadResult:
    """Return the signals of an RSS 2.0 or Atom document; bad items are problems (item number)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else 0
        raise SourceError(f"{name}:{line}: not a well-formed RSS or Atom document ({exc})") from exc
    if root.tag == "rss" or root.find("channel") is not None:
        items = [_rss_item(i) for i in root.iter("item")]
        platform = _text(root.find("channel/title"))
    elif root.tag == f"{ATOM}feed":
        items = [_atom_entry(e) for e in root.iter(f"{ATOM}entry")]
        platform = _text(root.find(f"{ATOM}title"))
    else:
        raise SourceError(f"{name}: root element <{root.tag}> is neither <rss> nor Atom <feed>")
    result = ReadResult()
    for number, record in enumerate(items, start=1):
        record["platform"] = (platform or "rss")[:40]
        try:
            result.signals.append(
                signal_from_record(record, SourceKind.RSS, received_at, f"{name} item {number}")
            )
        except ValueError as exc:
            result.problems.append(RowProblem(name, number, f"item {number}: {exc}"))
    return result
