"""The registry of source kinds: one list the reader and the CLI's choices both come from."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from siaga.cli.detect import SourceType
from siaga.sources.base import SourceError
from siaga.sources.mapping import load_mapping
from siaga.sources.registry import KINDS, kind_of, read
from tests.detect_helpers import real_tweets

NOW = datetime(2024, 11, 20, 8, 0, tzinfo=UTC)


def test_the_cli_offers_exactly_the_registered_kinds() -> None:
    assert sorted(t.value for t in SourceType) == sorted(KINDS) == ["csv", "jsonl", "rss", "sms"]
    assert [k.name for k in KINDS.values() if k.needs_villages] == ["sms"]


def test_each_kind_reads_through_its_own_reader(data_dir: Path) -> None:
    text = real_tweets(data_dir, 1)[0].replace('"', "'")
    from_csv = read("csv", f'id,text\nx1,"{text}"\n'.encode(), "in.csv", NOW)
    from_jsonl = read("jsonl", b'{"id": "x1", "text": "' + text.encode() + b'"}\n', "in.jsonl",
                      NOW)
    assert [s.text for s in from_csv.signals] == [s.text for s in from_jsonl.signals] == [text]
    assert from_csv.signals[0].source_kind.value == "csv"
    assert from_jsonl.signals[0].source_kind.value == "jsonl"
    (entry,) = read("rss", b"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">
    <entry><id>tag:1</id><summary>Ratusan orang berkumpul di depan kantor KPU.</summary>
    <published>2024-11-20T09:00:00+07:00</published></entry></feed>""", "atom.xml", NOW).signals
    assert entry.source_id == "tag:1" and entry.source_kind.value == "rss"
    with pytest.raises(SourceError, match=r"feed\.xml:2: not a well-formed"):
        read("rss", b"<rss>\n<channel><item></channel>", "feed.xml", NOW)


def test_what_a_kind_cannot_take_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="known: jsonl, csv, rss, sms"):
        kind_of("tiktok")
    mapping_file = tmp_path / "m.yaml"
    mapping_file.write_text("columns:\n  text: body\n", encoding="utf-8")
    with pytest.raises(SourceError, match="--mapping applies to jsonl, csv sources only"):
        read("rss", b"<rss/>", "feed.xml", NOW, mapping=load_mapping(mapping_file))
    with pytest.raises(SourceError, match="village list"):
        read("sms", b"LAPOR 15.02 ada keributan\n", "sms.txt", NOW)
