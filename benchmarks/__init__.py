"""The performance benchmark of decalogue: `python -m benchmarks` (see README, Performance)."""
