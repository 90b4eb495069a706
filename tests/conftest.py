"""Test-session settings."""

import torch

# The test models are tiny: one intra-op thread avoids oversubscribing the
# 2-core CI machine, where two busy threads made small steps many times slower.
torch.set_num_threads(1)
