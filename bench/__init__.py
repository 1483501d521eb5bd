"""Benchmarks: figures for humans (`make bench`), never assertions on time."""
