"""Benchmarks: synthetic vaults and timing scripts (run with ``python -m bench.<name>``)."""
