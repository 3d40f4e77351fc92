"""Documents are rendered offline: a template that points at a web address is not fetched."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from siaga.briefing.render import render_pdf as briefing_pdf
from siaga.cases.pack import render_pdf as pack_pdf
from siaga.render.pdf import html_to_pdf, is_allowed

# A 1x1 PNG.
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """Yield the address of a real local web server and the list of paths it was asked for."""
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", asked
    finally:
        httpd.shutdown()
        httpd.server_close()


def _page(base: str) -> str:
    return (f'<html><head><link rel="stylesheet" href="{base}/style.css"></head><body>'
            f'<p>Laporan</p><img src="{base}/tracker.png"></body></html>')


def test_the_server_is_asked_when_nothing_refuses(server: tuple[str, list[str]]) -> None:
    """The control: WeasyPrint on its own does fetch the page's web addresses."""
    from weasyprint import HTML

    base, asked = server
    HTML(string=_page(base)).write_pdf()
    assert "/tracker.png" in asked


@pytest.mark.parametrize("render", [briefing_pdf, pack_pdf], ids=["briefing", "takedown-pack"])
def test_a_web_address_in_a_document_is_not_fetched(server: tuple[str, list[str]],
                                                    render: object) -> None:
    base, asked = server
    pdf = render(_page(base))  # type: ignore[operator]
    assert pdf.startswith(b"%PDF")
    assert asked == []


def test_only_data_and_own_files_are_allowed(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "logo.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    assert is_allowed("data:image/png;base64,AAAA", [own])
    assert is_allowed((own / "logo.png").as_uri(), [own])
    assert not is_allowed((tmp_path / "secret.png").as_uri(), [own])
    assert not is_allowed((own / ".." / "secret.png").as_uri(), [own])
    assert not is_allowed("https://example.org/x.png", [own])
    assert not is_allowed("file://elsewhere/x.png", [own])


def test_an_own_file_is_drawn_and_a_foreign_one_is_not(tmp_path: Path) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "logo.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    with_own = html_to_pdf(f'<img src="{(own / "logo.png").as_uri()}">', [own])
    with_foreign = html_to_pdf(f'<img src="{(tmp_path / "secret.png").as_uri()}">', [own])
    assert b"/Image" in with_own
    assert b"/Image" not in with_foreign
