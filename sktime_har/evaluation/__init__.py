"""Evaluation protocols for self-supervised encoders (paper 001, Section V).

- :func:`linear_evaluation`: frozen features + a head (``"linear"`` logistic
  regression or the paper's ``"mlp"``), macro F1 on a test split;
- :func:`semi_supervised_evaluation`: k labelled windows per class, repeated
  draws, mean macro F1 with a Student-t 95 % interval;
- :func:`subject_cross_validation`: ``GroupKFold`` over subjects;
- :func:`random_encoder`: the untrained, frozen encoder baseline.
"""

from sktime_har.evaluation._linear import linear_evaluation, make_head
from sktime_har.evaluation._mlp_head import MLPHeadClassifier
from sktime_har.evaluation._random_encoder import random_encoder
from sktime_har.evaluation._semi_supervised import K_VALUES, semi_supervised_evaluation
from sktime_har.evaluation._statistics import mean_confidence_interval
from sktime_har.evaluation._subject_cv import subject_cross_validation

__all__ = [
    "K_VALUES",
    "MLPHeadClassifier",
    "linear_evaluation",
    "make_head",
    "mean_confidence_interval",
    "random_encoder",
    "semi_supervised_evaluation",
    "subject_cross_validation",
]
