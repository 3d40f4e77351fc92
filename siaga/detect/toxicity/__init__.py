"""Indonesian hate-speech and abusive-language classifier, trained from the shared corpora.

Entry points: `ensure_model` (train or load the cached model), `ToxicityModel.predict_proba`,
`evaluate_benchmark` (the IndoBERTweet HS1 folds) and the `ToxicityClassifier` seam.
"""

from siaga.detect.toxicity.cache import CachedModel, cache_key, ensure_model, load_model
from siaga.detect.toxicity.labels import LABEL_NAMES, LABELS
from siaga.detect.toxicity.model import ModelConfig, ToxicityModel, train_model
from siaga.detect.toxicity.seam import KeywordToxicity, ToxicityClassifier

__all__ = [
    "LABELS",
    "LABEL_NAMES",
    "CachedModel",
    "KeywordToxicity",
    "ModelConfig",
    "ToxicityClassifier",
    "ToxicityModel",
    "cache_key",
    "ensure_model",
    "load_model",
    "train_model",
]
