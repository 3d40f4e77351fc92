"""The datasets Siaga reads from the data directory, their checksums, and the check against them.

The checksums live in ``siaga/data/manifest.json`` (kept in the project); the data files stay in
the data directory and are never copied into the repository.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from siaga.datafiles.problems import DataFileError


@dataclass(frozen=True, slots=True)
class DatasetSpec:
    """A dataset Siaga uses: which files (globs under the data dir) and which features need it."""

    id: str
    title: str
    patterns: tuple[str, ...]
    features: tuple[str, ...]
    required: bool = True


DATASETS: tuple[DatasetSpec, ...] = (
    DatasetSpec(
        "regions-2025",
        "Kemendagri code list, 2025 decree (38 provinces)",
        ("regions/wilayah.sql",),
        ("region hierarchy", "region search", "all scoped imports"),
    ),
    DatasetSpec(
        "regions-2023",
        "Kemendagri code list in force during the 2024 elections",
        ("regions/wilayah_2023.sql",),
        ("code mapping 2023 -> 2025 for TPS and Pilkada data",),
    ),
    DatasetSpec(
        "regions-population",
        "Population per province and regency (Dukcapil, Dec 2024)",
        ("regions/wilayah_penduduk.sql",),
        ("population per region",),
    ),
    DatasetSpec(
        "regions-area",
        "Area in km2 per province and regency (BIG, Dec 2024)",
        ("regions/wilayah_luas.sql",),
        ("area per region",),
    ),
    DatasetSpec(
        "boundaries",
        "Boundary polygons: provinces, regencies, districts; villages of Jambi, Bengkulu",
        (
            "boundaries/db/prov/*.sql",
            "boundaries/db/kab/*.sql",
            "boundaries/db/kec/*.sql",
            "boundaries/db/kel/*/*.sql",
        ),
        ("maps", "region centroids"),
    ),
    DatasetSpec(
        "village-centroids",
        "Village centroids for the whole country",
        ("villages/village_centroids.csv",),
        ("village points", "TPS placement at village centroid"),
    ),
    DatasetSpec(
        "polling-stations",
        "Pemilu 2024 polling stations (822,116 TPS)",
        ("polling-stations/tps_list_pemilu2024_DERIVED.csv.gz",),
        ("polling stations", "TPS counts per region"),
    ),
    DatasetSpec(
        "pilkada2024",
        "Pilkada 2024 candidate pairs, provisional results, Mukomuko DPT",
        (
            "pilkada2024/paslon_pilkada2024_DERIVED.csv",
            "pilkada2024/pkwkk_results_kab_DERIVED.csv",
            "pilkada2024/pkwkk_results_kecamatan_DERIVED.csv",
            "pilkada2024/mukomuko_dpt_pilkada2024_per_kecamatan.csv",
        ),
        ("contests and candidate pairs", "provisional results", "voter list size (DPT)"),
    ),
    DatasetSpec(
        "ibrohim2019-hate-speech",
        "Ibrohim & Budi 2019 multi-label hate speech tweets, abusive word list (CC BY-NC-SA)",
        (
            "text/ibrohim2019-multilabel-hate-speech/re_dataset.csv",
            "text/ibrohim2019-multilabel-hate-speech/abusive.csv",
            "text/ibrohim2019-multilabel-hate-speech/new_kamusalay.csv",
        ),
        ("toxicity classifier training",),
    ),
    DatasetSpec(
        "indobertweet-hs1-splits",
        "IndoBERTweet 5-fold train/dev/test splits of the Ibrohim 2019 tweets",
        ("text/indobertweet-hs1-splits/data/*.csv",),
        ("toxicity benchmark (siaga model evaluate)",),
        required=False,
    ),
    DatasetSpec(
        "colloquial-lexicon",
        "Colloquial Indonesian lexicon (slang -> standard words)",
        ("text/colloquial-lexicon/colloquial-indonesian-lexicon.csv",),
        ("colloquial word standardisation",),
        required=False,
    ),
)


@dataclass(frozen=True, slots=True)
class FileEntry:
    """One file of the manifest: its path under the data directory, SHA-256 and size."""

    path: str
    sha256: str
    bytes: int


@dataclass
class DatasetStatus:
    """What the check found for one dataset."""

    id: str
    title: str
    features: tuple[str, ...]
    required: bool
    files: int
    missing: list[str] = field(default_factory=list)
    altered: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """Return 'ok', 'missing' or 'altered' (missing wins when both)."""
        if self.missing:
            return "missing"
        return "altered" if self.altered else "ok"

    def as_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict of this status."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "required": self.required,
            "features": list(self.features),
            "files": self.files,
            "missing": self.missing,
            "altered": self.altered,
        }


def sha256_of(path: Path) -> str:
    """Return the hex SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def load_manifest(path: Path | None = None) -> dict[str, list[FileEntry]]:
    """Return the manifest: dataset id -> its files with expected checksums."""
    if path is None:
        text = resources.files("siaga").joinpath("data/manifest.json").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    raw = json.loads(text)
    return {ds["id"]: [FileEntry(**entry) for entry in ds["files"]] for ds in raw["datasets"]}


def build_manifest(data_dir: Path) -> dict[str, Any]:
    """Return a manifest (as JSON-ready dict) of the files the datasets match in data_dir."""
    datasets = []
    for spec in DATASETS:
        paths = sorted({p for pattern in spec.patterns for p in data_dir.glob(pattern)})
        if not paths:
            raise DataFileError(data_dir, f"dataset {spec.id}: no file matches {spec.patterns}")
        files = [
            {
                "path": p.relative_to(data_dir).as_posix(),
                "sha256": sha256_of(p),
                "bytes": p.stat().st_size,
            }
            for p in paths
        ]
        datasets.append({"id": spec.id, "title": spec.title, "files": files})
    return {"datasets": datasets}


def _check_file(data_dir: Path, entry: FileEntry, status: DatasetStatus) -> None:
    path = data_dir / entry.path
    if not path.is_file():
        status.missing.append(f"{entry.path}: not found under {data_dir}")
        return
    size = path.stat().st_size
    if size != entry.bytes:
        hint = "truncated" if size < entry.bytes else "larger than expected"
        status.altered.append(f"{entry.path}: {size:,} bytes, expected {entry.bytes:,} ({hint})")
    elif sha256_of(path) != entry.sha256:
        status.altered.append(
            f"{entry.path}: SHA-256 differs from the manifest ({entry.sha256[:12]}…)"
        )


def check_data(
    data_dir: Path,
    manifest: dict[str, list[FileEntry]] | None = None,
    only: set[str] | None = None,
) -> list[DatasetStatus]:
    """Return the status of every dataset (or those in `only`) against the manifest."""
    manifest = load_manifest() if manifest is None else manifest
    results = []
    for spec in DATASETS:
        if only is not None and spec.id not in only:
            continue
        entries = manifest.get(spec.id, [])
        status = DatasetStatus(spec.id, spec.title, spec.features, spec.required, len(entries))
        for entry in entries:
            _check_file(data_dir, entry, status)
        results.append(status)
    return results


def expected_checksum(dataset_id: str, relative_path: str) -> str | None:
    """Return the manifest's SHA-256 for one file, or None when it is not listed."""
    for entry in load_manifest().get(dataset_id, []):
        if entry.path == relative_path:
            return entry.sha256
    return None
