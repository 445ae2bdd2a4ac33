"""Training helpers: a `fit` loop with callbacks and progress bars, hyperparameter search, plots."""

from .callbacks import Callback, EarlyStopping, History, LambdaCallback, ModelCheckpoint
from .fit import evaluate, fit, predict
from .keras import Sequential, Trainer
from .metrics import accuracy, confusion_matrix
from .plots import plot_confusion_matrix, plot_decision_boundary, plot_filters, plot_history
from .search import SearchResults, grid_search, loguniform, random_search, uniform

__all__ = [
    "Callback",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "ModelCheckpoint",
    "SearchResults",
    "Sequential",
    "Trainer",
    "accuracy",
    "confusion_matrix",
    "evaluate",
    "fit",
    "grid_search",
    "loguniform",
    "plot_confusion_matrix",
    "plot_decision_boundary",
    "plot_filters",
    "plot_history",
    "predict",
    "random_search",
    "uniform",
]
