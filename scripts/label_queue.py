"""Pick shared-corpus texts to label by hand, show them in batches, and record the decisions.

The labels stay by dataset and row (never the text) in siaga/detect/categories/labels/real.csv.
A person reads each shown text and decides its categories; this script only finds candidates
and writes what was decided, with the `check` fingerprint of the text.

    python scripts/label_queue.py pick --category hoax --n 60 --batch /tmp/b1
    python scripts/label_queue.py pick --random --dataset aulia2019 --n 60 --batch /tmp/b2
    python scripts/label_queue.py record --batch /tmp/b1 --decisions "3:hoax,bc 7:vio x12"
    python scripts/label_queue.py counts

`pick` chooses unlabelled rows whose normalised text was not labelled yet: for a category,
rows the lexicon matches (strong phrase or near rule first, then weak words), optionally rows
the current model scores highest (`--model`); with `--random`, a uniform sample. It saves the
batch (number, dataset, row) to `--batch` and prints the numbered texts.

`record` appends every row of a batch to the label file: the numbers named in `--decisions`
get the listed categories (short codes below), `xN` leaves row N out (unreadable or not
Indonesian), every other row is recorded as none of the ten.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import sys
from pathlib import Path

from siaga.detect.categories.corpora import CORPORA, read_corpus
from siaga.detect.categories.labels import CATEGORIES
from siaga.detect.categories.labelset import REAL_LABELS, text_check
from siaga.detect.categories.lexicon import FEATURES_PER_CATEGORY, Lexicon, load_lexicon
from siaga.detect.toxicity.normalise import normalise_tweet

CODES = {
    "mp": "money_politics",
    "asn": "asn_neutrality",
    "sara": "hate_sara",
    "hoax": "hoax",
    "bc": "black_campaign",
    "vio": "violence_intimidation",
    "mob": "mass_mobilization",
    "log": "logistics_admin",
    "dis": "disaster_health",
    "par": "participation",
}
DEFAULT_DATASETS = list(CORPORA)
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _data_dir() -> Path:
    return Path(os.environ.get("SIAGA_DATA_DIR", "../shared/data"))


def _labelled() -> tuple[set[tuple[str, int]], set[str]]:
    """Return the labelled (dataset, row) keys and their normalised texts."""
    keys: set[tuple[str, int]] = set()
    seen: set[str] = set()
    with REAL_LABELS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["dataset"], int(row["row"]))
            keys.add(key)
            seen.add(normalise_tweet(read_corpus(_data_dir(), key[0])[key[1]]))
    return keys, seen


def _pool(datasets: list[str]) -> list[tuple[str, int, str]]:
    """Return the unlabelled, non-empty rows of datasets, one per distinct normalised text."""
    keys, seen = _labelled()
    pool = []
    for name in datasets:
        for row, text in enumerate(read_corpus(_data_dir(), name)):
            norm = normalise_tweet(text)
            if (name, row) in keys or not text.strip() or norm in seen:
                continue
            seen.add(norm)
            pool.append((name, row, text))
    return pool


def _lexicon_ranked(
    pool: list[tuple[str, int, str]], category: str, rng: random.Random
) -> list[int]:
    """Return pool indices the lexicon matches for category: rule hits first, then weak hits.

    Each group is shuffled, so a batch is not drawn from the first dataset only.
    """
    lexicon = load_lexicon()
    where = CATEGORIES.index(category) * FEATURES_PER_CATEGORY
    counts = lexicon.features([t for _, _, t in pool])
    strong = [i for i in range(len(pool)) if counts[i, where] + counts[i, where + 2] > 0]
    ruled = set(strong)
    weak = [i for i in range(len(pool)) if counts[i, where + 1] > 0 and i not in ruled]
    rng.shuffle(strong)
    rng.shuffle(weak)
    return strong + weak


def _model_ranked(pool: list[tuple[str, int, str]], category: str, top: int) -> list[int]:
    """Return the pool indices the current model scores highest for category."""
    from siaga.detect.categories.cache import ensure_category_model

    home = Path(os.environ.get("LABEL_QUEUE_HOME", "/tmp/label-queue-home"))
    model = ensure_category_model(home, _data_dir())
    proba = model.predict_proba([t for _, _, t in pool])[:, CATEGORIES.index(category)]
    order = sorted(range(len(pool)), key=lambda i: -proba[i])
    return order[:top]


def pick(args: argparse.Namespace) -> None:
    """Save and print a batch of candidate rows."""
    pool = [p for p in _pool(args.dataset or DEFAULT_DATASETS) if len(p[2]) <= args.max_len]
    rng = random.Random(args.seed)
    if args.random:
        chosen = rng.sample(range(len(pool)), min(args.n, len(pool)))
        if args.ordered:  # file order keeps an article set's topics together
            chosen.sort()
    else:
        if args.model:
            ranked = _model_ranked(pool, args.category, args.n * 3)
            rng.shuffle(ranked)
        else:
            ranked = _lexicon_ranked(pool, args.category, rng)
        chosen = ranked[: args.n]
    with open(args.batch, "w", encoding="utf-8") as handle:
        for number, i in enumerate(chosen, start=1):
            handle.write(f"{number}\t{pool[i][0]}\t{pool[i][1]}\n")
    _print_batch(Path(args.batch), args.chars, 1, len(chosen))


def _print_batch(batch: Path, chars: int, first: int, last: int, cues: int = 4) -> None:
    """Print the numbered texts first..last of a saved batch."""
    lexicon = load_lexicon()
    for line in batch.read_text().splitlines():
        number, name, row = line.split("\t")
        if first <= int(number) <= last:
            text = read_corpus(_data_dir(), name)[int(row)]
            print(f"[{number}] {name}:{row} {_shown(text, chars, lexicon, cues)}")


def _shown(text: str, chars: int, lexicon: Lexicon, most: int = 4) -> str:
    """Return the text on one line; a long one cut to its lead plus the sentences with cues.

    The cue sentences (any lexicon word, strong or weak) let a reader judge a long article
    from its first `chars` characters and the passages where a category could hide.
    """
    flat = " ".join(text.split())
    if len(flat) <= chars * 1.3:
        return flat
    strong: list[str] = []
    weak: list[str] = []
    for sentence in _SENTENCE.split(flat[chars:]):
        slots = {slot for slot, _, _ in lexicon.hits(sentence) if slot < 2 * len(CATEGORIES)}
        if slots:  # even slots are strong phrases, odd ones weak words
            (strong if any(s % 2 == 0 for s in slots) else weak).append(sentence[:170])
    cues = strong + weak
    extra = f" [... {len(cues)} cue sentences:] " + " | ".join(cues[:most]) if cues else ""
    return f"{flat[:chars]} [...{len(flat)} chars]{extra}"


def _decisions(spec: str) -> tuple[dict[int, set[str]], set[int]]:
    """Return the categories per batch number and the numbers to leave out, from `--decisions`."""
    flags: dict[int, set[str]] = {}
    skip: set[int] = set()
    for part in spec.split():
        if part.startswith("x"):
            skip.add(int(part[1:]))
            continue
        number, _, codes = part.partition(":")
        names = set()
        for code in codes.split(","):
            if code not in CODES:
                raise SystemExit(f"unknown code {code!r} in {part!r}; known: {', '.join(CODES)}")
            names.add(CODES[code])
        flags[int(number)] = names
    return flags, skip


def record(args: argparse.Namespace) -> None:
    """Append a judged batch to the label file."""
    flags, skip = _decisions(args.decisions)
    batch = [line.split("\t") for line in Path(args.batch).read_text().splitlines()]
    numbers = {int(n) for n, _, _ in batch if args.first <= int(n) <= args.last}
    unknown = (set(flags) | skip) - numbers
    if unknown:
        raise SystemExit(f"numbers not in the batch: {sorted(unknown)}")
    keys, _ = _labelled()
    rows = []
    for number_text, name, row_text in batch:
        number, row = int(number_text), int(row_text)
        outside = not args.first <= number <= args.last
        if outside or number in skip or (name, row) in keys:
            continue
        text = read_corpus(_data_dir(), name)[row]
        chosen = flags.get(number, set())
        rows.append([name, row, text_check(text), *(int(c in chosen) for c in CATEGORIES)])
    with REAL_LABELS.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    print(f"recorded {len(rows)} rows ({sum(1 for r in rows if any(r[3:]))} with a category)")


def counts() -> None:
    """Print a Markdown table of labelled texts and positives per dataset and category."""
    table: dict[str, list[int]] = {}
    with REAL_LABELS.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            flags = [int(row[c]) for c in CATEGORIES]
            line = table.setdefault(row["dataset"], [0] * (len(CATEGORIES) + 2))
            line[0] += 1
            line[1] += int(not any(flags))
            for i, flag in enumerate(flags):
                line[i + 2] += flag
    total = [sum(column) for column in zip(*table.values(), strict=True)]
    print("| dataset | texts | none | " + " | ".join(f"`{c}`" for c in CATEGORIES) + " |")
    print("|---" * (len(CATEGORIES) + 3) + "|")
    for name, line in sorted(table.items(), key=lambda item: -item[1][0]):
        print(f"| `{name}` | " + " | ".join(str(v) for v in line) + " |")
    print("| **all** | " + " | ".join(f"**{v}**" for v in total) + " |")


def main(argv: list[str]) -> None:
    """Parse the command line and run `pick` or `record`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pick")
    p.add_argument("--category", choices=CATEGORIES)
    p.add_argument("--random", action="store_true")
    p.add_argument("--model", action="store_true")
    p.add_argument("--ordered", action="store_true", help="with --random: in file order")
    p.add_argument("--dataset", action="append", choices=list(CORPORA))
    p.add_argument("--n", type=int, default=50)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--chars", type=int, default=400)
    p.add_argument("--max-len", type=int, default=10**6, help="only texts this long or shorter")
    p.add_argument("--batch", required=True)
    s = sub.add_parser("show")
    s.add_argument("--batch", required=True)
    s.add_argument("--chars", type=int, default=400)
    s.add_argument("--first", type=int, default=1)
    s.add_argument("--last", type=int, default=10**6)
    s.add_argument("--cues", type=int, default=4)
    r = sub.add_parser("record")
    r.add_argument("--batch", required=True)
    r.add_argument("--decisions", default="")
    r.add_argument("--first", type=int, default=1, help="record only numbers first..last")
    sub.add_parser("counts")
    r.add_argument("--last", type=int, default=10**6)
    args = parser.parse_args(argv)
    if args.command == "pick":
        if not args.random and not args.category:
            parser.error("pick needs --category or --random")
        pick(args)
    elif args.command == "counts":
        counts()
    elif args.command == "show":
        _print_batch(Path(args.batch), args.chars, args.first, args.last, args.cues)
    else:
        record(args)


if __name__ == "__main__":
    main(sys.argv[1:])
