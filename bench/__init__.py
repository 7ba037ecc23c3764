"""Benchmarks that are run by hand (``python -m bench.allocation``), not timed tests."""
