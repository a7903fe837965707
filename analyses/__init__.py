"""Computations shared by the reuse notebooks (no data fetching, no drawing)."""
