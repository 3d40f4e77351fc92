"""The vulnerability index: frameworks as data, a vectorised scoring engine, explanations."""
