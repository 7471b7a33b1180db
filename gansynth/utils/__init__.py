"""Helpers shared by every layer: validation, devices, labels, docstrings."""
