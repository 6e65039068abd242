"""Fit time, scoring throughput and sparse peak memory of skfraud's detectors.

Three measurements, taken side by side in one run so that their ratios hold
on a shared, noisy machine (each timing is repeated and the median kept; the
repeats are interleaved across models, so that a burst of load from other
processes hits every model alike):

1. Fit time of ``AutoEncoderDetector`` and ``VAEDetector`` against PyOD's
   ``AutoEncoder`` and ``VAE`` at equal work on dense synthetic data: the
   same linear layer sizes, epochs, batch size, optimizer (Adam, lr 1e-3, no
   weight decay), no dropout, no batch norm, no early stopping, no
   validation split and no preprocessing inside PyOD. Both ``fit`` calls end
   by scoring the training rows once (skfraud for ``offset_``, PyOD for
   ``decision_scores_``), so the skfraud VAE is fitted with
   ``anomaly_score="reconstruction_error"``, a single decoder pass per row
   like PyOD's score. A bare PyTorch loop over the same autoencoder module
   (shuffle, slice, step; no framework) is timed as the floor that no
   wrapper can beat.
2. Scoring throughput (rows per second of ``score_samples``) of both skfraud
   detectors, the VAE with its default reconstruction probability and with
   ``anomaly_score="reconstruction_error"``, against scikit-learn's
   ``IsolationForest`` with default parameters fitted on the same rows.
   PyOD's ``decision_function`` is timed for context.
3. Peak resident memory of a child process that fits ``AutoEncoderDetector``
   (default network) on a sparse CSR float32 matrix shaped like the one-hot
   encoded IEEE-CIS transaction data (590,540 rows, 2,834 columns, 35
   one-hot blocks, so 35 non-zeros per row) and scores every row. Its dense
   float32 form would take 6.7 GB.

Run from the repository root, with skfraud installed from the checkout
(``pip install -e ".[benchmark]"``)::

    OMP_WAIT_POLICY=PASSIVE python benchmarks/speed.py

``--quick`` is a smoke run on tiny data that prints the report instead of
writing ``benchmarks/results/speed.md`` and ``speed.csv``. See ``--help`` for
the sizes.
"""

import argparse
import copy
import gc
import json
import math
import os
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
import torch

from skfraud import AutoEncoderDetector, VAEDetector
from skfraud.benchmark import describe_machine, markdown_table, write_records
from skfraud.nn import AutoEncoder
from skfraud.nn import functional as F

RESULTS = Path(__file__).resolve().parent / "results"
HIDDEN_DIMS = (64, 32)
LATENT_DIM = 8
LR = 1e-3
FIT_TARGET = 5.0  # PyOD fit time / skfraud fit time
SCORE_TARGET = 1.0  # skfraud rows/s / IsolationForest rows/s
MEMORY_TARGET_GB = 4.0


# ---- measuring -------------------------------------------------------------


def _proc_status_mib():
    """Current (VmRSS) and peak (VmHWM) resident memory of this process, MiB."""
    values = {}
    with open("/proc/self/status") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def _reset_peak_rss():
    """Restart VmHWM from the current RSS (Linux >= 4.0); False if refused."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _timed(function):
    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    start = time.perf_counter()
    result = function()
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, result


# ---- data ------------------------------------------------------------------


def dense_data(n_rows, n_features, seed=0):
    """Standard normal float32 rows (the networks see the same array)."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n_rows, n_features), dtype=np.float32)


def one_hot_matrix(n_rows, n_cols, n_blocks, seed=0, chunk_rows=100_000):
    """A CSR float32 matrix of ``n_blocks`` one-hot encoded categorical columns.

    The block widths (category counts) are uneven and add up to ``n_cols``;
    every row holds exactly one 1.0 per block, so ``n_blocks`` non-zeros.
    """
    rng = np.random.default_rng(seed)
    shares = rng.dirichlet(np.full(n_blocks, 0.5))
    widths = 2 + rng.multinomial(n_cols - 2 * n_blocks, shares)
    starts = np.concatenate([[0], np.cumsum(widths)[:-1]]).astype(np.int32)
    indices = np.empty(n_rows * n_blocks, dtype=np.int32)
    for low in range(0, n_rows, chunk_rows):
        high = min(low + chunk_rows, n_rows)
        level = rng.integers(0, widths, size=(high - low, n_blocks), dtype=np.int32)
        indices[low * n_blocks : high * n_blocks] = (starts + level).ravel()
    data = np.ones(n_rows * n_blocks, dtype=np.float32)
    indptr = np.arange(0, n_rows * n_blocks + 1, n_blocks, dtype=np.int64)
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_cols))


# ---- models ----------------------------------------------------------------


def skfraud_models(args, seed):
    common = dict(
        hidden_dims=HIDDEN_DIMS,
        latent_dim=LATENT_DIM,
        dropout=0.0,
        lr=LR,
        max_epochs=args.epochs,
        batch_size=args.batch_size,
        optimizer="adam",
        weight_decay=0.0,
        early_stopping=False,
        device=args.device,
        random_state=seed,
    )
    return {
        "skfraud AutoEncoderDetector": AutoEncoderDetector(**common),
        "skfraud VAEDetector": VAEDetector(
            anomaly_score="reconstruction_error", **common
        ),
    }


def pyod_models(args, seed):
    from pyod.models.auto_encoder import AutoEncoder as PyODAutoEncoder
    from pyod.models.vae import VAE as PyODVAE

    common = dict(
        preprocessing=False,
        lr=LR,
        epoch_num=args.epochs,
        batch_size=args.batch_size,
        optimizer_name="adam",
        optimizer_params={"weight_decay": 0.0},
        device=args.device,
        random_state=seed,
        verbose=0,
        dropout_rate=0.0,
        batch_norm=False,
        hidden_activation_name="relu",
    )
    return {
        # PyOD's autoencoder has no separate latent size: its last hidden
        # layer is the code, so (64, 32, 8) gives skfraud's layer shapes
        # 30-64-32-8-32-64-30.
        "PyOD AutoEncoder": PyODAutoEncoder(
            hidden_neuron_list=[*HIDDEN_DIMS, LATENT_DIM], **common
        ),
        "PyOD VAE": PyODVAE(
            encoder_neuron_list=list(HIDDEN_DIMS),
            decoder_neuron_list=list(HIDDEN_DIMS[::-1]),
            latent_dim=LATENT_DIM,
            beta=1.0,
            capacity=0.0,
            **common,
        ),
    }


def bare_torch_fit(X, args, seed, fused):
    """The floor: the same autoencoder trained by a hand-written loop.

    One permutation per epoch, batches sliced out of one tensor, Adam; then
    one pass scoring the training rows, as ``fit`` does.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        module = AutoEncoder(X.shape[1], HIDDEN_DIMS, LATENT_DIM, "relu", 0.0)
    module.to(args.device)
    optimizer = torch.optim.Adam(module.parameters(), lr=LR, fused=fused or None)
    X_tensor = torch.from_numpy(X).to(args.device)
    n_rows = X_tensor.shape[0]
    for _ in range(args.epochs):
        order = torch.randperm(n_rows, generator=generator).to(args.device)
        for start in range(0, n_rows, args.batch_size):
            X_batch = X_tensor[order[start : start + args.batch_size]]
            optimizer.zero_grad()
            loss = F.reconstruction_error(X_batch, module(X_batch)).mean()
            loss.backward()
            optimizer.step()
    module.eval()
    with torch.inference_mode():
        return F.reconstruction_error(X_tensor, module(X_tensor)).cpu().numpy()


def _fused_adam_available():
    try:
        torch.optim.Adam([torch.zeros(1, requires_grad=True)], fused=True)
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


# ---- 1 and 2: dense fit and scoring ------------------------------------------


def time_dense(args, have_pyod):
    from sklearn.ensemble import IsolationForest

    X = dense_data(args.rows, args.features)
    records = []
    fitted = {}

    fitters = {}
    for seed in range(args.repeats):
        models = skfraud_models(args, seed)
        if have_pyod:
            models.update(pyod_models(args, seed))
        fitters[seed] = models

    bare_variants = {"bare PyTorch loop (same module, Adam)": False}
    if _fused_adam_available():
        bare_variants["bare PyTorch loop (same module, Adam fused=True)"] = True

    # Untimed warm-up: first-call costs (PyOD's numba JIT, oneDNN kernels,
    # lazy imports) would otherwise land on whichever model runs first.
    warm_args = argparse.Namespace(**{**vars(args), "epochs": 1})
    X_warm = X[: min(len(X), 4 * args.batch_size)]
    for model in skfraud_models(warm_args, 0).values():
        model.fit(X_warm).score_samples(X_warm)
    if have_pyod:
        for model in pyod_models(warm_args, 0).values():
            model.fit(X_warm).decision_function(X_warm)
    for fused in bare_variants.values():
        bare_torch_fit(X_warm, warm_args, 0, fused)
    IsolationForest(random_state=0).fit(X_warm).score_samples(X_warm)

    for seed in range(args.repeats):
        for name, model in fitters[seed].items():
            seconds, _ = _timed(lambda model=model: model.fit(X))
            records.append(("fit", name, seed, seconds))
            fitted[name] = model
            print(f"fit   {name:52s} repeat {seed}: {seconds:7.2f} s", flush=True)
        for name, fused in bare_variants.items():
            seconds, _ = _timed(
                lambda seed=seed, fused=fused: bare_torch_fit(X, args, seed, fused)
            )
            records.append(("fit", name, seed, seconds))
            print(f"fit   {name:52s} repeat {seed}: {seconds:7.2f} s", flush=True)
        forest = IsolationForest(random_state=seed)
        seconds, _ = _timed(lambda forest=forest: forest.fit(X))
        records.append(("fit", "IsolationForest", seed, seconds))
        fitted["IsolationForest"] = forest
        print(f"fit   {'IsolationForest':52s} repeat {seed}: {seconds:7.2f} s")

    vae_probability = copy.deepcopy(fitted["skfraud VAEDetector"]).set_params(
        anomaly_score="reconstruction_probability"
    )
    scorers = {
        "skfraud AutoEncoderDetector": fitted[
            "skfraud AutoEncoderDetector"
        ].score_samples,
        "skfraud VAEDetector (reconstruction probability, n_draws=10)": (
            vae_probability.score_samples
        ),
        "skfraud VAEDetector (reconstruction error)": fitted[
            "skfraud VAEDetector"
        ].score_samples,
        "IsolationForest": fitted["IsolationForest"].score_samples,
    }
    if have_pyod:
        scorers["PyOD AutoEncoder"] = fitted["PyOD AutoEncoder"].decision_function
        scorers["PyOD VAE"] = fitted["PyOD VAE"].decision_function
    for repeat in range(args.repeats):
        for name, score in scorers.items():
            seconds, scores = _timed(lambda score=score: score(X))
            if scores.shape != (args.rows,) or not np.isfinite(scores).all():
                raise RuntimeError(f"{name} returned invalid scores.")
            records.append(("score", name, repeat, seconds))
            print(f"score {name:64s} repeat {repeat}: {seconds:7.2f} s", flush=True)
    return pd.DataFrame.from_records(
        records, columns=["section", "model", "repeat", "seconds"]
    )


# ---- 3: sparse peak memory ---------------------------------------------------


def sparse_child(args):
    """Runs in a child process: build the matrix, fit, score; print JSON."""
    rss_imports, _ = _proc_status_mib()
    X = one_hot_matrix(args.sparse_rows, args.sparse_cols, args.sparse_nnz)
    matrix_mib = (X.data.nbytes + X.indices.nbytes + X.indptr.nbytes) / 2**20
    rss_matrix, peak_build = _proc_status_mib()
    reset = _reset_peak_rss()
    detector = AutoEncoderDetector(
        max_epochs=args.sparse_epochs, device=args.device, random_state=0
    )
    fit_seconds, _ = _timed(lambda: detector.fit(X))
    _, peak_fit = _proc_status_mib()
    score_seconds, scores = _timed(lambda: detector.score_samples(X))
    _, peak_score = _proc_status_mib()
    print(
        json.dumps(
            {
                "rss_imports_mib": rss_imports,
                "matrix_mib": matrix_mib,
                "rss_matrix_mib": rss_matrix,
                "peak_build_mib": peak_build,
                "peak_reset": reset,
                "peak_fit_mib": peak_fit,
                "peak_score_mib": peak_score,
                "fit_seconds": fit_seconds,
                "score_seconds": score_seconds,
                "nnz": int(X.nnz),
                "scores_finite": bool(np.isfinite(scores).all()),
                "epochs_run": len(detector.history_),
                "gpu_peak_mib": (
                    torch.cuda.max_memory_allocated() / 2**20
                    if args.device.startswith("cuda")
                    else 0.0
                ),
            }
        )
    )


def measure_sparse(args):
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--sparse-child",
        *("--sparse-rows", str(args.sparse_rows)),
        *("--sparse-cols", str(args.sparse_cols)),
        *("--sparse-nnz", str(args.sparse_nnz)),
        *("--sparse-epochs", str(args.sparse_epochs)),
        *("--device", args.device),
    ]
    if args.threads:
        command += ["--threads", str(args.threads)]
    start = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"sparse child failed:\n{completed.stderr}")
    result = json.loads(completed.stdout.strip().splitlines()[-1])
    # ru_maxrss is in KiB on Linux: the child's peak over its whole life,
    # matrix construction included.
    result["ru_maxrss_mib"] = (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    )
    result["wall_seconds"] = wall
    print(f"sparse memory: {json.dumps(result)}", flush=True)
    return result


# ---- report ----------------------------------------------------------------


def _verdict(passed):
    return "**pass**" if passed else "**fail**"


def render(args, machine, frame, sparse, load_before, load_after, total_seconds):
    medians = frame.groupby(["section", "model"], sort=False)["seconds"].median()
    spreads = frame.groupby(["section", "model"], sort=False)["seconds"].agg(
        ["min", "max"]
    )
    have_pyod = ("fit", "PyOD AutoEncoder") in medians.index
    text = [
        "# Speed and memory",
        "",
        f"Command: `{args.command}`",
        "",
        f"Machine: {machine} "
        + " ".join(
            f"{name} {os.environ.get(name, 'unset')}."
            for name in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")
        )
        + f" Torch models on `{args.device}`. Load average {load_before:.1f} at "
        f"the start and {load_after:.1f} at the end (the machine is shared); "
        f"whole run {total_seconds / 60:.1f} min.",
        "",
        f"Every timing is the median of {args.repeats} repeats, interleaved "
        "across models (min-max in brackets). Ratios compare medians from the "
        "same run.",
        "",
    ]
    if frame is not None and len(frame):
        text += _fit_section(args, medians, spreads, have_pyod)
        text += _score_section(args, medians, spreads)
    if sparse is not None:
        text += _memory_section(args, sparse)
    text += _notes(args, medians, have_pyod, sparse)
    return "\n".join(text) + "\n"


def _fit_section(args, medians, spreads, have_pyod):
    fit = medians["fit"]
    text = [
        f"## 1. Fit time: {args.rows:,} x {args.features} float32 rows",
        "",
        f"Equal work: layers {args.features}-64-32-{LATENT_DIM}-32-64-"
        f"{args.features}, {args.epochs} epochs, batch {args.batch_size}, Adam "
        f"lr {LR:g}, weight decay 0, dropout 0, no batch norm, no early "
        "stopping, no validation split, PyOD's `preprocessing=False` (skfraud "
        "does not standardise either). Each `fit` ends by scoring the training "
        "rows once. Random state = repeat index.",
        "",
    ]
    pairs = {
        "skfraud AutoEncoderDetector": "PyOD AutoEncoder",
        "skfraud VAEDetector": "PyOD VAE",
    }
    rows = []
    bare = "bare PyTorch loop (same module, Adam)"
    for name in fit.index:
        low, high = spreads.loc[("fit", name)]
        per_epoch = fit[name] / args.epochs if name != "IsolationForest" else math.nan
        ratio, verdict = "", ""
        if name in pairs and have_pyod:
            value = fit[pairs[name]] / fit[name]
            ratio = f"PyOD / skfraud = {value:.2f}x"
            verdict = f"{_verdict(value >= FIT_TARGET)} (target >= {FIT_TARGET:g}x)"
        elif name.startswith("PyOD") or name.startswith("skfraud"):
            ratio = f"{fit[name] / fit[bare]:.2f}x the bare loop"
        elif name.startswith("bare") and name != bare:
            ratio = f"{fit[name] / fit[bare]:.2f}x the bare loop"
        elif name == "IsolationForest":
            ratio = "default parameters, for context"
        rows.append(
            [
                name,
                f"{fit[name]:.2f} [{low:.2f}-{high:.2f}]",
                "" if math.isnan(per_epoch) else f"{per_epoch:.2f}",
                ratio,
                verdict,
            ]
        )
    # Put the skfraud / PyOD rows' relation to the floor next to each other.
    for row in rows:
        name = row[0]
        if name in pairs and have_pyod:
            row[3] += f"; {fit[name] / fit[bare]:.2f}x the bare loop"
    text += [
        markdown_table(
            ["model", "fit s (median [min-max])", "s / epoch", "ratio", "target"], rows
        ),
        "",
    ]
    return text


def _score_section(args, medians, spreads):
    score = medians["score"]
    forest = score["IsolationForest"]
    rows = []
    for name in score.index:
        low, high = spreads.loc[("score", name)]
        rate = args.rows / score[name]
        ratio = rate / (args.rows / forest)
        verdict = ""
        if name.startswith("skfraud"):
            verdict = f"{_verdict(ratio >= SCORE_TARGET)} (target >= 1x)"
        rows.append(
            [
                name,
                f"{score[name]:.3f} [{low:.3f}-{high:.3f}]",
                f"{rate:,.0f}",
                f"{ratio:.2f}x",
                verdict,
            ]
        )
    return [
        f"## 2. Scoring: {args.rows:,} rows",
        "",
        "`score_samples` for skfraud and IsolationForest (default parameters, "
        "fitted on the same rows), `decision_function` for PyOD (context only: "
        "its VAE scores one random latent draw per row, its autoencoder the "
        "Euclidean reconstruction distance).",
        "",
        markdown_table(
            [
                "model",
                "score s (median [min-max])",
                "rows / s",
                "vs IsolationForest",
                "target",
            ],
            rows,
        ),
        "",
    ]


def _memory_section(args, sparse):
    dense_gb = args.sparse_rows * args.sparse_cols * 4 / 1e9
    peak = max(sparse["peak_fit_mib"], sparse["peak_score_mib"])
    peak_gb = peak * 2**20 / 1e9
    rows = [
        [
            "interpreter + numpy/scipy/torch/skfraud imported",
            f"{sparse['rss_imports_mib']:.0f}",
        ],
        ["CSR matrix arrays (data + indices + indptr)", f"{sparse['matrix_mib']:.0f}"],
        ["RSS with the matrix built (baseline)", f"{sparse['rss_matrix_mib']:.0f}"],
        ["peak while building the matrix", f"{sparse['peak_build_mib']:.0f}"],
        [
            f"peak during `fit` ({sparse['epochs_run']} epoch)",
            f"{sparse['peak_fit_mib']:.0f}",
        ],
        ["peak during `fit` + `score_samples`", f"{sparse['peak_score_mib']:.0f}"],
        ["GPU memory peak (torch allocator)", f"{sparse['gpu_peak_mib']:.0f}"],
        ["child's `ru_maxrss` (whole life)", f"{sparse['ru_maxrss_mib']:.0f}"],
    ]
    return [
        f"## 3. Peak memory: sparse one-hot {args.sparse_rows:,} x "
        f"{args.sparse_cols:,}",
        "",
        f"CSR float32, {args.sparse_nnz} one-hot blocks of uneven width (seed 0), "
        f"so {sparse['nnz']:,} non-zeros, {args.sparse_nnz} per row; dense "
        f"float32 it would take {dense_gb:.1f} GB. AutoEncoderDetector with its "
        f"default network (hidden (64, 32), latent 8, batch 256) trained for "
        f"{args.sparse_epochs} epoch (memory does not grow with epochs: batches "
        "are densified one at a time), then `score_samples` on every row, in a "
        "child process. Peaks are VmHWM from /proc/self/status, reset after "
        "the matrix is built"
        + ("" if sparse["peak_reset"] else " (reset refused: peaks include the build)")
        + f". fit {sparse['fit_seconds']:.1f} s, score "
        f"{sparse['score_seconds']:.1f} s.",
        "",
        markdown_table(["stage", "RSS MiB"], rows),
        "",
        f"Peak {peak_gb:.2f} GB against a {MEMORY_TARGET_GB:g} GB target: "
        f"{_verdict(peak_gb < MEMORY_TARGET_GB)}; "
        f"{peak - sparse['rss_matrix_mib']:.0f} MiB above the baseline.",
        "",
    ]


def _notes(args, medians, have_pyod, sparse):
    text = ["## Notes", ""]
    if not have_pyod or "fit" not in medians.index.get_level_values(0):
        text += ["- No PyOD fit-time comparison in this run.", ""]
        return text
    fit = medians["fit"]
    bare = fit["bare PyTorch loop (same module, Adam)"]
    # skfraud's "adam" is the fused Adam, so the fused loop is its floor.
    floor_name = next(
        name
        for name in (
            "bare PyTorch loop (same module, Adam fused=True)",
            "bare PyTorch loop (same module, Adam)",
        )
        if name in fit.index
    )
    floor = fit[floor_name]
    pyod_over_bare = fit["PyOD AutoEncoder"] / floor
    bound = (
        f"so no wrapper can reach {FIT_TARGET:g}x here"
        if pyod_over_bare < FIT_TARGET
        else f"so {FIT_TARGET:g}x is within reach of a lean wrapper"
    )
    text += [
        f"- The fit-time target (>= {FIT_TARGET:g}x PyOD) is bounded by the "
        "network's own arithmetic: at this size the fastest bare PyTorch loop, "
        "with no framework at all, is "
        f"{pyod_over_bare:.2f}x faster than PyOD's autoencoder, {bound}. "
        "skfraud's autoencoder (whose `optimizer='adam'` is the fused Adam) "
        f"costs {fit['skfraud AutoEncoderDetector'] / floor:.2f}x the bare "
        f"loop {'with the fused Adam' if 'fused' in floor_name else ''}; what "
        "differs is skorch's per-batch bookkeeping (callbacks, history, "
        "train-mode switching). PyOD's extra cost is its `DataLoader`, which "
        "indexes one row at a time, converts it to a tensor and collates the "
        "batch. That overhead is a fixed cost per row, so the ratio grows with "
        "smaller batches and narrower layers and shrinks with wider ones.",
        "- skfraud's VAE decoder outputs a mean and a log-variance per feature "
        f"(a 64-{2 * args.features} output layer and a Gaussian likelihood), "
        f"PyOD's a mean only (64-{args.features}, squared error): skfraud does "
        "slightly more arithmetic per batch.",
        "- PyOD's training loader drops the last incomplete batch; skfraud "
        "trains on it. PyOD applies a ReLU to the 8-unit code; skfraud does "
        "not. Both are negligible here.",
    ]
    if "bare PyTorch loop (same module, Adam fused=True)" in fit.index:
        fused = fit["bare PyTorch loop (same module, Adam fused=True)"]
        text.append(
            f"- With `torch.optim.Adam(fused=True)` the bare loop takes "
            f"{fused / bare:.2f}x the time of the default (per-tensor) Adam: "
            "the optimizer step is a large share of a step at this size."
        )
    score = medians["score"]
    probability_ratio = (
        score["skfraud VAEDetector (reconstruction probability, n_draws=10)"]
        / score["skfraud VAEDetector (reconstruction error)"]
    )
    text.append(
        "- Scoring: the VAE's reconstruction probability decodes "
        "`n_draws=10` latent draws per row, about ten times the decoder "
        f"work of the reconstruction error ({probability_ratio:.1f}x "
        "its time here)."
    )
    if sparse is not None:
        text.append(
            "- PyOD's deep detectors call `check_array` without sparse support, "
            "so they cannot take the sparse matrix of section 3 without the "
            f"{args.sparse_rows * args.sparse_cols * 4 / 1e9:.1f} GB dense copy; "
            "they were not run on it."
        )
    text.append("")
    return text


# ---- main ------------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="tiny smoke run; prints the report, writes nothing",
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--features", type=int, default=30)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sparse-rows", type=int, default=590_540)
    parser.add_argument("--sparse-cols", type=int, default=2_834)
    parser.add_argument("--sparse-nnz", type=int, default=35)
    parser.add_argument("--sparse-epochs", type=int, default=1)
    parser.add_argument(
        "--device",
        default="cpu",
        help="device of every torch model: cpu (default) or cuda; results of a "
        "cuda run go to speed_cuda.md / .csv",
    )
    parser.add_argument("--skip-dense", action="store_true")
    parser.add_argument("--skip-sparse", action="store_true")
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="torch threads (default: torch's own default)",
    )
    parser.add_argument("--sparse-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.epochs, args.repeats = 5_000, 1, 1
        args.sparse_rows = 20_000
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.sparse_child:
        sparse_child(args)
        return
    argv = sys.argv[1:] if argv is None else argv
    prefix = " ".join(
        f"{key}={os.environ[key]}"
        for key in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")
        if key in os.environ
    )
    args.command = (
        (prefix + " " if prefix else "")
        + "python benchmarks/"
        + " ".join(shlex.quote(a) for a in [Path(__file__).name, *argv])
    )
    try:
        import pyod  # noqa: F401

        have_pyod = True
    except ImportError:
        have_pyod = False
        print("PyOD is not installed (pip install pyod): its rows are skipped.")

    machine = describe_machine()
    load_before = os.getloadavg()[0]
    start = time.perf_counter()
    frame = (
        pd.DataFrame(columns=["section", "model", "repeat", "seconds"])
        if args.skip_dense
        else time_dense(args, have_pyod)
    )
    sparse = None if args.skip_sparse else measure_sparse(args)
    total_seconds = time.perf_counter() - start
    load_after = os.getloadavg()[0]
    report = render(
        args, machine, frame, sparse, load_before, load_after, total_seconds
    )

    if args.quick:
        print(report)
        return
    csv = frame.assign(value_mib=np.nan)
    if sparse is not None:
        memory = [
            ("memory", key, 0, np.nan, sparse[key])
            for key in (
                "rss_imports_mib",
                "matrix_mib",
                "rss_matrix_mib",
                "peak_build_mib",
                "peak_fit_mib",
                "peak_score_mib",
                "ru_maxrss_mib",
            )
        ]
        memory += [
            ("memory", "sparse fit", 0, sparse["fit_seconds"], np.nan),
            ("memory", "sparse score", 0, sparse["score_seconds"], np.nan),
        ]
        csv = pd.concat([csv, pd.DataFrame(memory, columns=csv.columns)])
    stem = "speed" if args.device == "cpu" else "speed_cuda"
    write_records(csv, RESULTS / f"{stem}.csv")
    (RESULTS / f"{stem}.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
