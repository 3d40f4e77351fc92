"""Rebuild or check the real-text dev set's text cache (see docs/categories.md).

    python scripts/devset_rebuild.py --list     # the look-ups to make, one per line
    python scripts/devset_rebuild.py            # rebuild passages.jsonl from answers/*.json
    python scripts/devset_rebuild.py --check    # only check an existing passages.jsonl

The cache folder is --dir, else SIAGA_DEVSET_DIR, else $SIAGA_HOME/devset. Exits 1 when any
labelled passage is missing or altered, naming them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from siaga.detect.devset import (
    PASSAGES_FILE,
    CacheCheck,
    DevsetError,
    check_texts,
    default_devset_dir,
    read_labels,
    read_texts,
)
from siaga.detect.devset.rebuild import lookups, rebuild_cache
from siaga.settings import load_settings


def _report(check: CacheCheck, total: int) -> int:
    if check.missing:
        print(f"missing ({len(check.missing)}): {' '.join(check.missing)}")
    if check.altered:
        altered = " ".join(check.altered)
        print(f"altered, SHA-256 or length differ ({len(check.altered)}): {altered}")
    good = total - len(check.missing) - len(check.altered)
    print(f"{good} of {total} labelled passages present and unaltered")
    return 0 if check.ok else 1


def main(argv: list[str] | None = None) -> int:
    """Run the command; return the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help="dev-set cache folder")
    parser.add_argument("--list", action="store_true", help="list the look-ups to make")
    parser.add_argument("--check", action="store_true", help="only check passages.jsonl")
    args = parser.parse_args(argv)
    labels = read_labels()
    if args.list:
        for lookup in lookups(labels):
            print(f"{lookup.number:03d}\t{lookup.corpus}\t{lookup.query}")
        return 0
    settings = load_settings()
    folder = args.dir or default_devset_dir(settings.home, settings.devset_dir)
    try:
        if args.check:
            if not (folder / PASSAGES_FILE).is_file():
                raise DevsetError(
                    f"no dev-set text cache at {folder / PASSAGES_FILE}: run this script "
                    "without --check to rebuild it from the saved answers, or set SIAGA_DEVSET_DIR"
                )
            check = check_texts(labels, read_texts(folder / PASSAGES_FILE))
        else:
            check = rebuild_cache(folder)
            print(f"wrote {folder / PASSAGES_FILE}")
    except (DevsetError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return _report(check, len(labels))


if __name__ == "__main__":
    sys.exit(main())
