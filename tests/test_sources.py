"""Sources: JSON Lines, CSV and mappings, RSS/Atom (file and a local HTTP server), field reports."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from sqlalchemy import func, select

from siaga.domain.signals import SourceKind
from siaga.services.detect import ingest, read_source
from siaga.sources.base import SourceError, parse_time
from siaga.sources.feeds import read_feed
from siaga.sources.field_reports import (
    CATEGORY_CODES,
    ReportRejected,
    VillageDirectory,
    parse_report,
    read_messages,
)
from siaga.sources.files import read_csv, read_jsonl
from siaga.sources.mapping import load_mapping
from siaga.store import Store
from siaga.store.schema import raw_inputs, signals
from tests.detect_helpers import real_tweets, write_jsonl

NOW = datetime(2024, 11, 20, 8, 0, tzinfo=UTC)
IBROHIM = "text/ibrohim2019-multilabel-hate-speech/re_dataset.csv"


def test_jsonl_loads_good_lines_and_reports_bad_ones(data_dir: Path, tmp_path: Path) -> None:
    tweets = real_tweets(data_dir, 3)
    path = write_jsonl(tmp_path / "in.jsonl", [
        {"id": "a1", "text": tweets[0], "platform": "twitter",
         "published_at": "2024-11-19T10:00:00+07:00"},
        "{not json",
        {"id": "a2", "title": "no text"},
        {"id": "a3", "text": tweets[1], "published_at": "kemarin sore"},
        {"text": tweets[2], "published_at": 1732000000},
    ])
    result = read_jsonl(path.read_bytes(), "in.jsonl", NOW)
    assert [s.source_id for s in result.signals[:1]] == ["a1"]
    assert len(result.signals) == 2
    assert [(p.line, p.message.split(":")[0]) for p in result.problems] == [
        (2, "not valid JSON"), (3, "field 'text' is missing or empty"),
        (4, "field 'published_at'")]
    first, last = result.signals
    assert first.text == tweets[0]  # raw text kept as it was, byte escapes and all
    assert first.published_at == datetime(2024, 11, 19, 3, 0, tzinfo=UTC)
    assert last.source_id == last.content_hash  # no id: the content address stands in
    assert last.published_at == datetime(2024, 11, 19, 7, 6, 40, tzinfo=UTC)


def test_times_without_zone_are_wib_and_bad_times_say_what_is_expected() -> None:
    assert parse_time("2024-11-27 07:00").isoformat() == "2024-11-27T07:00:00+07:00"
    assert parse_time("Wed, 27 Nov 2024 01:00:00 GMT").hour == 1
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_time("27 Nopember")


def test_the_real_corpus_loads_through_a_mapping(data_dir: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "ibrohim.yaml"
    mapping.write_text(
        "columns:\n  text: Tweet\nencoding: latin-1\ndefaults:\n  platform: twitter\n  lang: id\n"
    )
    content = (data_dir / IBROHIM).read_bytes()
    result = read_csv(content, "re_dataset.csv", NOW, load_mapping(mapping))
    assert len(result.signals) == 13_169 and not result.problems
    assert {s.platform for s in result.signals} == {"twitter"}
    assert result.signals[1].text.startswith("RT USER: USER siapa yang telat")
    assert result.signals[1].origin == "re_dataset.csv:3"


def test_csv_without_the_text_column_names_the_columns(data_dir: Path) -> None:
    content = (data_dir / IBROHIM).read_bytes()
    with pytest.raises(SourceError, match=r"no column 'text'.*'Tweet'"):
        read_csv(content, "re_dataset.csv", NOW, load_mapping_latin1())


def load_mapping_latin1() -> object:
    from siaga.sources.mapping import ColumnMapping

    return ColumnMapping(encoding="latin-1")


def test_csv_rows_with_extra_fields_are_rejected_with_line_numbers(tmp_path: Path) -> None:
    content = b'id,text\n1,satu\n2,dua,tiga\n3,"ada\nbaris baru"\n4,empat\n5,\n'
    result = read_csv(content, "x.csv", NOW)
    assert [s.source_id for s in result.signals] == ["1", "3", "4"]
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "more fields than the 2 columns"), (7, "field 'text' is missing or empty")]


@pytest.mark.parametrize(("text", "message"), [
    ("columns: [a, b]\n", "'columns' must map"),
    ("columns:\n  body: text\n", "unknown fields \\['body'\\]"),
    ("columns:\n  id: x\n", "must name the column of 'text'"),
    ("columns:\n  text: a\nextra: 1\n", "unknown keys \\['extra'\\]"),
    ("columns: {text: [\n", ":2: not valid YAML"),
])
def test_bad_mappings_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "m.yaml"
    path.write_text(text)
    with pytest.raises(SourceError, match=message):
        load_mapping(path)


def test_nested_json_keys_map_through_dotted_columns(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("columns:\n  id: id_str\n  text: full_text\n  author: user.screen_name\n"
                       "  published_at: created_at\ntime_format: '%a %b %d %H:%M:%S %z %Y'\n")
    line = ('{"id_str": "99", "full_text": "Paslon 02 bagi2 sembako", '
            '"user": {"screen_name": "warga_bangko"}, '
            '"created_at": "Wed Nov 20 01:02:03 +0000 2024"}')
    result = read_jsonl(line.encode(), "export.jsonl", NOW, load_mapping(mapping))
    (signal,) = result.signals
    assert (signal.source_id, signal.author) == ("99", "warga_bangko")
    assert signal.published_at == datetime(2024, 11, 20, 1, 2, 3, tzinfo=UTC)


def _rss(tweets: list[str]) -> bytes:
    items = "".join(
        f"<item><title>Berita {i}</title><link>https://berita.example/{i}</link>"
        f"<guid>g{i}</guid><description>&lt;p&gt;{escape(t)}&lt;/p&gt;</description>"
        f"<pubDate>Wed, 20 Nov 2024 0{i}:00:00 +0700</pubDate></item>"
        for i, t in enumerate(tweets)
    )
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Portal Jambi</title>'
            f"{items}<item><guid>empty</guid></item></channel></rss>").encode()


def test_rss_items_become_signals_without_markup(data_dir: Path) -> None:
    tweets = real_tweets(data_dir, 3, start=100)
    result = read_feed(_rss(tweets), "feed.xml", NOW)
    assert len(result.signals) == 3
    assert result.signals[0].title == "Berita 0" and "<p>" not in result.signals[0].text
    assert result.signals[0].platform == "Portal Jambi"
    assert result.signals[2].published_at == datetime(2024, 11, 19, 19, 0, tzinfo=UTC)
    assert [(p.line, "text" in p.message) for p in result.problems] == [(4, True)]


def test_atom_entries_become_signals() -> None:
    feed = b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Kanal</title>
    <entry><id>tag:1</id><title>Bentrok massa di Bangko</title>
    <link rel="alternate" href="https://kanal.example/1"/>
    <summary>Ratusan orang berkumpul di depan kantor KPU Merangin.</summary>
    <published>2024-11-20T09:00:00+07:00</published><author><name>Redaksi</name></author>
    </entry></feed>"""
    (signal,) = read_feed(feed, "atom.xml", NOW).signals
    assert signal.source_id == "tag:1" and signal.url == "https://kanal.example/1"
    assert signal.author == "Redaksi" and signal.text.startswith("Ratusan orang")


def test_a_broken_feed_names_the_line() -> None:
    with pytest.raises(SourceError, match=r"feed\.xml:2: not a well-formed"):
        read_feed(b"<rss>\n<channel><item></channel>", "feed.xml", NOW)


@pytest.fixture
def feed_server(tmp_path: Path, data_dir: Path) -> Iterator[str]:
    """Serve an RSS file from a real HTTP server on 127.0.0.1; yield its URL."""
    (tmp_path / "feed.xml").write_bytes(_rss(real_tweets(data_dir, 4, start=200)))

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(tmp_path), **kwargs)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_ingest_a_feed_by_url_and_again_without_duplicates(
    store: Store, tmp_path: Path, feed_server: str
) -> None:
    first = ingest(store, tmp_path / "home", f"{feed_server}/feed.xml", "rss")
    again = ingest(store, tmp_path / "home", f"{feed_server}/feed.xml", "rss")
    assert (first.inserted, first.duplicates) == (4, 0)
    assert (again.inserted, again.duplicates, again.file_seen_before) == (0, 4, True)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(signals)).scalar() == 4
        assert conn.execute(select(func.count()).select_from(raw_inputs)).scalar() == 1
    with pytest.raises(SourceError, match="HTTP 404"):
        ingest(store, tmp_path / "home", f"{feed_server}/missing.xml", "rss")


def test_reingest_skips_same_id_and_same_content_and_keeps_the_raw_text(
    store: Store, tmp_path: Path, data_dir: Path
) -> None:
    tweets = real_tweets(data_dir, 3, start=300)
    home = tmp_path / "home"
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": f"t{i}", "text": t}
                                              for i, t in enumerate(tweets)])
    assert ingest(store, home, str(path), "jsonl").inserted == 3
    # Same ids, new words: not a new signal, and the stored text is not overwritten.
    write_jsonl(path, [{"id": "t0", "text": "teks lain"}, {"id": "x9", "text": tweets[1]},
                       {"id": "t7", "text": "baru"}])
    report = ingest(store, home, str(path), "jsonl")
    assert (report.inserted, report.duplicates) == (1, 2)
    with store.engine.connect() as conn:
        stored = dict(conn.execute(select(signals.c.source_id, signals.c.text)).all())
    assert stored == {"t0": tweets[0], "t1": tweets[1], "t2": tweets[2], "t7": "baru"}
    assert (home / "raw").is_dir() and len(list((home / "raw").rglob("*"))) >= 2


def test_ingest_says_what_it_did_as_every_file_import_does(
    store: Store, tmp_path: Path, data_dir: Path
) -> None:
    from siaga.services.outcome import FileImport

    tweets = real_tweets(data_dir, 2, start=400)
    home = tmp_path / "home"
    path = write_jsonl(tmp_path / "b.jsonl", [{"id": "a", "text": tweets[0]}])
    first = ingest(store, home, str(path), "jsonl")
    write_jsonl(path, [{"id": "b", "text": tweets[1]}, {"id": "c"},
                       {"id": "a", "text": tweets[0]}])
    report = ingest(store, home, str(path), "jsonl")
    assert isinstance(report, FileImport) and report.layout == "jsonl"
    assert len(report.sha256) == 64 and report.sha256 != first.sha256
    assert (report.stored, len(report.ids), report.read) == (1, 1, 2)
    # The repeat is the second signal read but the file's third line: named by its line.
    assert [(p.file, p.line) for p in report.skipped] == [("b.jsonl", 3)]
    assert [p.line for p in report.problems] == [2]  # no text: refused, named by its line
    with store.engine.connect() as conn:
        assert set(conn.execute(select(signals.c.id)).scalars()) == {*first.ids, *report.ids}


@pytest.fixture(scope="module")
def villages(data_dir: Path) -> VillageDirectory:
    return VillageDirectory.from_data_dir(data_dir, ["15.02", "17.06"])


def test_field_reports_by_village_code_name_and_tps(villages: VillageDirectory) -> None:
    by_code = parse_report("LAPOR 15.02.02.1010 UANG ada bagi2 amplop", villages)
    assert (by_code.place.village_name, by_code.category) == ("Pasar Bangko", "money_politics")
    by_name = parse_report("lapor pasar bangko hoaks kpu curang", villages)
    assert by_name.place.village_code == "15.02.02.1010" and by_name.code == "HOAKS"
    tps = parse_report("LAPOR TPS 3 Pasar Bangko KEKERASAN saksi dipukul", villages)
    assert tps.place.tps_code == "1502021010003" and tps.text == "saksi dipukul"
    kpu = parse_report("LAPOR 1502021010007 LOGISTIK surat suara kurang", villages)
    assert kpu.place.tps_code == "1502021010007"
    assert set(CATEGORY_CODES.values()) == {
        "money_politics", "asn_neutrality", "hate_sara", "hoax", "black_campaign",
        "violence_intimidation", "mass_mobilization", "logistics_admin", "disaster_health",
        "participation"}


@pytest.mark.parametrize(("message", "reply"), [
    ("LAPOR Pasar Bangko DUIT amplop", "Kode kategori tidak dikenal (misalnya 'DUIT')"),
    ("LAPOR Antah Berantah UANG amplop", "'Antah Berantah' tidak dikenal"),
    ("LAPOR 15.02.02.1010 UANG", "Isi laporan kosong"),
    ("LAPOR 11.01.01.2001 UANG amplop", "Kode desa 11.01.01.2001 tidak dikenal"),
    ("LAPOR UANG amplop", "Desa/TPS belum ditulis"),
    ("halo pak", "diawali kata LAPOR"),
])
def test_bad_field_reports_get_a_precise_reply(
    villages: VillageDirectory, message: str, reply: str
) -> None:
    with pytest.raises(ReportRejected, match=reply.replace("(", "\\(").replace(")", "\\)")):
        parse_report(message, villages)


def test_message_file_gives_a_reply_per_message_and_signals_for_good_ones(
    villages: VillageDirectory,
) -> None:
    content = (
        b"LAPOR 15.02.02.1010 UANG serangan fajar di RT 04\n"
        b'{"id": "wa-17", "from": "+62812000", "received_at": "2024-11-26T22:10:00+07:00", '
        b'"text": "LAPOR Pasar Bangko MASSA ratusan orang berkumpul"}\n'
        b"LAPOR Pasar Bangko DUIT x\n"
    )
    result = read_sms(content, villages)
    assert [s.source_kind for s in result.signals] == [SourceKind.SMS, SourceKind.SMS]
    assert result.signals[1].source_id == "wa-17" and result.signals[1].author == "+62812000"
    assert result.signals[0].meta["village_code"] == "15.02.02.1010"
    assert [line for line, _ in result.replies] == [1, 2, 3]
    assert "Nomor referensi: LPR-" in result.replies[0][1]
    assert [p.line for p in result.problems] == [3]


def read_sms(content: bytes, villages: VillageDirectory) -> object:
    return read_messages(content, "sms.txt", NOW, villages)


def test_read_source_rejects_an_unknown_type() -> None:
    from siaga.services.detect import DetectError

    with pytest.raises(DetectError, match="unknown source type 'xml'"):
        read_source(b"", "x", "xml", NOW)


def test_ingest_cli_prints_a_summary_rejected_lines_and_replies(
    data_dir: Path, tmp_path: Path
) -> None:
    import typer.testing

    from siaga.cli import app

    tweets = real_tweets(data_dir, 2, start=500)
    path = write_jsonl(tmp_path / "posts.jsonl", [{"id": "p1", "text": tweets[0]}, "[1, 2]",
                                                  {"id": "p2", "text": tweets[1]}])
    sms = tmp_path / "sms.txt"
    sms.write_text("LAPOR Pasar Bangko UANG amplop\nLAPOR Pasar Bangko DUIT amplop\n")
    base = ["--home", str(tmp_path / "home"), "--data-dir", str(data_dir),
            "--database-url", f"sqlite:///{tmp_path / 'cli.db'}", "ingest"]
    runner = typer.testing.CliRunner()
    first = runner.invoke(app, [*base, str(path), "--source-type", "jsonl", "--no-process"])
    assert first.exit_code == 0, first.output
    assert "posts.jsonl:2: expected a JSON object per line" in first.stderr
    assert "baru / new" in first.stdout and "│ 2" in first.stdout
    replies = runner.invoke(app, [*base, str(sms), "--source-type", "sms", "--scope", "15.02",
                                  "--no-process"])
    assert replies.exit_code == 0, replies.output
    assert "reply (line 1): Terima kasih" in replies.stdout
    assert "reply (line 2): Kode kategori tidak dikenal (misalnya 'DUIT')" in replies.stdout
    missing = runner.invoke(app, [*base, str(tmp_path / "nope.csv"), "--source-type", "csv",
                                  "--no-process"])
    assert missing.exit_code == 1 and "nope.csv: No such file" in missing.stderr
