"""BaseGAN: the scikit-learn contract shared by every gansynth estimator.

Subclasses name their modality (``_make_modality``); the modality checks the
input, encodes it and builds the networks. The rest is written once:
parameters and the fit path here and in :mod:`gansynth.fitting`, sampling in
:mod:`gansynth.generation`, controllable generation in
:mod:`gansynth.controllable`, save/load in :mod:`gansynth.persistence`.
"""

from __future__ import annotations

import copy
import math
import numbers

import numpy as np
import pandas as pd
import torch
from sklearn.base import BaseEstimator

from .controllable import ControllableMixin
from .fitting import (
    check_params,
    check_warm_architecture,
    draw_seed,
    fit_encoder,
    join_process_group,
    resolve_batch_size,
    resolve_cuda_only,
    train_networks,
)
from .generation import GenerationMixin
from .persistence import (
    PersistenceMixin,
    array_from_json,
    array_to_json,
    load_networks,
    with_prefix,
    without_prefix,
)
from .training import TrainerConfig
from .training.losses import LOSSES, get_loss
from .utils.devices import resolve_device, runs_on_accelerator
from .utils.labels import encode_labels
from .utils.torch_state import TorchModulesPickleMixin
from .utils.validation import (
    DEVICE,
    RANDOM_STATE,
    InstanceOf,
    Interval,
    Options,
)

__all__ = ["BaseGAN"]

# Fitted attributes saved as JSON (the networks, the encoder and the
# conditions travel as tensors).
_FITTED_JSON = (
    "n_labels_", "n_features_in_", "n_epochs_", "n_critic_", "batch_size_",
    "latent_dim_", "n_samples_fit_",
)  # fmt: skip


def _is_loss_object(value) -> bool:
    return callable(getattr(value, "discriminator_loss", None)) and callable(
        getattr(value, "generator_loss", None)
    )


def _is_callback_list(value) -> bool:
    return isinstance(value, list | tuple)


class BaseGAN(
    ControllableMixin,
    GenerationMixin,
    PersistenceMixin,
    TorchModulesPickleMixin,
    BaseEstimator,
):
    """Shared machinery of the gansynth estimators; not used directly.

    Attributes
    ----------
    generator_, discriminator_ : torch.nn.Module
        The trained networks.
    generator_ema_ : torch.nn.Module or None
        The exponential moving average of the generator, used for sampling.
    auxiliary_ : torch.nn.ModuleDict
        The modality's auxiliary networks by name (empty for most).
    encoder_ : object
        The modality's fitted encoder.
    conditions_ : object or None
        The modality's conditions (tables: on the discrete columns).
    history_ : pandas.DataFrame
        One row per epoch: losses, penalty, mean D(real)/D(fake), gradient
        norms, what the loss and the modality add, and seconds.
    pretrain_history_ : pandas.DataFrame
        One row per pre-training epoch of an auxiliary network (empty for
        most modalities).
    classes_ : ndarray or None
        Class labels seen in ``fit`` (``None`` without ``y``).
    n_epochs_ : int
        Epochs trained in total (warm starts add up).
    device_ : str
        The device used, resolved from ``device``.
    n_critic_ : int
        Discriminator steps per generator step, resolved from ``n_critic``.
    batch_size_ : int
        Samples per batch, resolved from ``batch_size``.
    group_size_ : int
        Samples the critic scored together (the modality's
        ``batch_multiple``: the resolved ``pac`` of tables, 1 for most).
    noise_shape_ : tuple of int
        The shape of one sample's noise (``(latent_dim,)`` for most).
    """

    _parameter_constraints: dict = {
        "loss": [
            Options(
                ("auto", "bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge")
            ),
            InstanceOf("a loss object", _is_loss_object),
        ],
        "epochs": [Interval(numbers.Integral, 1, None), Options(("auto",))],
        "batch_size": [Options(("auto",)), Interval(numbers.Integral, 1, None)],
        "latent_dim": [Interval(numbers.Integral, 1, None)],
        "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "discriminator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "n_critic": [Options(("auto",)), Interval(numbers.Integral, 1, None)],
        "gp_weight": [Interval(numbers.Real, 0, None)],
        "ema": [Options((None,)), Interval(numbers.Real, 0, 1, closed="left")],
        "device": DEVICE,
        "amp": [Options((False, True))],
        "compile": [Options((False, True))],
        "random_state": RANDOM_STATE,
        "verbose": [Options((False, True, 0, 1))],
        "callbacks": [
            Options((None,)),
            InstanceOf("a list of callbacks", _is_callback_list),
        ],
        "warm_start": [Options((False, True))],
        "class_balance": [Options((False, True))],
    }
    # Parameters that shape the encoder and the networks (a warm start
    # refuses a change to them); subclasses add theirs.
    _architecture_params: tuple = ()
    # Parameters added after models were first saved, with the value that
    # models saved or pickled before them were fitted with: such a model
    # loads with that value, not with a newer default.
    _params_since: dict = {}

    def __setstate__(self, state):
        for name, value in self._params_since.items():
            state.setdefault(name, value)
        super().__setstate__(state)

    # -- the hook of subclasses ------------------------------------------------
    def _make_modality(self):  # pragma: no cover - abstract
        """The :class:`~gansynth.modalities.Modality` built from the parameters."""
        raise NotImplementedError

    def _get_loss(self, modality, **options):
        """The loss object; ``loss="auto"`` is the modality's ``default_loss``."""
        name = self.loss
        if isinstance(name, str) and name == "auto":
            name = modality.default_loss
            if name not in LOSSES:  # a modality's own default_loss, mistyped
                raise ValueError(
                    f"loss='auto' trains with the modality's default_loss, which "
                    f"must be one of {sorted(LOSSES)}; {type(modality).__name__} "
                    f"sets {name!r}."
                )
        return get_loss(name, gp_weight=self.gp_weight, **options)

    # -- fit ----------------------------------------------------------------
    def fit(self, X, y=None):
        """Learn the distribution of ``X`` (class-conditional when ``y`` is given).

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Training data, in a form the modality takes.
        y : array-like of shape (n_samples,), optional
            Class labels; with them the model is class-conditional. Samples with
            ``y == -1`` are unlabelled: they still teach the model p(X).

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y)

    def _fit(self, X, y=None, extra_callbacks=()):
        """``fit``, with callbacks of the estimator's own run after the user's."""
        check_params(self)
        warm = bool(self.warm_start) and hasattr(self, "generator_")
        modality = self._make_modality()
        loss = self._get_loss(modality)
        modality = modality.for_loss(loss)
        X = modality.validate_input(self, X, reset=not warm)
        n_rows = modality.n_samples(X)
        if warm:
            self._check_warm_start(y)
        if y is None:
            classes, codes, n_unlabelled = None, None, 0
        else:
            modality.check_labels(X, y)
            classes, codes, n_unlabelled = encode_labels(y, n_rows)
        n_labels = 0 if classes is None else len(classes) + (1 if n_unlabelled else 0)
        device, processes = join_process_group(resolve_device(self.device))
        # Batch-dependent settings (the tabular pac="auto"); a warm start
        # keeps those its critic was built with.
        modality = modality.for_batch_size(
            self.group_size_ if warm else self.batch_size, processes
        )

        encoder = self.encoder_ if warm else fit_encoder(modality, X)
        spec = encoder.spec_
        # Resolved again now that the encoded shape is known: a penalty's
        # share of each batch may depend on it (images from 32x32).
        fraction = modality.penalty_fraction(spec)
        loss = self._get_loss(modality, penalty_fraction=fraction)
        config = self._trainer_config(loss, device, n_rows, modality, spec, processes)
        encoded, mask = modality.encode(encoder, X)
        data = torch.as_tensor(encoded, device=device)
        mask = None if mask is None else torch.as_tensor(mask, device=device)
        conditions = modality.make_conditions(spec, encoded, codes)
        context_dim = 0 if conditions is None else conditions.dim
        labels = None if codes is None else torch.as_tensor(codes, device=device)
        seed = draw_seed(self.random_state)
        weights = self._row_weights(codes, device)

        def build():
            return (
                modality.build_generator(self.latent_dim, spec, n_labels, context_dim),
                modality.build_discriminator(spec, n_labels, context_dim),
            )

        error = train_networks(
            self, build=build, loss=loss, config=config, data=data, labels=labels,
            make_sampler=None if conditions is None else conditions.training_sampler,
            row_weights=weights, mask=mask,
            build_auxiliaries=lambda: modality.auxiliary_networks(spec, n_labels),
            warm=warm, seed=seed, callbacks=[*(self.callbacks or []), *extra_callbacks],
        )  # fmt: skip
        self.encoder_ = encoder
        self.conditions_ = conditions
        self.device_ = str(device)
        self.n_critic_ = config.n_critic
        self.batch_size_ = config.batch_size
        self.group_size_ = modality.batch_multiple
        self.latent_dim_ = self.latent_dim
        self.noise_shape_ = tuple(config.noise_shape)
        if not warm:
            self._architecture_ = self._architecture()
            self.classes_ = classes
            self.n_labels_ = n_labels
            self.class_prior_ = _class_prior(classes, codes)
        self.n_samples_fit_ = n_rows
        if error is not None:
            raise error
        modality.calibrate(encoder, encoded, self._draw_encoded)
        return self

    def _draw_encoded(self, n: int) -> np.ndarray:
        """``n`` generated samples, encoded (classes at their training
        frequencies, the estimator's own seed): a modality's calibration."""
        plan = self._sample_plan(
            "fit", n_samples=n, y=None, return_y=False, random_state=None, z=None,
            conditions=None, shift=None,
        )  # fmt: skip
        blocks = self._blocks(plan, range(plan.n_blocks))
        return np.concatenate([part[0] for part in blocks])

    def _row_weights(self, codes, device):
        """``class_balance``: weights making every label slot equally likely."""
        if not self.class_balance:
            return None
        if codes is None:
            raise ValueError(
                "class_balance=True balances the classes of y; fit was called "
                "without y."
            )
        counts = np.bincount(codes)
        return torch.as_tensor(1.0 / counts[codes], dtype=torch.float32, device=device)

    def _trainer_config(self, loss, device, n_rows, modality, spec,
                        processes=1) -> TrainerConfig:  # fmt: skip
        multiple = modality.batch_multiple
        amp, compile_ = resolve_cuda_only(self.amp, self.compile, device)
        batch_size = resolve_batch_size(
            type(self).__name__, self.batch_size, n_rows, multiple,
            auto=self._auto_batch_size, processes=processes,
        )  # fmt: skip
        return TrainerConfig(
            epochs=self._resolve_epochs(n_rows, batch_size, spec, modality),
            batch_size=batch_size,
            latent_dim=self.latent_dim,
            generator_lr=self.generator_lr,
            discriminator_lr=self.discriminator_lr,
            betas=tuple(loss.default_betas),
            n_critic=modality.critic_steps(loss)
            if self.n_critic == "auto"
            else self.n_critic,
            ema_decay=self.ema or None,
            amp=amp,
            compile=compile_,
            noise_shape=tuple(modality.noise_shape(self.latent_dim, spec)),
            group_size=multiple,
        )

    _auto_batch_size = 256  # batch_size="auto"

    def _resolve_epochs(self, n_rows: int, batch_size: int, spec, modality) -> int:
        """The epochs of this fit: ``epochs="auto"`` is the modality's
        :meth:`~gansynth.modalities.Modality.auto_budget` at this data size
        and batch: its steps or its epochs, whichever is longer."""
        if self.epochs != "auto":
            return self.epochs
        steps, epochs = modality.auto_budget(spec)
        return max(epochs, math.ceil(steps / max(1, n_rows // batch_size)))

    def _architecture(self) -> dict:
        """The parameters that shape the encoder and the networks."""
        names = ("latent_dim", *self._architecture_params)
        return {name: copy.deepcopy(getattr(self, name)) for name in names}

    def _check_warm_start(self, y):
        check_warm_architecture(self, self._architecture())
        conditional = self.classes_ is not None
        if (y is not None) != conditional:
            raise ValueError(
                "warm_start=True continues the fitted model, which was fitted "
                f"{'with' if conditional else 'without'} y; fit again "
                f"{'with' if conditional else 'without'} y, or set warm_start=False."
            )
        if y is not None:
            classes, _, n_unl = encode_labels(y, len(y))
            if not np.array_equal(classes, self.classes_) or (
                len(classes) + (1 if n_unl else 0) > self.n_labels_
            ):
                raise ValueError(
                    f"warm_start=True needs the classes seen before, "
                    f"{self.classes_.tolist()}; got {classes.tolist()}."
                )

    # -- persistence ---------------------------------------------------------
    def _get_fitted_state(self):
        modules = {"generator_": self.generator_, "discriminator_": self.discriminator_}
        if self.generator_ema_ is not None:
            modules["generator_ema_"] = self.generator_ema_
        if len(self.auxiliary_):
            modules["auxiliary_"] = self.auxiliary_
        enc_arrays, enc_meta = self.encoder_.get_state()
        arrays = with_prefix("encoder", enc_arrays)
        cond_meta = None
        if self.conditions_ is not None:
            cond_arrays, cond_meta = self.conditions_.get_state()
            arrays.update(with_prefix("conditions", cond_arrays))
        fitted = {name: getattr(self, name) for name in _FITTED_JSON}
        fitted.update(
            classes_=array_to_json(self.classes_),
            class_prior_=array_to_json(self.class_prior_),
            feature_names_in_=array_to_json(getattr(self, "feature_names_in_", None)),
            noise_shape_=list(self.noise_shape_),
            group_size_=self.group_size_,
            history_=self.history_.to_dict(orient="list"),
            pretrain_history_=self.pretrain_history_.to_dict(orient="list"),
            encoder=enc_meta,
            conditions=cond_meta,
        )
        return modules, arrays, fitted

    def _set_fitted_state(self, states, arrays, fitted, device):
        modality = self._make_modality()
        loss = self._get_loss(modality)  # must still resolve
        # Files written before group_size_ existed had no batch-dependent
        # settings: "auto" resolves them as those versions did.
        group_size = fitted.get("group_size_", "auto")
        modality = modality.for_loss(loss).for_batch_size(group_size)
        encoder = modality.encoder_from_state(
            without_prefix("encoder", arrays), fitted["encoder"]
        )
        spec, n_labels = encoder.spec_, fitted["n_labels_"]
        conditions = None
        if fitted["conditions"] is not None:
            conditions = modality.conditions_from_state(
                spec, without_prefix("conditions", arrays), fitted["conditions"]
            )
        context_dim = 0 if conditions is None else conditions.dim
        latent_dim = fitted["latent_dim_"]

        def generator():
            return modality.build_generator(latent_dim, spec, n_labels, context_dim)

        def auxiliaries():
            nets = modality.auxiliary_networks(spec, n_labels)
            if nets:
                G = generator()  # an auxiliary may hold part of a generator
                for aux in nets:
                    aux.bind(G)
            return torch.nn.ModuleDict({a.name: a.module for a in nets})

        builders = {
            "generator_": generator,
            "discriminator_": lambda: modality.build_discriminator(
                spec, n_labels, context_dim
            ),
            "generator_ema_": generator,
            "auxiliary_": auxiliaries,
        }
        nets = load_networks({k: builders[k] for k in states}, states, device)
        self.generator_ = nets["generator_"]
        self.discriminator_ = nets["discriminator_"]
        self.generator_ema_ = nets.get("generator_ema_")
        self.auxiliary_ = nets.get("auxiliary_", torch.nn.ModuleDict())
        self.encoder_, self.conditions_ = encoder, conditions
        for name in _FITTED_JSON:
            setattr(self, name, fitted[name])
        self.classes_ = array_from_json(fitted["classes_"])
        self.class_prior_ = array_from_json(fitted["class_prior_"])
        names = array_from_json(fitted["feature_names_in_"])
        if names is not None:
            self.feature_names_in_ = names.astype(object)
        self.noise_shape_ = tuple(fitted["noise_shape_"])
        self.group_size_ = modality.batch_multiple
        self.history_ = pd.DataFrame(fitted["history_"])
        self.pretrain_history_ = pd.DataFrame(fitted["pretrain_history_"])
        self._architecture_ = self._architecture()  # the networks built here
        self.device_ = str(device)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.input_tags.allow_nan = False
        tags.non_deterministic = runs_on_accelerator(self.device)
        return tags


def _class_prior(classes, codes):
    """Frequencies of the labelled classes (unlabelled samples excluded)."""
    if classes is None:
        return None
    labelled = codes[codes < len(classes)]
    return np.bincount(labelled, minlength=len(classes)) / len(labelled)
