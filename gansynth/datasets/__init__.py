"""Data loaders and toy generators (nothing here downloads)."""

from .toy import make_gaussian_ring, make_sines

__all__ = ["make_gaussian_ring", "make_sines"]
