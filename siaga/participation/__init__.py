"""Voter participation: baselines, targets, polling-day turnout and the gap to target."""
