"""A fitted TabularEncoder as arrays and JSON, and back (no code runs on
load); files written by earlier versions load with what those versions did."""

from __future__ import annotations

import numpy as np

from .columns import ColumnInfo, tag_value, untag_value
from .derived import AffineRelation
from .unseen_pairs import UnseenPair

__all__ = ["encoder_state", "restore_encoder"]


def encoder_state(enc) -> tuple[dict, dict]:
    """``(arrays, meta)`` of a fitted encoder."""
    arrays = {
        "mode_means": enc.mode_means_,
        "mode_stds": enc.mode_stds_,
        "n_modes": enc.n_modes_.astype(np.int64),
        "mode_points": enc.mode_points_,
    }
    meta = {
        "is_frame": enc.is_frame_,
        "column_names": [
            None if n is None else tag_value(n) for n in enc.column_names_
        ],
        "multi_columns": enc.multi_columns_,
        "array_dtype": enc.array_dtype_,
        "columns": [c.to_json() for c in enc.columns_],
        "continuous": enc._continuous,
        "logged": enc._logged,
        "derived": [[r.target, r.source, r.slope, r.intercept] for r in enc._derived],
        "unseen_pairs": [pair.to_json() for pair in enc._unseen],
        "params": {
            "discrete_columns": None
            if enc.discrete_columns is None
            else [tag_value(c) for c in enc.discrete_columns],
            "max_modes": enc.max_modes,
            "weight_threshold": enc.weight_threshold,
            "log_columns": enc.log_columns
            if enc.log_columns is None or isinstance(enc.log_columns, str)
            else [tag_value(c) for c in enc.log_columns],
            "derived_columns": enc.derived_columns,
            "unseen_pairs": enc.unseen_pairs,
        },
    }
    return arrays, meta


def restore_encoder(enc, arrays, meta):
    """``enc`` (a new encoder) set to the fitted state ``(arrays, meta)``."""
    params = dict(meta["params"])
    # Encoders saved before log_columns logged nothing, before
    # derived_columns computed no column, before unseen_pairs drew every
    # block on its own.
    for name in ("log_columns", "derived_columns", "unseen_pairs"):
        params.setdefault(name, None)
    for name in ("discrete_columns", "log_columns"):
        if isinstance(params[name], list):
            params[name] = [untag_value(c) for c in params[name]]
    for name, value in params.items():
        setattr(enc, name, value)
    enc.is_frame_ = meta["is_frame"]
    # Files saved before column names were kept: unnamed, one level.
    names = meta.get("column_names", [None])
    enc.column_names_ = [None if n is None else untag_value(n) for n in names]
    enc.multi_columns_ = meta.get("multi_columns", False)
    enc.array_dtype_ = meta["array_dtype"]
    enc.columns_ = [ColumnInfo.from_json(c) for c in meta["columns"]]
    enc._continuous = list(meta["continuous"])
    enc._logged = list(meta.get("logged", []))
    enc._derived = [
        AffineRelation(int(t), int(s), float(a), float(b))
        for t, s, a, b in meta.get("derived", [])
    ]
    enc.mode_means_ = arrays["mode_means"]
    enc.mode_stds_ = arrays["mode_stds"]
    enc.n_modes_ = arrays["n_modes"]
    # Encoders saved before point modes decoded every mode with its spread.
    enc.mode_points_ = arrays.get("mode_points", np.full_like(enc.mode_means_, np.nan))
    enc._unseen = tuple(UnseenPair.from_json(p) for p in meta.get("unseen_pairs", []))
    enc.spec_ = enc._make_spec()
    return enc
