"""The adversarial trainer, its losses and its callbacks (tensors only)."""

from .callbacks import (
    Callback,
    Checkpoint,
    DivergenceError,
    DivergenceGuard,
    EarlyStopping,
    GeneratorSnapshots,
    ProgressBar,
)
from .config import HISTORY_COLUMNS, Batch, TrainerConfig
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
from .trainer import AdversarialTrainer

__all__ = [
    "HISTORY_COLUMNS",
    "LOSSES",
    "AdversarialTrainer",
    "BCELoss",
    "Batch",
    "Callback",
    "Checkpoint",
    "DivergenceError",
    "DivergenceGuard",
    "EarlyStopping",
    "GeneratorSnapshots",
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
