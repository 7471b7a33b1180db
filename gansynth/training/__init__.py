"""The adversarial trainer, its losses and its callbacks (tensors only)."""

from .callbacks import (
    Callback,
    Checkpoint,
    DivergenceError,
    DivergenceGuard,
    EarlyStopping,
    ProgressBar,
)
from .losses import (
    LOSSES,
    BCELoss,
    HingeLoss,
    Loss,
    LSGANLoss,
    MinimaxBCELoss,
    WGANGPLoss,
    WGANLoss,
    get_loss,
)
from .semi_supervised import SemiSupervisedLoss
from .trainer import HISTORY_COLUMNS, AdversarialTrainer, TrainerConfig

__all__ = [
    "HISTORY_COLUMNS",
    "LOSSES",
    "AdversarialTrainer",
    "BCELoss",
    "Callback",
    "Checkpoint",
    "DivergenceError",
    "DivergenceGuard",
    "EarlyStopping",
    "HingeLoss",
    "LSGANLoss",
    "Loss",
    "MinimaxBCELoss",
    "ProgressBar",
    "SemiSupervisedLoss",
    "TrainerConfig",
    "WGANGPLoss",
    "WGANLoss",
    "get_loss",
]
