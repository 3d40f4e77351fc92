"""Normalisation of real Indonesian tweets and affix-aware matching."""

from __future__ import annotations

from pathlib import Path

import pytest

from siaga.detect.affixes import AffixMatcher, root_candidates
from siaga.detect.normalise import Normaliser
from tests.detect_helpers import real_tweets


@pytest.fixture(scope="module")
def normaliser(data_dir: Path) -> Normaliser:
    return Normaliser.from_data_dir(data_dir)


def test_byte_escaped_emoji_of_the_corpus_are_decoded(
    normaliser: Normaliser, data_dir: Path
) -> None:
    tweet = real_tweets(data_dir, 1, start=5)[0]
    assert tweet.endswith("\\xf0\\x9f\\x98\\x84'")  # as the file stores it
    out = normaliser.normalise(tweet)
    assert out.endswith("😄😄😄") and "\\x" not in out and "'" not in out
    assert out.startswith("@user ya bani taplak dan kawan kawan")  # "dkk" standardised


def test_emoji_placeholder(data_dir: Path) -> None:
    tweet = real_tweets(data_dir, 1, start=17)[0]
    out = Normaliser.from_data_dir(data_dir, emoji_placeholder=True).normalise(tweet)
    assert out.endswith("monyet emoji")


def test_placeholders_repeats_and_colloquial_words(normaliser: Normaliser) -> None:
    raw = "@Budi_88 Mantaaaap bgt yg bagi2 amplop di TPS 05, cek https://t.co/AbC123 gk?"
    assert normaliser.normalise(raw) == (
        "@user mantap banget yang bagi-bagi amplop di tps 05, cek httpurl enggak?"
    )


def test_election_acronyms_are_not_expanded(normaliser: Normaliser) -> None:
    assert normaliser.normalise("KPU dan Bawaslu di TPS") == "kpu dan bawaslu di tps"


def test_pieces_seen_before_and_whitespace_made_by_entities(data_dir: Path) -> None:
    # The normaliser works piece by piece (runs of non-space) and reuses pieces it has seen:
    # whitespace that entities or escapes produce inside a piece, and a piece met again in
    # another text, must give what normalising the whole text at once gives.
    normaliser = Normaliser.from_data_dir(data_dir)
    texts = {
        "Bagi2&nbsp;amplop&#10;di\tTPS\u3000 05": "bagi-bagi amplop di tps 05",
        "RT @user: yg&amp;gk": "rt @user : yang&enggak",
        "yg\\nGK \\xf0\\x9f\\x98\\x84'": "yang enggak \U0001f604",
        "@user: bagi2": "@user : bagi-bagi",
    }
    for _round in range(2):
        assert normaliser.normalise_many(list(texts)) == list(texts.values())


def test_original_is_untouched_and_every_real_tweet_normalises(
    normaliser: Normaliser, data_dir: Path
) -> None:
    tweets = real_tweets(data_dir, 2000)
    before = list(tweets)
    out = normaliser.normalise_many(tweets)
    assert tweets == before and len(out) == 2000
    assert not any("\\x" in t or "\\n" in t or t != t.lower() for t in out)
    assert sum("@user" in t for t in out) > 500  # the corpus's USER placeholder


@pytest.mark.parametrize(("word", "root"), [
    ("dibagikan", "bagi"), ("membagi-bagikan", "bagi"), ("bagi-bagi", "bagi"), ("bagi2", "bagi"),
    ("mengancam", "ancam"), ("diancamnya", "ancam"), ("menyebarkan", "sebar"),
    ("tersebar", "sebar"), ("memukul", "pukul"), ("menendang", "tendang"),
    ("mengirimkan", "kirim"), ("amplopnya", "amplop"), ("dicoblos", "coblos"),
    ("bersebaran", "sebar"), ("sebarkanlah", "sebar"),
])
def test_affixed_forms_find_their_root(word: str, root: str) -> None:
    matcher = AffixMatcher(["bagi", "ancam", "sebar", "pukul", "tendang", "kirim", "amplop",
                            "coblos"])
    assert matcher.root_of(word) == root


def test_unrelated_words_do_not_match() -> None:
    matcher = AffixMatcher(["bagi", "ancam", "bom"])
    assert matcher.find("bagaimana kabar pembaca, ancaman bombastis?") == ["ancam"]
    assert "bagi" not in root_candidates("bagaimana")


def test_matcher_on_normalised_real_text(normaliser: Normaliser) -> None:
    text = normaliser.normalise("Tim paslon dibilang bagi2 sembako, warga diancam kalo gk milih")
    assert AffixMatcher(["bagi", "ancam", "pilih"]).find(text) == ["bagi", "ancam", "pilih"]


def test_matcher_reads_tokens_joined_by_punctuation_and_any_whitespace() -> None:
    # The matcher caches its analysis per whitespace-separated piece: a piece may hold several
    # tokens, and a repeated text (answered from the cache) gives the same roots.
    matcher = AffixMatcher(["bagi", "ancam", "bom"])
    text = "Ancaman,DIBAGIKAN\tbom!bom\u3000bagi-bagi ancam2 membom-bom"
    expected = ["ancam", "bagi", "bom", "bom", "bagi", "ancam", "bom"]
    assert matcher.find(text) == expected and matcher.find(text) == expected
    assert matcher.roots_in(text) == set(expected)
