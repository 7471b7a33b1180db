"""SemiSupervisedGANClassifier: a GAN's discriminator as a K-class classifier."""

from __future__ import annotations

import numbers

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

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
from .persistence import PersistenceMixin, register_estimator
from .semi_supervised_modality import (
    DEFAULT_DIMS,
    SemiSupervisedModality,
    resolve_noise,
)
from .semi_supervised_state import SemiSupervisedState
from .training import TrainerConfig
from .training.semi_supervised import SemiSupervisedLoss
from .utils.devices import resolve_device, runs_on_accelerator
from .utils.labels import (
    encode_labels,
)
from .utils.strategy import check_partial_labels
from .utils.torch_state import TorchModulesPickleMixin, evaluating
from .utils.validation import (
    DEVICE,
    RANDOM_STATE,
    WIDTHS,
    InstanceOf,
    Interval,
    Options,
)

__all__ = ["SemiSupervisedGANClassifier"]

_PREDICT_CHUNK = 8_192  # rows per forward pass in predict_proba


@register_estimator
class SemiSupervisedGANClassifier(SemiSupervisedModality, SemiSupervisedState,
                                  PersistenceMixin,
                                  TorchModulesPickleMixin, ClassifierMixin,
                                  BaseEstimator):  # fmt: skip
    """A classifier that learns from unlabelled rows through a GAN.

    The discriminator is a K-class classifier whose "fake" class is implicit
    (Salimans et al., 2016, "Improved Techniques for Training GANs"): it is
    trained with cross-entropy on the labelled rows and, on every real row and
    on generated ones, with the real/fake loss read from the log-sum-exp of its
    K logits; the generator is trained by feature matching on the
    discriminator's last hidden layer. Unlabelled rows (``y == -1``,
    scikit-learn's convention) shape the discriminator's features through the
    real/fake game. Training runs through gansynth's one adversarial trainer
    with :class:`~gansynth.training.SemiSupervisedLoss`, and the networks come
    from the modality's builders (its classifier builder for the
    discriminator).

    Parameters
    ----------
    modality : str, default="auto"
        The registered modality that encodes the rows and builds the
        networks. "numeric" maps each numeric column's seen range onto
        [0, 1]; "tabular" is :class:`~gansynth.TabularGAN`'s encoder
        (categories, missing values, datetimes); "image" takes images
        (see :class:`~gansynth.ImageGAN`) and classifies them with a
        convolutional network
        (:class:`~gansynth.modalities.image.ConvClassifier`). "auto": the
        modality that claims the data (4-D arrays and tensors: "image"),
        and for tables "tabular" for a DataFrame with a non-numeric column,
        else "numeric".
    modality_params : dict or None, default=None
        Parameters of the modality, such as ``generator_width`` and
        ``discriminator_width`` for images. A modality that declares
        ``generator_dims`` and ``discriminator_dims`` (tables, numeric, a
        modality of your own) gets those two from this estimator too. The
        parameters its classifier does not use (the modality's
        ``unused_by_classifier``: a critic's, such as ``spectral_norm`` or
        ``pac``, and the generator's extra terms) are refused. A modality's
        ``classifier_defaults`` apply unless set here: on images every image
        the classifier trains on is shifted (``augment="translation"``; pass
        ``{"augment": None}`` for none, see :doc:`/user_guide/semi_supervised`).
    epochs : int, default=200
        Passes over all rows; an epoch is ``n_rows // batch_size`` steps. On
        MNIST-5k with 10 labels per class (seed 0) 100, 150 and 200 epochs gave
        87.7 %, 89.6 % and 90.5 % test accuracy; 200 take about 6 CPU-minutes.
    batch_size : int, default=100
        Rows per batch (fewer rows: all of them).
    latent_dim : int, default=100
        Size of the generator's noise.
    generator_dims : tuple of int, default=(500, 500)
        Hidden widths of the generator.
    discriminator_dims : tuple of int, default=(1000, 500, 250, 250, 250)
        Hidden widths of the classifier (Salimans et al.'s MNIST network).
    generator_lr, discriminator_lr : float, default=1e-3
        Adam learning rates (beta1 = 0.5).
    input_noise, hidden_noise : float or "auto", default="auto"
        Standard deviation of the Gaussian noise on the classifier's input and
        hidden layers while training (numeric features are scaled to [0, 1] by
        their seen range). "auto": Salimans et al.'s 0.3 and 0.5 for 784 or
        more encoded features (MNIST's pixels), shrunk by
        ``sqrt(n_encoded / 784)`` below that, since the classifier averages the
        noise of its inputs away the better the more of them there are. On the
        8x8 digits (64 features: 0.086 and 0.143), 10 labels per class, seeds
        0..4 of ``benchmarks/semi_supervised.py``, the scaled noise scored
        96.2 +- 0.7 % against 94.3 +- 0.6 % with 0.3 and 0.5.
    weight_norm : bool, default=True
        Weight-normalise the classifier's layers.
    labelled_share : float, default=0.5
        Share of each batch drawn from the labelled rows (they are few, so they
        are drawn again and again).
    unsupervised_weight : float, default=1.0
        Weight of the real/fake terms; 0 trains the classifier on the labelled
        rows alone (a baseline, not a semi-supervised model).
    historical_averaging : float, default=0.0
        Weight of historical averaging (Salimans et al., 2016): both networks
        pay ``weight * ||theta - mean of past theta||^2``, the mean running over
        every training step; 0 disables it. On the 8x8 digits (10 labels per
        class, seeds 0..4) 0.001 gave 96.1 +- 0.5 % against 96.2 +- 0.7 %
        without it.
    device : str or torch.device, default="auto"
        "auto" picks CUDA, then MPS, then the CPU.
    amp : bool, default=False
        Use bf16 autocast of the forward passes (CUDA only; elsewhere a
        warning). Not yet run on a GPU: untested.
    compile : bool, default=False
        ``torch.compile`` the networks (CUDA only; elsewhere a warning). Not
        yet run on a GPU: untested.
    random_state : int, RandomState instance or None, default=None
        Seeds initialisation, batches and noise.
    verbose : bool, default=False
        Show a progress bar.
    callbacks : list of Callback or None, default=None
        Trainer callbacks (:mod:`gansynth.training`), such as early stopping
        or checkpoints.
    warm_start : bool, default=False
        Continue training the fitted networks in the next ``fit`` (same
        classes, same architecture) instead of training new ones.

    Attributes
    ----------
    classes_ : ndarray
        Classes of the labelled rows (``-1`` excluded).
    discriminator_, generator_ : torch.nn.Module
        The trained classifier and generator.
    encoder_ : object
        The fitted row encoder.
    modality_ : str
        The encoding used.
    input_noise_, hidden_noise_ : float
        The noise levels used (``"auto"`` resolved).
    history_ : pandas.DataFrame
        One row per epoch of losses and diagnostics (``d_accuracy``: the
        classifier's accuracy on the batches' labelled rows).
    n_epochs_ : int
        Epochs trained so far (warm starts add up).
    n_features_in_ : int
        Number of features seen in ``fit``.
    feature_names_in_ : ndarray
        Column names, when ``X`` was a DataFrame with string names.
    device_ : str
        The device used.

    See Also
    --------
    AugmentedClassifier : Train any classifier on real plus generated rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_iris
    >>> from gansynth import SemiSupervisedGANClassifier
    >>> X, y = load_iris(return_X_y=True)
    >>> y_partial = np.where(np.arange(150) % 10 == 0, y, -1)  # 15 labels
    >>> clf = SemiSupervisedGANClassifier(
    ...     epochs=2, discriminator_dims=(32, 16), generator_dims=(32,),
    ...     random_state=0,
    ... ).fit(X, y_partial)
    >>> clf.classes_.tolist(), clf.predict_proba(X[:2]).shape
    ([0, 1, 2], (2, 3))
    """

    _parameter_constraints = {
        "modality": [InstanceOf("a modality name", lambda v: isinstance(v, str))],
        "modality_params": [
            Options((None,)),
            InstanceOf("a dict", lambda value: isinstance(value, dict)),
        ],
        "epochs": [Interval(numbers.Integral, 1, None)],
        "batch_size": [Interval(numbers.Integral, 1, None)],
        "latent_dim": [Interval(numbers.Integral, 1, None)],
        "generator_dims": WIDTHS,
        "discriminator_dims": WIDTHS,
        "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "discriminator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "input_noise": [Interval(numbers.Real, 0, None), Options(("auto",))],
        "hidden_noise": [Interval(numbers.Real, 0, None), Options(("auto",))],
        "weight_norm": [Options((False, True))],
        "labelled_share": [Interval(numbers.Real, 0, 1, closed="neither")],
        "unsupervised_weight": [Interval(numbers.Real, 0, None)],
        "historical_averaging": [Interval(numbers.Real, 0, None)],
        "device": DEVICE,
        "amp": [Options((False, True))],
        "compile": [Options((False, True))],
        "random_state": RANDOM_STATE,
        "verbose": [Options((False, True, 0, 1))],
        "callbacks": [
            Options((None,)),
            InstanceOf("a list of callbacks", lambda v: isinstance(v, list | tuple)),
        ],
        "warm_start": [Options((False, True))],
    }  # fmt: skip
    _architecture_params = (
        "modality", "modality_params", "latent_dim", "generator_dims",
        "discriminator_dims", "input_noise", "hidden_noise", "weight_norm",
    )  # fmt: skip

    def __init__(
        self,
        *,
        modality="auto",
        modality_params=None,
        epochs=200,
        batch_size=100,
        latent_dim=100,
        generator_dims=DEFAULT_DIMS["generator_dims"],
        discriminator_dims=DEFAULT_DIMS["discriminator_dims"],
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        input_noise="auto",
        hidden_noise="auto",
        weight_norm=True,
        labelled_share=0.5,
        unsupervised_weight=1.0,
        historical_averaging=0.0,
        device="auto",
        amp=False,
        compile=False,
        random_state=None,
        verbose=False,
        callbacks=None,
        warm_start=False,
    ):
        self.modality = modality
        self.modality_params = modality_params
        self.epochs = epochs
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.generator_dims = generator_dims
        self.discriminator_dims = discriminator_dims
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.input_noise = input_noise
        self.hidden_noise = hidden_noise
        self.weight_norm = weight_norm
        self.labelled_share = labelled_share
        self.unsupervised_weight = unsupervised_weight
        self.historical_averaging = historical_averaging
        self.device = device
        self.amp = amp
        self.compile = compile
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.warm_start = warm_start

    # -- fit ------------------------------------------------------------------
    def fit(self, X, y):
        """Train on labelled and unlabelled rows (``y == -1``).

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Training rows, labelled or not.
        y : array-like of shape (n_samples,)
            Classes; ``-1`` marks an unlabelled row.

        Returns
        -------
        self : SemiSupervisedGANClassifier
            The fitted classifier.
        """
        check_params(self)
        warm = bool(self.warm_start) and hasattr(self, "discriminator_")
        if warm:
            check_warm_architecture(self, self._architecture_params)
        else:
            self.modality_ = self._pick_modality(X)
        modality = self._make_modality()
        X = modality.validate_input(self, X, reset=not warm)
        n_samples = modality.n_samples(X)  # sequences, not rows, of a list
        modality.check_labels(X, y)
        labels, labelled = check_partial_labels(y, n_samples)
        classes, codes, _ = encode_labels(labels, n_samples)
        if warm and not np.array_equal(classes, self.classes_):
            raise ValueError(
                f"warm_start=True needs the classes seen before, "
                f"{self.classes_.tolist()}; got {classes.tolist()}."
            )
        self.classes_ = classes
        device, processes = join_process_group(resolve_device(self.device))
        encoder = self.encoder_ if warm else fit_encoder(modality, X)
        spec = encoder.spec_
        encoded, mask = modality.encode(encoder, X)
        data = torch.as_tensor(encoded, device=device)
        mask = None if mask is None else torch.as_tensor(mask, device=device)
        seed = draw_seed(self.random_state)
        self.input_noise_, self.hidden_noise_ = (
            resolve_noise(name, getattr(self, name), spec.dim)
            for name in ("input_noise", "hidden_noise")
        )
        amp, compile_ = resolve_cuda_only(self.amp, self.compile, device)
        config = TrainerConfig(
            epochs=self.epochs,
            batch_size=resolve_batch_size(
                type(self).__name__,
                min(self.batch_size, n_samples),
                n_samples,
                processes=processes,
            ),
            latent_dim=self.latent_dim,
            generator_lr=self.generator_lr,
            discriminator_lr=self.discriminator_lr,
            betas=(0.5, 0.999),
            n_critic=1,
            ema_decay=None,
            amp=amp,
            compile=compile_,
            historical_averaging=float(self.historical_averaging),
            noise_shape=tuple(modality.noise_shape(self.latent_dim, spec)),
        )

        def build():
            return (
                modality.build_generator(self.latent_dim, spec, 0),
                modality.build_classifier(
                    spec, len(classes), self._classifier_options()
                ),
            )

        error = train_networks(
            self, build=build,
            loss=SemiSupervisedLoss(len(classes), float(self.unsupervised_weight)),
            config=config, data=data, labels=torch.as_tensor(codes, device=device),
            row_weights=self._row_weights(labelled, device), mask=mask,
            build_auxiliaries=lambda: [  # parts of the generator only
                aux for aux in modality.auxiliary_networks(spec, 0)
                if aux.part_of_generator
            ],
            warm=warm, seed=seed,
        )  # fmt: skip
        self.encoder_ = encoder
        self.noise_shape_ = config.noise_shape
        self.device_ = str(device)
        if not warm:
            self._architecture_ = {
                name: getattr(self, name) for name in self._architecture_params
            }
        if error is not None:
            raise error
        return self

    def _row_weights(self, labelled, device):
        """Labelled rows make up ``labelled_share`` of a batch on average."""
        n_labelled = int(labelled.sum())
        if n_labelled == len(labelled):
            return None
        weights = np.where(
            labelled,
            self.labelled_share / n_labelled,
            (1 - self.labelled_share) / (len(labelled) - n_labelled),
        )
        return torch.as_tensor(weights, dtype=torch.float32, device=device)

    # -- predict --------------------------------------------------------------
    def predict_proba(self, X):
        """Class probabilities from the discriminator's K logits.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities, columns in the order of ``classes_``.
        """
        check_is_fitted(self, "discriminator_")
        X = self._check_X(X, reset=False)
        encoded, _ = self._make_modality().encode(self.encoder_, X)
        out = []
        with evaluating(self.discriminator_) as net, torch.no_grad():
            for start in range(0, len(encoded), _PREDICT_CHUNK):
                batch = torch.as_tensor(
                    encoded[start : start + _PREDICT_CHUNK], device=self.device_
                )
                out.append(torch.softmax(net.logits(batch), dim=1).cpu().numpy())
        if not out:
            return np.zeros((0, len(self.classes_)))
        return np.concatenate(out).astype(np.float64)

    def predict(self, X):
        """The most probable class of each row.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Rows to classify.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted classes.
        """
        check_is_fitted(self, "discriminator_")
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = runs_on_accelerator(self.device)
        return tags
