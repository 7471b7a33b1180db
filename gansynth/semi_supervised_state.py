"""Pickling and saving :class:`~gansynth.SemiSupervisedGANClassifier`: its
fitted state, with the networks rebuilt by the modality's builders."""

from __future__ import annotations

import pandas as pd
import torch

from .persistence import (
    array_from_json,
    array_to_json,
    load_networks,
    with_prefix,
    without_prefix,
)

__all__ = ["SemiSupervisedState"]


class SemiSupervisedState:
    """The fitted state of the semi-supervised classifier (a mixin)."""

    def _build_classifier(self):
        return self._make_modality().build_classifier(
            self.encoder_.spec_, len(self.classes_), self._classifier_options()
        )

    # torch refuses to pickle weight-normalised (parametrised) modules: the
    # discriminator travels as its state dict and is rebuilt by the modality.
    def __getstate__(self):
        state = super().__getstate__()
        if "discriminator_" in state:
            net = state.pop("discriminator_")
            state["_discriminator_state"] = net.state_dict()
        return state

    def __setstate__(self, state):
        weights = state.pop("_discriminator_state", None)
        super().__setstate__(state)
        if weights is not None:
            (self.discriminator_,) = load_networks(
                {"d": self._build_classifier}, {"d": weights}, self.device_
            ).values()

    def _get_fitted_state(self):
        modules = {"generator_": self.generator_, "discriminator_": self.discriminator_}
        enc_arrays, enc_meta = self.encoder_.get_state()
        fitted = {
            "classes_": array_to_json(self.classes_),
            "feature_names_in_": array_to_json(
                getattr(self, "feature_names_in_", None)
            ),
            "n_features_in_": self.n_features_in_,
            "modality_": self.modality_,
            "input_noise_": self.input_noise_,
            "hidden_noise_": self.hidden_noise_,
            "noise_shape_": list(self.noise_shape_),
            "n_epochs_": self.n_epochs_,
            "history_": self.history_.to_dict(orient="list"),
            "encoder": enc_meta,
        }
        return modules, with_prefix("encoder", enc_arrays), fitted

    def _set_fitted_state(self, states, arrays, fitted, device):
        self.modality_ = fitted["modality_"]
        modality = self._make_modality()
        self.encoder_ = modality.encoder_from_state(
            without_prefix("encoder", arrays), fitted["encoder"]
        )
        self.classes_ = array_from_json(fitted["classes_"])
        names = array_from_json(fitted["feature_names_in_"])
        if names is not None:
            self.feature_names_in_ = names.astype(object)
        for name in ("n_features_in_", "input_noise_", "hidden_noise_", "n_epochs_"):
            setattr(self, name, fitted[name])
        self.noise_shape_ = tuple(fitted["noise_shape_"])
        builders = {
            "generator_": lambda: modality.build_generator(
                self.latent_dim, self.encoder_.spec_, 0
            ),
            "discriminator_": self._build_classifier,
        }
        nets = load_networks(builders, states, device)
        self.generator_, self.discriminator_ = (
            nets["generator_"],
            nets["discriminator_"],
        )
        self.auxiliary_ = torch.nn.ModuleDict()
        self.generator_ema_ = None
        self.history_ = pd.DataFrame(fitted["history_"])
        self.pretrain_history_ = pd.DataFrame()
        self._architecture_ = {
            name: getattr(self, name) for name in self._architecture_params
        }
        self.device_ = str(device)
