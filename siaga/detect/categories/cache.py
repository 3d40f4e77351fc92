"""The category model cache under SIAGA_HOME/models, keyed like the toxicity model's cache.

The key covers the checksums of the corpora the labels point into, the label files, the
lexicon files, the configuration and `CODE_VERSION`, so a stale model is never served.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from siaga.datafiles.manifest import sha256_of
from siaga.datafiles.problems import DataFileError
from siaga.detect.categories.corpora import CORPORA
from siaga.detect.categories.labelset import PROJECT_LABELS, REAL_LABELS
from siaga.detect.categories.lexicon import LEXICON_DIR
from siaga.detect.categories.model import CategoryConfig, CategoryModel
from siaga.detect.toxicity.cache import MODELS_DIR, data_checksums
from siaga.progress import Progress

CODE_VERSION = "3"
TRAINING_FILES: tuple[str, ...] = tuple(c.relative for c in CORPORA.values())


def package_checksums() -> dict[str, str]:
    """Return {file name: SHA-256} of the label and lexicon files shipped with the package."""
    from siaga.detect.categories.thresholds import THRESHOLDS_FILE

    files = [REAL_LABELS, PROJECT_LABELS, *sorted(LEXICON_DIR.glob("*.yaml"))]
    files += [THRESHOLDS_FILE] if THRESHOLDS_FILE.is_file() else []
    return {f"{p.parent.name}/{p.name}": sha256_of(p) for p in files}


def cache_key(data_dir: Path, config: CategoryConfig) -> str:
    """Return a 16-hex-digit key of the data, labels, lexicons, configuration and code."""
    material = json.dumps(
        {
            "code": CODE_VERSION,
            "data": data_checksums(data_dir, TRAINING_FILES),
            "package": package_checksums(),
            "config": config.as_dict(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def model_path(home: Path, data_dir: Path, config: CategoryConfig | None = None) -> Path:
    """Return where the category model of the current data and code is (or would be) cached."""
    key = cache_key(data_dir, config or CategoryConfig())
    return home / MODELS_DIR / f"categories-{key}.joblib"


@dataclass(frozen=True)
class CachedCategoryModel:
    """A category model with its cache file and whether this call trained it."""

    model: CategoryModel
    path: Path
    trained: bool


def load_category_model(path: Path) -> CategoryModel:
    """Return the category model stored at path."""
    import joblib

    model = joblib.load(path)
    if not isinstance(model, CategoryModel):
        raise DataFileError(path, "not a category model")
    return model


def train_from_data(
    data_dir: Path, config: CategoryConfig | None = None, progress: Progress | None = None,
    ignore_stored: bool = False,
) -> CategoryModel:
    """Return a model trained on the training part of the real labels plus project texts
    (`ignore_stored`: keep the out-of-fold thresholds, not those of thresholds.json)."""
    from siaga.detect.categories.labelset import read_project_labels, read_real_labels
    from siaga.detect.categories.lexicon import load_lexicon
    from siaga.detect.categories.train import train_category_model

    real = read_real_labels(data_dir)
    training = real.subset(~real.held_out_mask()).concat(read_project_labels())
    return train_category_model(training, load_lexicon(), config, progress, ignore_stored)


def ensure_cached_category_model(
    home: Path,
    data_dir: Path,
    config: CategoryConfig | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> CachedCategoryModel:
    """Return the cached model for the current data and code, training it when missing."""
    config = config or CategoryConfig()
    path = model_path(home, data_dir, config)
    if path.is_file() and not force:
        return CachedCategoryModel(load_category_model(path), path, trained=False)
    import joblib

    model = train_from_data(data_dir, config, progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump(model, partial, compress=3)
    partial.replace(path)
    return CachedCategoryModel(model, path, trained=True)


def ensure_category_model(home: Path, data_dir: Path) -> CategoryModel:
    """Return the category model: loaded from home/models, or trained there when missing/stale."""
    return ensure_cached_category_model(home, data_dir).model
