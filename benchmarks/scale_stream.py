"""Streams of posts built from the shared corpora, written as JSON Lines inputs.

Used by the Spark tests (a few hundred posts) and `benchmarks/scale.py` (20,000): real texts
no one here wrote, with place and candidate mentions added and times spread over days, so the
detections carry regions, candidates, clusters (replays) and alerts.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from siaga.detect.categories.corpora import CORPORA, read_corpus

START = datetime(2024, 11, 4, tzinfo=UTC)
PLACES = (
    "di Kabupaten Merangin", "warga Bangko", "Kec. Tabir", "Desa Pasar Bangko",
    "di Kab. Mukomuko", "Kecamatan Kota Mukomuko", "Kota Jambi", "di Kabupaten Bandung",
    "Kota Surabaya", "Kab. Sarolangun", "di Bengkulu", "Kabupaten Kerinci",
)
CANDIDATES = ("paslon 02", "nomor urut 1", "paslon nomor urut 3", "pasangan calon 01")
TAILS = ("#Pilkada2024", "#PilkadaDamai", "tolong sebarkan", "cek faktanya", "")


def corpus_texts(data_dir: Path) -> list[str]:
    """Return every non-empty text of the shared corpora, in a fixed order."""
    texts: list[str] = []
    for name in CORPORA:
        texts += [t for t in read_corpus(data_dir, name) if t.strip()]
    return texts


def posts(texts: Sequence[str], count: int, *, days: int = 14, seed: int = 7,
          prefix: str = "p", start: datetime = START) -> list[dict[str, Any]]:
    """Return `count` records: texts taken in turn (with a random start), a third of them
    replayed as retweets or with tags, places and candidates added, spread over `days`."""
    rng = random.Random(seed)
    first = rng.randrange(len(texts))
    out = []
    for i in range(count):
        text = texts[(first + (i if rng.random() < 0.7 else rng.randrange(i + 1))) % len(texts)]
        if rng.random() < 0.3:
            text = f"{rng.choice(('RT @user: ', '', 'Lihat ini: '))}{text} {rng.choice(TAILS)}"
        if rng.random() < 0.6:
            text = f"{text} {rng.choice(PLACES)}"
        if rng.random() < 0.3:
            text = f"{text} {rng.choice(CANDIDATES)}"
        moment = start + timedelta(minutes=rng.randrange(days * 24 * 60))
        out.append({"id": f"{prefix}{i}", "text": text.strip(),
                    "author": f"akun{rng.randrange(5000)}", "platform": "twitter",
                    "published_at": moment.isoformat(), "lang": "id"})
    return out


def burst(texts: Sequence[str], place: str, day: datetime, *,
          prefix: str = "s") -> list[dict[str, Any]]:
    """Return one record per text, all naming `place`, within one morning of `day`."""
    return [{"id": f"{prefix}{i}", "text": f"{text} {place}", "author": f"warga{i}",
             "platform": "twitter", "lang": "id",
             "published_at": (day + timedelta(hours=2, minutes=7 * i)).isoformat()}
            for i, text in enumerate(texts)]


def write_jsonl(path: Path, records: Sequence[dict[str, Any] | str]) -> Path:
    """Write one record (or a raw line, as is) per line."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
