"""Benchmarks that are run by hand (``python -m bench.<name>``), not timed tests."""
