"""Helpers shared by every layer: validation, devices, randomness, serialization."""
