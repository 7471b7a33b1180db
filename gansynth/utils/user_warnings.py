"""Warnings raised at the user's line, not gansynth's."""

from __future__ import annotations

import os
import sys
import warnings

__all__ = ["warn_at_caller"]

_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def warn_at_caller(message: str, category=UserWarning) -> None:
    """``warnings.warn`` attributed to the first frame outside gansynth.

    A fixed ``stacklevel`` counts frames, and the same warning is reached
    through paths of different depths (``TabularGAN.fit`` directly or
    through checkpoint selection); the warning then named a line of
    gansynth's. This walks to the caller's frame, as Python 3.12's
    ``skip_file_prefixes`` does (3.11 is supported). The filters and the
    "default" action's once-per-location rule apply as usual.

    Examples
    --------
    >>> import warnings
    >>> from gansynth.utils.user_warnings import warn_at_caller
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_at_caller("careful")
    >>> caught[0].message.args, caught[0].filename.endswith("user_warnings.py")
    (('careful',), False)
    """
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        level, frame = level + 1, frame.f_back
    warnings.warn(message, category, stacklevel=level)
