"""Inspect fitted HAR models: occlusion robustness, Guided Grad-CAM saliency, linear probing.

Tools from Khaertdinov & Asteriadis (2023), "Explaining, Analyzing, and
Probing Representations of Self-Supervised Learning Models for Sensor-based
Human Activity Recognition". They use only the public estimator API
(``predict``, ``transform``, ``module_``, ``encoder_``).
"""

from sktime_har.inspection._attribution_stats import attribution_entropy, channel_importance
from sktime_har.inspection._blocked_split import BlockedSubjectKFold
from sktime_har.inspection._channel_occlusion import IMU6_CHANNEL_GROUPS, ChannelOcclusion
from sktime_har.inspection._ci import mean_ci95
from sktime_har.inspection._linear_probe import LinearProbe
from sktime_har.inspection._occlusion_scorer import (
    OcclusionReport,
    OcclusionScorer,
    mask_random_channels,
)
from sktime_har.inspection._probing import ProbeResult, activity_type_probe, subject_probe
from sktime_har.inspection._saliency import GuidedGradCAM, logit_model

__all__ = [
    "IMU6_CHANNEL_GROUPS",
    "BlockedSubjectKFold",
    "ChannelOcclusion",
    "GuidedGradCAM",
    "LinearProbe",
    "OcclusionReport",
    "OcclusionScorer",
    "ProbeResult",
    "activity_type_probe",
    "attribution_entropy",
    "channel_importance",
    "logit_model",
    "mask_random_channels",
    "mean_ci95",
    "subject_probe",
]
