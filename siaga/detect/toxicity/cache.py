"""The model cache under SIAGA_HOME, keyed by the training files' checksums and the code version.

Changing a data file, the configuration or `CODE_VERSION` gives a new key, so a stale model is
never served; old files stay until removed by hand.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from siaga.datafiles.manifest import sha256_of
from siaga.datafiles.problems import DataFileError
from siaga.detect.toxicity.config import ModelConfig
from siaga.detect.toxicity.datasets import IBROHIM2019, IBROHIM2019_ABUSIVE_WORDS
from siaga.progress import Progress

if TYPE_CHECKING:
    from siaga.detect.toxicity.model import ToxicityModel

TRAINING_FILES: tuple[str, ...] = (IBROHIM2019, IBROHIM2019_ABUSIVE_WORDS)

CODE_VERSION = "3"
MODELS_DIR = "models"


def data_checksums(data_dir: Path, files: tuple[str, ...] = TRAINING_FILES) -> dict[str, str]:
    """Return {relative path: SHA-256} of the files the model is trained on."""
    sums = {}
    for relative in files:
        path = data_dir / relative
        if not path.is_file():
            raise DataFileError(path, "not found; the toxicity model is trained from it")
        sums[relative] = sha256_of(path)
    return sums


def cache_key(checksums: dict[str, str], config: ModelConfig) -> str:
    """Return a 16-hex-digit key of the checksums, the configuration and CODE_VERSION."""
    material = json.dumps(
        {"code": CODE_VERSION, "data": checksums, "config": config.as_dict()}, sort_keys=True
    )
    return hashlib.sha256(material.encode()).hexdigest()[:16]


def model_path(home: Path, key: str) -> Path:
    """Return where the model with this key is cached."""
    return home / MODELS_DIR / f"toxicity-{key}.joblib"


@dataclass(frozen=True)
class CachedModel:
    """A model with the file it lives in and whether this call trained it."""

    model: ToxicityModel
    path: Path
    trained: bool


def current_path(home: Path, data_dir: Path, config: ModelConfig | None = None) -> Path:
    """Return the cache path a model of the current data and code would have."""
    return model_path(home, cache_key(data_checksums(data_dir), config or ModelConfig()))


def load_model(path: Path) -> ToxicityModel:
    """Return the model stored at path."""
    import joblib

    from siaga.detect.toxicity.model import ToxicityModel

    model = joblib.load(path)
    if not isinstance(model, ToxicityModel):
        raise DataFileError(path, "not a toxicity model")
    return model


def ensure_model(
    home: Path,
    data_dir: Path,
    config: ModelConfig | None = None,
    force: bool = False,
    progress: Progress | None = None,
) -> CachedModel:
    """Return the cached model for the current data and code, training it when missing."""
    config = config or ModelConfig()
    path = current_path(home, data_dir, config)
    if path.is_file() and not force:
        return CachedModel(load_model(path), path, trained=False)
    import joblib

    from siaga.detect.toxicity import model as models  # scikit-learn, loaded only to train
    from siaga.detect.toxicity.datasets import read_abusive_words, read_ibrohim2019

    corpus, words = read_ibrohim2019(data_dir), read_abusive_words(data_dir)
    model = models.train_model(corpus, config, progress, words)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    joblib.dump(model, partial, compress=3)
    partial.replace(path)
    return CachedModel(model, path, trained=True)
