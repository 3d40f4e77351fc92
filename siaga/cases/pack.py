"""The takedown pack: a zip of URLs, captured text, screenshots, a manifest and a cover letter."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from siaga.cases.deadlines import local_time
from siaga.render import html_to_pdf, render_template

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class EvidenceItem:
    """One piece of content to take down: where it is, what it said, when it was captured."""

    url: str
    captured_at: datetime
    captured_text: str | None
    platform: str | None
    screenshot: bytes | None
    screenshot_type: str | None


@dataclass(frozen=True)
class PackContent:
    """Everything a pack holds besides the files it computes."""

    case: dict[str, Any]
    category: str
    category_label: str
    articles: tuple[str, ...]
    candidate_pair: str | None
    items: tuple[EvidenceItem, ...]
    created_at: datetime
    created_by: str
    deadline_hours: float | None


_EXT = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp",
        "application/pdf": "pdf", "text/plain": "txt"}


def cover_letter_html(content: PackContent) -> str:
    """Return the cover letter as HTML (Bahasa Indonesia, as the ministry reads it)."""
    region = content.case.get("region")
    items = [{"url": i.url, "platform": i.platform,
              "captured_local": local_time(i.captured_at, region),
              "screenshot_sha256": hashlib.sha256(i.screenshot).hexdigest()
              if i.screenshot else None} for i in content.items]
    return render_template(
        "siaga.cases", "cover_letter.html", case=content.case, items=items,
        category_label=content.category_label,
        articles=content.articles, candidate_pair=content.candidate_pair,
        date_local=local_time(content.created_at, region), place=region or "-",
        sender="Forkopimda / Diskominfo", signer=content.created_by)


def render_pdf(html: str) -> bytes:
    """Return the PDF of an HTML page; no outside URL is read (see siaga.render.pdf)."""
    return html_to_pdf(html, [TEMPLATES])


def pack_files(content: PackContent) -> dict[str, bytes]:
    """Return every file of the pack by its path inside the zip, manifest.json included."""
    files: dict[str, bytes] = {}
    listed = []
    for number, item in enumerate(content.items, start=1):
        folder = f"evidence/{number:03d}"
        files[f"{folder}/url.txt"] = (item.url + "\n").encode()
        entry: dict[str, Any] = {"number": number, "url": item.url, "platform": item.platform,
                                 "captured_at": item.captured_at.isoformat(),
                                 "url_file": f"{folder}/url.txt"}
        if item.captured_text:
            files[f"{folder}/captured_text.txt"] = item.captured_text.encode("utf-8")
            entry["text_file"] = f"{folder}/captured_text.txt"
        if item.screenshot:
            name = f"{folder}/screenshot.{_EXT.get(item.screenshot_type or '', 'bin')}"
            files[name] = item.screenshot
            entry["screenshot_file"] = name
        listed.append(entry)
    files["cover_letter.pdf"] = render_pdf(cover_letter_html(content))
    manifest = {
        "case": {k: content.case.get(k) for k in ("id", "title", "type", "region", "urgent",
                                                  "lead_agency", "supporting_agencies")},
        "category": {"code": content.category, "label": content.category_label},
        "legal_articles": list(content.articles), "candidate_pair": content.candidate_pair,
        "takedown_deadline_hours": content.deadline_hours,
        "created_at": content.created_at.isoformat(), "created_by": content.created_by,
        "items": listed,
        "files": [{"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                  for path, data in sorted(files.items())],
    }
    files["manifest.json"] = json.dumps(manifest, ensure_ascii=False, indent=2,
                                        default=str).encode("utf-8")
    return files


def write_pack(content: PackContent, out: Path) -> dict[str, bytes]:
    """Write the pack to `out` (atomically: a reader never sees half a zip); return its files."""
    files = pack_files(content)
    stamp = content.created_at.timetuple()[:6]
    partial = out.with_name(out.name + ".partial")
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(files.items()):
            archive.writestr(zipfile.ZipInfo(path, date_time=stamp), data,
                             compress_type=zipfile.ZIP_DEFLATED)
    partial.replace(out)
    return files
