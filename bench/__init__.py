"""Benchmarks: synthetic domain-shaped data and a side-by-side load test (``make bench``)."""
