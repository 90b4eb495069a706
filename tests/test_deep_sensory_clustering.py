"""DeepSensoryClustering (and the DEC / IDEC baselines built from the same parts)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.metrics import normalized_mutual_info_score
from sklearn.model_selection import GridSearchCV, KFold

from sktime_har._training._clustering_callbacks import StopOnStableAssignments
from sktime_har.clustering import DEC, IDEC, DeepSensoryClustering
from sktime_har.datasets import make_activity_windows
from sktime_har.metrics import clustering_accuracy, clustering_accuracy_scorer

TINY = dict(hidden_size=8, num_layers=1, embedding_dim=4, pretrain_epochs=2,
            max_refine_epochs=2, batch_size=32, device="cpu", random_state=0)


@pytest.fixture(scope="module", autouse=True)
def one_thread():
    # Tiny GRUs on a shared 2-core machine: OpenMP thread hand-offs cost far more
    # than the arithmetic (100x slower under load), so run these tests on one thread.
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def data():
    X, y, _ = make_activity_windows(96, n_channels=3, n_timesteps=16, random_state=0)
    return X, y


@pytest.fixture(scope="module")
def fitted(data):
    return DeepSensoryClustering(**TINY).fit(data[0])


def _student_t(Z, centers):
    kernel = 1.0 / (1.0 + ((Z[:, None, :] - centers[None]) ** 2).sum(-1))
    return kernel / kernel.sum(axis=1, keepdims=True)


def test_fitted_attributes_and_output_shapes(fitted, data):
    X, _ = data
    dsc = fitted
    assert dsc.labels_.shape == (96,)
    assert set(np.unique(dsc.labels_)) <= set(range(6))
    assert dsc.cluster_centers_.shape == (6, 4)
    assert dsc.n_channels_ == 3 and dsc.n_timesteps_ == 16 and dsc.n_features_in_ == 48
    assert len(dsc.pretrain_loss_history_) == 2
    assert 1 <= dsc.n_iter_ <= 2 and len(dsc.refine_loss_history_) == dsc.n_iter_
    assert all(np.isfinite(dsc.pretrain_loss_history_ + dsc.refine_loss_history_))
    assert dsc.transform(X).shape == (96, 4)
    proba = dsc.predict_proba(X)
    assert proba.shape == (96, 6)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(dsc.predict(X), proba.argmax(axis=1))
    # labels_ are the final assignments of the training windows
    np.testing.assert_array_equal(dsc.predict(X), dsc.labels_)
    assert list(dsc.get_feature_names_out()) == [
        f"deepsensoryclustering{i}" for i in range(4)
    ]


def test_predict_on_new_windows(fitted):
    X_new, _, _ = make_activity_windows(20, n_channels=3, n_timesteps=16, random_state=1)
    labels = fitted.predict(X_new)
    assert labels.shape == (20,) and labels.min() >= 0 and labels.max() < 6
    # Student's t on the embeddings and the fitted centres gives the same Q
    np.testing.assert_allclose(
        fitted.predict_proba(X_new),
        _student_t(fitted.transform(X_new).astype(np.float64), fitted.cluster_centers_),
        rtol=1e-4, atol=1e-6)
    with pytest.raises(ValueError, match="3 channels|fitted on 3"):
        fitted.predict(np.zeros((2, 4, 16)))
    with pytest.raises(ValueError, match="16"):
        fitted.predict(np.zeros((2, 3, 20)))


@pytest.mark.parametrize("init", ["ward", "kmeans"])
def test_initial_clustering_is_loaded_into_the_clustering_layer(data, init):
    X, _ = data
    dsc = DeepSensoryClustering(**{**TINY, "init": init, "refine": False}).fit(X)
    Z = dsc.transform(X)
    layer_centres = dsc.module_.clustering.centroids.detach().numpy()
    np.testing.assert_array_equal(layer_centres, dsc.cluster_centers_)
    # the centres are the means of the initial clusters (Ward: by definition;
    # k-means: at convergence)
    means = np.stack([Z[dsc.labels_ == k].mean(axis=0) for k in range(6)])
    np.testing.assert_allclose(dsc.cluster_centers_, means, rtol=1e-3, atol=1e-4)
    np.testing.assert_array_equal(dsc.labels_, dsc.initial_labels_)
    assert dsc.n_iter_ == 0 and dsc.refine_loss_history_ == []
    # and the layer's soft assignments are computed from them
    np.testing.assert_allclose(dsc.predict_proba(X), _student_t(Z.astype(np.float64), means),
                               rtol=1e-3, atol=1e-5)
    if init == "kmeans":
        # the initial clustering is a converged, several-init k-means of the embeddings:
        # its inertia is as low as a reference k-means run reaches
        ref = KMeans(6, n_init=20, random_state=0).fit(Z)
        ours = ((Z - dsc.cluster_centers_[dsc.labels_]) ** 2).sum()
        assert ours <= ref.inertia_ * 1.05


def test_refinement_starts_from_the_initial_centres(data):
    X, _ = data
    # a vanishing refinement learning rate: the centres must stay the Ward means
    dsc = DeepSensoryClustering(**{**TINY, "refine_lr": 1e-12, "max_refine_epochs": 1}).fit(X)
    Z = dsc.transform(X)
    means = np.stack([Z[dsc.initial_labels_ == k].mean(axis=0) for k in range(6)])
    np.testing.assert_allclose(dsc.cluster_centers_, means, rtol=1e-3, atol=1e-4)


def test_target_distribution_is_refreshed_once_per_epoch_over_all_windows(data, monkeypatch):
    from sktime_har._training import _clustering_callbacks

    refreshed_rows = []

    def spy(q):
        refreshed_rows.append(q.shape[0])
        return target_distribution(q)

    target_distribution = _clustering_callbacks.target_distribution
    monkeypatch.setattr(_clustering_callbacks, "target_distribution", spy)
    X, _ = data
    dsc = DeepSensoryClustering(**{**TINY, "tol": 0.0, "max_refine_epochs": 3}).fit(X)
    # 96 windows in batches of 32: three steps per epoch, but P is computed from the
    # whole training set once before refinement and once after each epoch
    assert dsc.n_iter_ == 3
    assert refreshed_rows == [len(X)] * (dsc.n_iter_ + 1)


def test_tol_stops_refinement(data):
    X, _ = data
    stop_early = DeepSensoryClustering(**{**TINY, "tol": 1.0, "max_refine_epochs": 5}).fit(X)
    assert stop_early.n_iter_ == 1 and stop_early.converged_
    never_stop = DeepSensoryClustering(**{**TINY, "tol": 0.0, "max_refine_epochs": 3}).fit(X)
    assert never_stop.n_iter_ == 3 and not never_stop.converged_


def test_stable_assignment_callback_reads_the_changed_fraction():
    class FakeNet:
        def __init__(self, changed):
            self.history = [{"changed_fraction": changed}]

    class History(list):
        def __getitem__(self, key):
            return list.__getitem__(self, key[0])[key[1]]

    cb = StopOnStableAssignments(tol=0.01)
    net = FakeNet(0.02)
    net.history = History(net.history)
    cb.on_epoch_end(net)  # 2 % changed: keep going
    net.history = History([{"changed_fraction": 0.005}])
    with pytest.raises(KeyboardInterrupt):  # how skorch's EarlyStopping stops fit
        cb.on_epoch_end(net)


def test_same_random_state_gives_identical_fits(data, fitted):
    X, _ = data
    again = DeepSensoryClustering(**TINY).fit(X)
    np.testing.assert_array_equal(again.labels_, fitted.labels_)
    np.testing.assert_array_equal(again.transform(X), fitted.transform(X))
    assert again.pretrain_loss_history_ == fitted.pretrain_loss_history_
    other = DeepSensoryClustering(**{**TINY, "random_state": 1}).fit(X)
    assert not np.array_equal(other.transform(X), fitted.transform(X))


def test_fit_leaves_the_global_torch_rng_alone(data):
    X, _ = data
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    DeepSensoryClustering(**{**TINY, "pretrain_epochs": 1, "max_refine_epochs": 1}).fit(X)
    assert torch.equal(torch.rand(3), expected)


def test_clone_and_pickle_round_trip(fitted, data):
    X, _ = data
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.transform(X), fitted.transform(X))
    np.testing.assert_array_equal(restored.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(restored.labels_, fitted.labels_)
    cloned = clone(fitted)
    assert cloned.get_params() == fitted.get_params()
    assert not hasattr(cloned, "labels_")
    np.testing.assert_array_equal(cloned.fit(X).predict(X), fitted.predict(X))


def test_grid_search_with_a_clustering_scorer(data):
    X, y = data
    base = DeepSensoryClustering(**{**TINY, "pretrain_epochs": 1, "max_refine_epochs": 1})
    cv = KFold(2)
    search = GridSearchCV(base, {"gamma": [0.1, 1.0]}, scoring=clustering_accuracy_scorer,
                          cv=cv).fit(X, y)
    # each cell is the Hungarian-matched accuracy of `predict` on the held-out fold of an
    # estimator fitted on the other fold with that candidate's gamma
    for i, gamma in enumerate(search.cv_results_["param_gamma"]):
        for split, (train, test) in enumerate(cv.split(X)):
            est = clone(base).set_params(gamma=gamma).fit(X[train])
            expected = clustering_accuracy(y[test], est.predict(X[test]))
            assert search.cv_results_[f"split{split}_test_score"][i] == pytest.approx(expected)
    assert search.best_estimator_.gamma == search.best_params_["gamma"]
    np.testing.assert_array_equal(
        search.best_estimator_.predict(X),
        clone(base).set_params(**search.best_params_).fit(X).predict(X))


def test_warm_start_reuses_the_pretrained_network(data):
    X, _ = data
    base = DeepSensoryClustering(**{**TINY, "refine": False, "init": "ward"}).fit(X)
    Z_before = base.transform(X)
    history = list(base.pretrain_loss_history_)
    base.set_params(warm_start=True, init="kmeans")
    base.fit(X)  # still refine=False: only re-clusters
    np.testing.assert_array_equal(base.transform(X), Z_before)
    assert base.pretrain_loss_history_ == history
    base.set_params(refine=True).fit(X)
    assert base.n_iter_ >= 1
    assert not np.array_equal(base.transform(X), Z_before)
    # windows of another shape cannot reuse the network: it is pretrained afresh
    with pytest.warns(UserWarning, match="pretraining a new network from scratch"):
        base.fit(X[:, :2, :])
    assert base.n_channels_ == 2 and base.transform(X[:, :2, :]).shape == (96, 4)


@pytest.mark.parametrize("change", [{"embedding_dim": 3}, {"hidden_size": 5},
                                    {"input_fraction": 0.25}, {"n_clusters": 4}])
def test_warm_start_refits_when_the_network_hyperparameters_changed(data, change):
    X, _ = data
    dsc = DeepSensoryClustering(**{**TINY, "refine": False}).fit(X)
    old_module = dsc.module_
    dsc.set_params(warm_start=True, **change)
    with pytest.warns(UserWarning, match="does not match"):
        dsc.fit(X)
    assert dsc.module_ is not old_module
    assert dsc.transform(X).shape == (96, change.get("embedding_dim", 4))
    assert dsc.predict_proba(X).shape == (96, change.get("n_clusters", 6))


def test_warm_start_with_an_unchanged_network_does_not_draw_from_the_torch_rng(data):
    X, _ = data
    dsc = DeepSensoryClustering(**{**TINY, "refine": False}).fit(X)
    dsc.set_params(warm_start=True)
    torch.manual_seed(5)
    expected = torch.rand(3)
    torch.manual_seed(5)
    dsc.fit(X)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize("init", ["kmeans", "ward"])
def test_labels_without_refinement_are_the_initial_clustering(data, init):
    X, _ = data
    dsc = DeepSensoryClustering(**{**TINY, "refine": False, "init": init}).fit(X)
    np.testing.assert_array_equal(dsc.labels_, dsc.initial_labels_)
    if init == "kmeans":  # k-means labels are the nearest centroid's, as predict's
        np.testing.assert_array_equal(dsc.predict(X), dsc.labels_)
    else:  # Ward's own labels (documented: predict may differ for a few windows)
        from sklearn.cluster import AgglomerativeClustering

        ward = AgglomerativeClustering(6, linkage="ward").fit_predict(dsc.transform(X))
        np.testing.assert_array_equal(dsc.labels_, ward)


def test_a_rejected_fit_leaves_the_estimator_as_it_was(data):
    from sklearn.exceptions import NotFittedError

    X, _ = data
    fresh = DeepSensoryClustering(**{**TINY, "lr": -1.0})
    with pytest.raises(ValueError, match="lr"):
        fresh.fit(X)
    with pytest.raises(NotFittedError):
        fresh.predict(X)
    dsc = DeepSensoryClustering(**{**TINY, "refine": False}).fit(X)
    before = dsc.predict(X)
    dsc.set_params(lr=-1.0)
    with pytest.raises(ValueError, match="lr"):
        dsc.fit(X[:, :2, :])
    assert dsc.n_channels_ == 3
    np.testing.assert_array_equal(dsc.predict(X), before)


def test_non_finite_embeddings_after_pretraining_raise(data):
    from skorch.callbacks import Callback

    from sktime_har.exceptions import TrainingDivergedError

    class NaNWeightsAfterPretraining(Callback):
        # finite losses in every step, non-finite weights at the end of the stage
        def on_train_end(self, net, **kwargs):
            if net.stage == "pretraining":
                with torch.no_grad():
                    next(net.module_.parameters()).fill_(float("nan"))

    X, _ = data
    with pytest.raises(TrainingDivergedError, match="pretraining diverged"):
        DeepSensoryClustering(**TINY, callbacks=[NaNWeightsAfterPretraining()]).fit(X)


def test_non_finite_soft_assignments_stop_refinement():
    from types import SimpleNamespace

    from sktime_har._training._clustering_callbacks import RefreshTargetDistribution
    from sktime_har.exceptions import TrainingDivergedError

    class NaNModule(torch.nn.Module):
        def soft_assign(self, x):
            return torch.full((len(x), 3), float("nan"))

    net = SimpleNamespace(module_=NaNModule(), device="cpu", history=[{}])
    with pytest.raises(TrainingDivergedError, match="refinement diverged"):
        RefreshTargetDistribution().on_train_begin(net, X=torch.zeros(4, 2, 5))


@pytest.mark.parametrize(
    "X, params, match",
    [
        (np.zeros((4, 3, 16)), {}, "n_clusters=6 needs at least 6 windows"),
        (np.zeros((10, 3, 1)), {}, "at least 2 timesteps"),
        (np.zeros((10, 3, 8)), {"input_fraction": 0.1}, "at least 10 timesteps"),
        (np.full((10, 3, 16), np.nan), {}, "NaN"),
        (np.zeros((10, 2, 3, 16)), {}, "3D array"),
        (np.zeros((10, 3, 16)), {"init": "random"},
         "The 'init' parameter of DeepSensoryClustering must be a str among"),
        (np.zeros((10, 3, 16)), {"n_clusters": 0},
         r"The 'n_clusters' parameter of DeepSensoryClustering must be an int in the range \[1"),
        (np.zeros((10, 3, 16)), {"input_fraction": 1.5}, "input_fraction"),
        (np.zeros((10, 3, 16)), {"gamma": -1}, "gamma"),
        (np.zeros((10, 3, 16)), {"tol": 2.0}, "tol"),
        (np.zeros((10, 3, 16)), {"hidden_size": 0}, "hidden_size"),
        (np.zeros((1, 3, 16)), {"n_clusters": 1}, "init='ward' needs at least 2 windows"),
    ],
)
def test_bad_inputs_raise_clear_errors(X, params, match):
    with pytest.raises(ValueError, match=match):
        DeepSensoryClustering(**{**TINY, **params}).fit(X)


def test_unfitted_estimator_refuses_to_predict():
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        DeepSensoryClustering().predict(np.zeros((2, 3, 16)))


def test_verbose_reports_every_stage(data, capsys):
    X, _ = data
    DeepSensoryClustering(**{**TINY, "pretrain_epochs": 1, "max_refine_epochs": 1,
                             "verbose": 1}).fit(X)
    out = capsys.readouterr()
    text = out.out + out.err
    assert "stage I" in text and "initialising" in text and "stage II" in text


def test_two_dimensional_input_is_one_channel(data):
    X, _ = data
    dsc = DeepSensoryClustering(**{**TINY, "pretrain_epochs": 1, "max_refine_epochs": 1})
    dsc.fit(X[:, 0, :])
    assert dsc.n_channels_ == 1 and dsc.transform(X[:5, 0, :]).shape == (5, 4)


def test_dsc_beats_raw_kmeans_on_synthetic_activities():
    # 10 Hz so that a 32-sample window holds several gait cycles
    X, y, _ = make_activity_windows(240, n_channels=3, n_timesteps=32, noise=0.2,
                                    sampling_rate=10.0, random_state=3)
    raw = KMeans(6, n_init=10, random_state=0).fit_predict(X.reshape(len(X), -1))
    nmi_raw = normalized_mutual_info_score(y, raw)
    dsc = DeepSensoryClustering(hidden_size=16, num_layers=1, embedding_dim=8,
                                pretrain_epochs=20, lr=1e-2, lr_decay_epoch=None,
                                max_refine_epochs=10, batch_size=32, device="cpu",
                                random_state=0).fit(X)
    nmi_dsc = normalized_mutual_info_score(y, dsc.labels_)
    assert nmi_dsc > nmi_raw + 0.05, (nmi_dsc, nmi_raw)


@pytest.mark.parametrize("Est", [DEC, IDEC])
def test_dec_and_idec(Est, data):
    X, _ = data
    est = Est(hidden_sizes=(32, 16), embedding_dim=4, pretrain_epochs=2, max_refine_epochs=2,
              batch_size=32, device="cpu", random_state=0).fit(X)
    assert est.labels_.shape == (96,) and est.cluster_centers_.shape == (6, 4)
    assert est.transform(X).shape == (96, 4)
    np.testing.assert_array_equal(est.predict(X), est.labels_)
    again = clone(est).fit(X)
    np.testing.assert_array_equal(again.labels_, est.labels_)
    with pytest.raises(ValueError, match="hidden_sizes"):
        Est(hidden_sizes=(0,), device="cpu").fit(X)


def test_dec_drops_and_idec_keeps_the_reconstruction_loss(data):
    X, _ = data
    common = dict(hidden_sizes=(32,), embedding_dim=4, pretrain_epochs=1, max_refine_epochs=1,
                  batch_size=96, device="cpu", random_state=0, tol=0.0)
    dec = DEC(**common).fit(X)
    idec = IDEC(**common, gamma=1.0).fit(X)
    # same pretraining and init; IDEC's refinement loss adds the reconstruction MSE
    assert dec.pretrain_loss_history_ == idec.pretrain_loss_history_
    assert idec.refine_loss_history_[0] > dec.refine_loss_history_[0] + 0.1


@pytest.mark.parametrize("cls", [DeepSensoryClustering, DEC, IDEC], ids=lambda c: c.__name__)
def test_labels_are_those_of_the_weights_kept_after_early_stopping(cls):
    # early stopping on the validation loss restores the best epoch's weights; labels_
    # must be the assignments of those weights, as predict gives them (DEC's tiny fit
    # here restores an earlier epoch in refinement)
    from _engine_reference import _params
    from _torch_estimators import windows

    X = windows(96)
    est = cls(**_params(cls, "validation")).fit(X)
    np.testing.assert_array_equal(est.labels_, est.predict(X))
