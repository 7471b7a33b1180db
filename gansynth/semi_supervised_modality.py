"""The modality side of the semi-supervised classifier: which modality takes
the data, built with which parameters, and the noise levels of "auto"."""

from __future__ import annotations

import pandas as pd

from .modalities import ClassifierOptions, get_modality, modality_names

__all__ = ["DEFAULT_DIMS", "SemiSupervisedModality", "resolve_noise"]

# Salimans et al.'s noise on MNIST's 784 pixels; "auto" scales it for fewer.
_NOISE_AT_FULL_WIDTH = {"input_noise": 0.3, "hidden_noise": 0.5}
_FULL_WIDTH = 784
_TABLES = ("tabular", "numeric")
DEFAULT_DIMS = {
    "generator_dims": (500, 500),
    "discriminator_dims": (1000, 500, 250, 250, 250),
}


def resolve_noise(name, value, n_encoded):
    """The noise level of ``name`` (a number, or "auto" resolved for
    ``n_encoded`` encoded features)."""
    if value != "auto":
        return float(value)
    scale = min(1.0, (n_encoded / _FULL_WIDTH) ** 0.5)
    return _NOISE_AT_FULL_WIDTH[name] * scale


class SemiSupervisedModality:
    """The modality of a :class:`~gansynth.SemiSupervisedGANClassifier`:
    picked for ``X`` by ``modality``, built from ``modality_params`` and the
    classifier's widths."""

    def _pick_modality(self, X) -> str:
        if self.modality != "auto":
            get_modality(self.modality)  # a clear error for an unknown name
            return self.modality
        # A modality other than the two of tables that claims the data
        # (images: 4-D arrays and tensors), in registration order.
        for name in modality_names():
            if name not in _TABLES and get_modality(name).accepts(X):
                return name
        if isinstance(X, pd.DataFrame) and not all(
            pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
            for t in X.dtypes
        ):
            return "tabular"
        return "numeric"

    def _make_modality(self):
        modality = get_modality(self.modality_)
        params = dict(self.modality_params or {})
        unused = sorted(set(params) & modality.unused_by_classifier)
        if unused:
            used = set(modality.parameter_constraints) - modality.unused_by_classifier
            raise ValueError(
                f"modality_params {unused} do not apply to "
                f"{type(self).__name__}: its K+1 classifier takes the place of "
                f"the {self.modality_!r} modality's discriminator, and its "
                "generator's samples are not kept. Remove them; the modality's "
                f"other parameters are {sorted(used)}."
            )
        params = {**modality.classifier_defaults, **params}
        for name in ("generator_dims", "discriminator_dims"):
            if name in modality.parameter_constraints:
                params.setdefault(name, tuple(getattr(self, name)))
            elif tuple(getattr(self, name)) != DEFAULT_DIMS[name]:
                raise ValueError(
                    f"{name}={getattr(self, name)!r} does not apply to the "
                    f"{self.modality_!r} modality, which does not take it; its "
                    f"parameters go in modality_params ("
                    f"{sorted(modality.parameter_constraints)})."
                )
        if self.modality_ == "numeric":
            # Min-max, as Salimans et al. fed pixels in [0, 1]: the input noise
            # is then in units of each feature's range.
            params["scaling"] = "minmax"
        hint = ""
        if self.modality == "auto":
            hint = f" modality='auto' read X as {self.modality_!r}; set it to choose."
        return modality.from_params(params, hint=hint)

    def _classifier_options(self) -> ClassifierOptions:
        return ClassifierOptions(
            self.input_noise_, self.hidden_noise_, bool(self.weight_norm)
        )

    def _check_X(self, X, *, reset):
        return self._make_modality().validate_input(self, X, reset=reset)
