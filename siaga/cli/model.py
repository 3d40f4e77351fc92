"""`siaga model train|evaluate|predict`: the hate-speech and abusive-language classifier.

The model modules are imported inside the commands: they load scikit-learn, which would add
seconds to every other `siaga` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from siaga.cli import common
from siaga.cli.common import clear_errors, fail, out, print_json, settings_of
from siaga.console import BarProgress
from siaga.detect.toxicity.labels import BENCHMARKS, FOLDS, LABELS

CATEGORY_BENCHMARK = "categories"

model_app = typer.Typer(
    help="Train, evaluate and use the hate-speech and abusive-language classifier.",
    no_args_is_help=True,
)
common.app.add_typer(model_app, name="model")


@model_app.command("train")
def train(
    ctx: typer.Context,
    force: Annotated[
        bool, typer.Option(help="Retrain even when a current model is cached.")
    ] = False,
) -> None:
    """Train the model and cache it under SIAGA_HOME (nothing to do when it is current)."""
    from siaga.detect.toxicity.cache import current_path, ensure_model

    settings = settings_of(ctx)
    with clear_errors():
        data_dir = settings.require_data_dir()
        path = current_path(settings.home, data_dir)
    if path.is_file() and not force:  # checked without loading the model: `make run` is quick
        out.print(f"Model is current, nothing to do: {path}", highlight=False, markup=False)
    else:
        with clear_errors(), BarProgress() as progress:
            cached = ensure_model(settings.home, data_dir, force=True, progress=progress)
        out.print(f"Model trained and saved to {cached.path}", highlight=False, markup=False)
    _train_categories(settings.home, data_dir, force)


def _train_categories(home: Path, data_dir: Path, force: bool) -> None:
    """Train the election-risk category model too (cached separately, see docs/categories.md)."""
    from siaga.detect.categories.cache import ensure_cached_category_model, model_path

    with clear_errors():
        path = model_path(home, data_dir)
    if path.is_file() and not force:
        out.print(
            f"Model kategori sudah terbaru / Category model is current: {path}",
            highlight=False,
            markup=False,
        )
        return
    with clear_errors(), BarProgress() as progress:
        cached = ensure_cached_category_model(home, data_dir, force=True, progress=progress)
    out.print(
        f"Model kategori dilatih / Category model trained and saved to {cached.path}",
        highlight=False,
        markup=False,
    )


def _fold_table(figures: dict[str, object]) -> Table:
    table = Table("fold", "F1 hate", "F1 abusive", "train s", title="indobertweet-hs1 (test)")
    for fold in figures["folds"]:  # type: ignore[attr-defined]
        table.add_row(
            str(fold["fold"]),
            f"{fold['f1_hate']:.4f}",
            f"{fold['f1_abusive']:.4f}",
            f"{fold['train_seconds']:.1f}",
        )
    table.add_row(
        "mean",
        f"{figures['f1_hate_mean']:.4f}",
        f"{figures['f1_abusive_mean']:.4f}",
        f"{figures['train_seconds']:.1f}",
    )
    return table


@model_app.command("evaluate")
def evaluate(
    ctx: typer.Context,
    benchmark: Annotated[
        str, typer.Option(help="Benchmark: indobertweet-hs1, cross-corpus or categories.")
    ] = BENCHMARKS[0],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    folds: Annotated[
        int, typer.Option(min=1, max=FOLDS, help="Run only the first N folds.")
    ] = FOLDS,
    jobs: Annotated[int, typer.Option(min=1, help="Folds trained in parallel.")] = 2,
    quick: Annotated[bool, typer.Option(help="A smaller, faster model (for smoke tests).")] = False,
    pooled: Annotated[bool, typer.Option(
        help="Train on the other shared toxicity corpora too (see docs/model.md).")] = False,
) -> None:
    """Train on each fold's train part, choose on dev, print F1 on test, speed, train time."""
    from siaga.detect.toxicity.evaluate import evaluate_benchmark
    from siaga.detect.toxicity.model import QUICK_CONFIG, ModelConfig

    if benchmark == CATEGORY_BENCHMARK:
        _evaluate_categories(ctx, as_json)
        return
    if benchmark not in BENCHMARKS:
        known = ", ".join((*BENCHMARKS, CATEGORY_BENCHMARK))
        fail(f"benchmark tidak dikenal / unknown benchmark {benchmark!r}; known: {known}")
    with clear_errors():
        data_dir = settings_of(ctx).require_data_dir()
        config = QUICK_CONFIG if quick else ModelConfig()
        if pooled or benchmark == "cross-corpus":
            from dataclasses import replace

            from siaga.detect.toxicity.pooled import READERS

            config = replace(config, pooled=tuple(READERS))
        if benchmark == "cross-corpus":
            from siaga.detect.toxicity.crosscorpus import cross_corpus

            print_json(cross_corpus(data_dir, config))
            return
        figures = evaluate_benchmark(data_dir, folds=folds, config=config, jobs=jobs)
    if as_json:
        print_json(figures)
        return
    out.print(_fold_table(figures))
    out.print(f"{figures['docs_per_second']:,.0f} texts/s on one core", highlight=False)


def _category_table(figures: dict[str, object]) -> Table:
    title = f"categories (held-out, {figures['held_out_texts']} texts)"
    table = Table("category", "support", "P", "R", "F1", "lexicon F1", title=title)
    model, lexicon = figures["model"], figures["lexicon_only"]
    for name, row in model.items():  # type: ignore[attr-defined]
        table.add_row(
            name,
            str(row["support"]),
            f"{row['precision']:.3f}",
            f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
            f"{lexicon[name]['f1']:.3f}",  # type: ignore[index]
        )
    table.add_row(
        "macro", "", "", "", f"{figures['macro_f1_model']:.3f}",
        f"{figures['macro_f1_lexicon_only']:.3f}",
    )  # fmt: skip
    return table


def _evaluate_categories(ctx: typer.Context, as_json: bool) -> None:
    """Train the category model on the training part and print its held-out figures, then
    the current (cached) model's figures on the real-text dev set."""
    from siaga.detect.categories.evaluate import evaluate_categories

    settings = settings_of(ctx)
    with clear_errors():
        data_dir = settings.require_data_dir()
        figures = evaluate_categories(data_dir)
        devset = _devset_figures(settings.home, settings.devset_dir, data_dir)
        figures["devset"] = devset
    if as_json:
        print_json(figures)
        return
    out.print(_category_table(figures))
    speed = figures["texts_per_second"]
    out.print(f"{speed:,.0f} texts/s on one core (predict_proba)", highlight=False)
    if "error" in devset:
        out.print(f"dev set: {devset['error']}", highlight=False, markup=False)
        return
    for split in ("dev", "test"):
        out.print(_devset_table(split, devset[split]))  # type: ignore[arg-type]


def _devset_figures(home: Path, configured: Path | None, data_dir: Path) -> dict[str, object]:
    """Return the current category model's figures on the real-text dev set, or
    {'error': why} when its text cache is missing or does not match the labels."""
    from siaga.detect.categories.cache import ensure_category_model
    from siaga.detect.devset import DevsetError, default_devset_dir, load_devset
    from siaga.detect.devset.evaluate import evaluate_devset, labels_of_flags

    folder = default_devset_dir(home, configured)
    try:
        passages = load_devset(folder)
    except DevsetError as exc:
        return {"error": str(exc)}
    model = ensure_category_model(home, data_dir)
    figures = evaluate_devset(lambda texts: model.labels(model.predict_proba(texts)), passages)
    lexicon = model.lexicon
    baseline = evaluate_devset(
        lambda texts: labels_of_flags(lexicon.rule_labels(lexicon.features(texts))), passages
    )
    return {
        "cache": str(folder),
        "model": "current cached category model",
        **figures,
        "lexicon_only": baseline,
    }


def _devset_table(split: str, figures: dict[str, object]) -> Table:
    title = (
        f"real-text dev set, {split} split ({figures['passages']} passages): micro F1 "
        f"{figures['micro_f1']:.3f}, none left unlabelled {figures['none_clean_share']:.3f}"
    )
    table = Table("category", "support", "P", "R", "F1", title=title)
    for name, row in figures["categories"].items():  # type: ignore[attr-defined]
        table.add_row(
            name, str(row["support"]), f"{row['precision']:.3f}", f"{row['recall']:.3f}",
            f"{row['f1']:.3f}",
        )  # fmt: skip
    return table


@model_app.command("predict")
def predict(
    ctx: typer.Context,
    texts: Annotated[list[str], typer.Argument(help="One or more texts to score.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Score texts: probability of hate speech, abusive language, target, type and strength."""
    from siaga.detect.toxicity.cache import ensure_model

    settings = settings_of(ctx)
    with clear_errors(), BarProgress() as progress:
        model = ensure_model(settings.home, settings.require_data_dir(), progress=progress).model
    rows = model.predict_labels(texts)
    if as_json:
        print_json([{"text": t, "scores": r} for t, r in zip(texts, rows, strict=True)])
        return
    for text, row in zip(texts, rows, strict=True):
        table = Table("label", "name", "probability", title=text)
        for label in LABELS:
            table.add_row(label.indonesian, label.name, f"{row[label.name]:.3f}")
        out.print(table)
