"""Indonesian hate-speech and abusive-language classifier, trained from the shared corpora.

Entry points: `cache.ensure_model` (train or load the cached model), `model.ToxicityModel`
(`predict_proba`, `toxicity`), `evaluate.evaluate_benchmark` (the IndoBERTweet HS1 folds) and
the `seam.ToxicityClassifier` protocol. Nothing is imported here, so that reading the label
names does not load scikit-learn.
"""
