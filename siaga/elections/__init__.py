"""Elections: polling stations, contests, candidate pairs, results and voter counts."""
