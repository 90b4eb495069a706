"""What should the DSC decoders read at each step? A stage I study on UCI-HAR.

Usage::

    python -m benchmarks.dsc_decoder_input                  # seeds 0 1 2, 20 epochs
    python -m benchmarks.dsc_decoder_input --seeds 0 --epochs 10
    python -m benchmarks.dsc_decoder_input --config smoke   # plumbing only

The paper initialises both GRU decoders from a back-projection of the
embedding ``z`` ("conditional recurrent decoders", after Srivastava et al.) but
does not say what they read at each step. Three readings, all started from the
same context:

- ``embedding``: ``z`` at every step (what :class:`RecurrentAutoencoder` does);
- ``zeros``: no input at all, Srivastava et al.'s unconditioned decoder;
- ``previous``: the previous target timestep (teacher forcing; zeros first),
  Srivastava et al.'s conditional decoder as it is trained.

Each reading pretrains the ``cpu`` model of ``dsc_uci_har.py`` (BiGRU 2x64,
embedding 64, batch 256, Adam 1e-3) for ``--epochs`` epochs (lr x0.1 after 70 %
of them) through :class:`DeepSensoryClustering` with ``refine=False``; Ward and
k-means then cluster the training embeddings, as the ``autoencoder`` rows of
Table 2 do. Only the decoders' step inputs differ; same seed, same weights at
the start, same batch order. Labels score the result, never choose anything.

Writes ``benchmarks/results/dsc_decoder_input.{md,json}``.
"""

from __future__ import annotations

import os
import platform
import time
from pathlib import Path

import torch
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_limits

from benchmarks import dsc_uci_har as table2
from sktime_har.clustering import DeepSensoryClustering
from sktime_har.nn.recurrent_autoencoder import RecurrentAutoencoder

DECODER_INPUTS = ("embedding", "zeros", "previous")


class StepInputAutoencoder(RecurrentAutoencoder):
    """:class:`RecurrentAutoencoder` whose decoders read ``decoder_input`` at each step."""

    def __init__(self, *args, decoder_input: str = "embedding", **kwargs):
        super().__init__(*args, **kwargs)
        if decoder_input not in DECODER_INPUTS:
            raise ValueError(f"decoder_input must be one of {DECODER_INPUTS}; "
                             f"got {decoder_input!r}.")
        self.decoder_input = decoder_input

    def _step_inputs(self, z: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        batch, steps = z.shape[0], target.shape[-1]
        if self.decoder_input == "embedding":
            return z.unsqueeze(1).expand(batch, steps, self.embedding_dim)
        if self.decoder_input == "zeros":
            return z.new_zeros(batch, steps, self.embedding_dim)
        # previous target step, zero-padded to the decoders' input width
        previous = torch.cat([target.new_zeros(batch, self.n_channels, 1),
                              target[:, :, :-1]], dim=-1).transpose(1, 2)
        if self.embedding_dim < self.n_channels:
            raise ValueError("decoder_input='previous' needs embedding_dim >= n_channels; "
                             f"got {self.embedding_dim} < {self.n_channels}.")
        padding = z.new_zeros(batch, steps, self.embedding_dim - self.n_channels)
        return torch.cat([previous, padding], dim=-1)

    def forward(self, x: torch.Tensor):
        z = self.encode(x)
        outputs = []
        for decoder, head, target in zip(
                (self.reconstruction_decoder, self.future_decoder),
                (self.reconstruction_head, self.future_head), self.targets(x), strict=True):
            out, _ = decoder(self._step_inputs(z, target), self._initial_state(z))
            outputs.append(head(out).transpose(1, 2))
        return (z, *outputs)


def estimator_for(decoder_input: str) -> type[DeepSensoryClustering]:
    """A :class:`DeepSensoryClustering` training a :class:`StepInputAutoencoder`."""

    class StudyDSC(DeepSensoryClustering):
        def _make_autoencoder(self, n_channels, n_timesteps):
            return StepInputAutoencoder(
                n_channels, n_timesteps, input_fraction=self.input_fraction,
                hidden_size=self.hidden_size, num_layers=self.num_layers,
                embedding_dim=self.embedding_dim, decoder_input=decoder_input)

    return StudyDSC


def study_model(cfg: dict, n_channels: int) -> dict:
    """The config's DSC model; the previous timestep is zero-padded to the decoders'
    input width (the embedding size), so the embedding is at least ``n_channels`` wide."""
    return {**cfg["dsc"], "embedding_dim": max(cfg["dsc"]["embedding_dim"], n_channels)}


def study_run(decoder_input, seed, cfg, epochs, X_train, y_train) -> dict:
    shared = {**cfg["shared"], "pretrain_epochs": epochs,
              "lr_decay_epoch": max(1, round(0.7 * epochs))}
    params = dict(n_clusters=table2.N_CLUSTERS, device="cpu", random_state=seed, **shared,
                  **study_model(cfg, X_train.shape[1]))
    t = time.perf_counter()
    dsc = estimator_for(decoder_input)(**params, init="ward", refine=False).fit(X_train)
    pretrain_s = time.perf_counter() - t
    Z = dsc.transform(X_train)
    kmeans = KMeans(table2.N_CLUSTERS, n_init=20, random_state=seed).fit_predict(Z)
    ward_acc, ward_nmi = table2.scores(y_train, dsc.labels_)
    km_acc, km_nmi = table2.scores(y_train, kmeans)
    return {"decoder input": decoder_input, "seed": seed,
            "Ward ACC": round(100 * ward_acc, 2), "Ward NMI": round(100 * ward_nmi, 2),
            "k-means ACC": round(100 * km_acc, 2), "k-means NMI": round(100 * km_nmi, 2),
            "final AE loss": round(dsc.pretrain_loss_history_[-1], 4),
            "pretrain s": round(pretrain_s, 1)}


def write_markdown(path: Path, result: dict) -> None:
    lines = [f"# {result['title']}", "", result["description"], "",
             f"Device: {result['device']} ({result['threads']} torch thread(s)); torch "
             f"{result['torch']}. Total wall time {result['wall_time_s'] / 60:.1f} min.", "",
             "Training-split ACC / NMI (%) of Ward and k-means (20 inits) on the embeddings. "
             "The final loss is the pretraining objective (Eq. 1); teacher forcing makes it "
             "an easier task, so losses do not compare across rows.", "",
             "| decoder input | seed | Ward ACC | Ward NMI | k-means ACC | k-means NMI "
             "| final AE loss | pretrain s |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for row in result["rows"]:
        lines.append("| " + " | ".join(str(row[key]) for key in row) + " |")
    lines += ["", "Mean over seeds:", "", "| decoder input | Ward ACC | k-means ACC |",
              "|---|---:|---:|"]
    for name, mean in result["means"].items():
        lines.append(f"| {name} | {mean['Ward ACC']:.2f} | {mean['k-means ACC']:.2f} |")
    lines += ["", f"Reproduce: `{result['command']}`.", ""]
    path.write_text("\n".join(lines))


def main(argv=None) -> dict:
    args, cfg, threads = table2.study_setup(argv, __doc__.split("\n")[0], [0, 1, 2], 20)
    start = time.perf_counter()
    X_train, y_train, _, _ = table2.load_standardised(cfg)

    rows = []
    with threadpool_limits(threads):
        for seed in args.seeds:
            for decoder_input in DECODER_INPUTS:
                row = study_run(decoder_input, seed, cfg, args.epochs, X_train, y_train)
                print(row, flush=True)
                rows.append(row)

    means = {name: {key: round(sum(r[key] for r in rows if r["decoder input"] == name)
                               / len(args.seeds), 2) for key in ("Ward ACC", "k-means ACC")}
             for name in DECODER_INPUTS}
    model = study_model(cfg, X_train.shape[1])
    result = {
        "title": "Deep Sensory Clustering: what the decoders read at each step",
        "description": (
            f"Stage I only: the {args.config} model of ``dsc_uci_har.py`` (BiGRU "
            f"{model['num_layers']}x{model['hidden_size']}, embedding "
            f"{model['embedding_dim']}) pretrained for {args.epochs} epochs (lr x0.1 after "
            f"epoch {max(1, round(0.7 * args.epochs))}) on the {len(X_train)} UCI-HAR "
            "``dsc`` training windows, with the decoders reading the embedding at every "
            "step (``embedding``, the library's choice), nothing (``zeros``) or the previous "
            "target timestep (``previous``, teacher forcing). Everything else, seed "
            "included, is the same within a seed."),
        "config": args.config,
        "epochs": args.epochs,
        "device": f"cpu ({platform.machine()}, {os.cpu_count()} cores, shared)",
        "threads": threads,
        "torch": torch.__version__,
        "wall_time_s": round(time.perf_counter() - start, 1),
        "command": (f"python -m benchmarks.dsc_decoder_input --config {args.config} --seeds "
                    f"{' '.join(map(str, args.seeds))} --epochs {args.epochs}"),
        "rows": rows,
        "means": means,
    }
    table2.save_study(args, "dsc_decoder_input", result, write_markdown, result["wall_time_s"])
    return result


if __name__ == "__main__":
    main()
