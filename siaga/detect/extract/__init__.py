"""Extraction: regions, TPS, candidate pairs, agencies, officials' roles and dates in a text.

Use `Extractor.from_data_dir(data_dir, cache_dir)` once, then `extractor.extract(text)`; see
docs/extract.md for what is recognised and what the confidences mean.
"""

from siaga.detect.extract.extractor import Extractor
from siaga.detect.extract.mentions import (
    CandidateMention,
    Extraction,
    RegionMention,
    TpsMention,
)

__all__ = ["CandidateMention", "Extraction", "Extractor", "RegionMention", "TpsMention"]
