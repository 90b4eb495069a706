"""Losses, one per file: formula and paper in each docstring, ``ValueError`` on bad shapes."""

from sktime_har.nn.losses.cluster_hardening import ClusterHardeningLoss, cluster_hardening_loss
from sktime_har.nn.losses.ndt_xent import NDTXentLoss
from sktime_har.nn.losses.nt_xent import NTXentLoss
from sktime_har.nn.losses.reconstruction import (
    MultiTaskReconstructionLoss,
    multitask_reconstruction_loss,
)
from sktime_har.nn.losses.vicreg import VICRegLoss

__all__ = [
    "ClusterHardeningLoss",
    "MultiTaskReconstructionLoss",
    "NDTXentLoss",
    "NTXentLoss",
    "VICRegLoss",
    "cluster_hardening_loss",
    "multitask_reconstruction_loss",
]
