"""Detection: normalisation, classifiers and scoring of incoming text signals."""
