"""Benchmarks with data of their own, not part of `make test`; `make bench` runs bench.run."""
