"""Classification of texts into the ten election-risk categories (multi-label, a score each)."""
