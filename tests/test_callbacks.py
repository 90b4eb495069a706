"""``callbacks``: the user's skorch callbacks reach every training stage of every torch estimator.

The estimators come from :func:`sktime_har.utils.all_estimators`, so a new
torch estimator is covered without editing this file.
"""

import textwrap

import pytest
from _scripts import ROOT
from _torch_estimators import TORCH_ESTIMATORS, data_for, windows
from sklearn.base import clone
from skorch.callbacks import Callback, EarlyStopping
from test_common import TINY_PARAMS
from test_verbosity import STAGE_MARKERS

# stages per estimator: DynamicTemperatureSSL trains its autoencoder first, the
# clustering estimators pretrain then refine
N_STAGES = {cls: 2 if len(STAGE_MARKERS[cls]) > 1 else 1 for cls in TORCH_ESTIMATORS}

_X = windows(160)


class RecordStages(Callback):
    """Records each stage's name and epoch count in a class-level log (shared by copies)."""

    log: list = []

    def initialize(self):
        self.used_ = True  # set on the copy a stage trains with, never on the user's object
        return self

    def on_train_end(self, net, **kwargs):
        RecordStages.log.append((net.stage, len(net.history)))


class StopAfter(Callback):
    """Interrupts training after ``epochs`` epochs (skorch ends ``fit`` cleanly)."""

    def __init__(self, epochs):
        self.epochs = epochs

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) >= self.epochs:
            raise KeyboardInterrupt


def _data(cls):
    return data_for(cls, 160)


def _params(cls, **extra):
    params = {**TINY_PARAMS[cls], **extra}
    # enough epochs that stopping early is visible
    for name in ("max_epochs", "pretrain_epochs", "max_refine_epochs"):
        if name in params:
            params[name] = 6
    if "tol" in params:
        params["tol"] = 0.0
    return params


@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_callbacks_reach_every_stage_and_can_stop_it(cls):
    assert "callbacks" in cls().get_params()
    RecordStages.log = []
    user = [RecordStages(), ("stop", StopAfter(2))]
    X, y = _data(cls)
    estimator = cls(**_params(cls, callbacks=user)).fit(X, y)
    stages = RecordStages.log
    assert len(stages) == N_STAGES[cls], stages
    # StopAfter(2) ends each stage after 2 of its 6 epochs (refinement may stop
    # sooner by itself when no assignment changes)
    assert max(epochs for _, epochs in stages) == 2 and all(e <= 2 for _, e in stages), stages
    # the parameter is the user's list, untouched: each stage trained a copy
    assert estimator.get_params()["callbacks"] is user
    assert not hasattr(user[0], "used_")
    assert clone(estimator).get_params()["callbacks"][1][0] == "stop"


def test_early_stopping_on_the_training_loss():
    cls = next(c for c in TORCH_ESTIMATORS if c.__name__ == "SimCLREncoder")
    X, _ = _data(cls)
    # a threshold no loss improvement reaches: patience 1 stops after epoch 2
    stop = EarlyStopping(monitor="train_loss", patience=1, threshold=1e9, sink=lambda *_: None)
    est = cls(**_params(cls, callbacks=[stop])).fit(X)
    assert len(est.history_) == 2


@pytest.mark.parametrize("bad", [EarlyStopping(), "EarlyStopping", [3], [("name", 3)]],
                         ids=["bare callback", "string", "int entry", "named int"])
@pytest.mark.parametrize("cls", TORCH_ESTIMATORS, ids=lambda c: c.__name__)
def test_bad_callbacks_raise_type_error(cls, bad):
    X, y = _data(cls)
    with pytest.raises(TypeError, match=r"The 'callbacks' parameter of \w+ must be a list of "
                                        r"skorch callbacks"):
        cls(**_params(cls, callbacks=bad)).fit(X, y)



def test_the_training_guide_example_runs(capsys):
    text = (ROOT / "docs/user_guide/training.rst").read_text()
    # the callbacks example: the code block that prints "epochs run"
    block = next(b for b in text.split(".. code-block:: python\n\n")[1:] if "epochs run" in b)
    lines = []
    for line in block.splitlines():
        if line and not line.startswith("   "):
            break
        lines.append(line)
    code = textwrap.dedent("\n".join(lines))
    exec(compile(code, "training.rst", "exec"), {})
    out = capsys.readouterr().out
    assert "SimCLREncoder pretraining:" in out and "epochs run" in out
