"""Quality measures of generated data (arrays in, numbers out)."""

from .modes import mode_coverage

__all__ = ["mode_coverage"]
