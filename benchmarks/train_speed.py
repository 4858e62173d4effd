"""Training speed of neuronet against its peers, in one interleaved run.

Task: Fashion-MNIST, a 784-256-128-10 ReLU network with a softmax output and cross-entropy,
Adam (lr 1e-3), mini-batches of 128, float32. Four implementations train on the same data:

* ``neuronet``      -- the course's vectorized MLP;
* ``scikit-learn``  -- ``MLPClassifier`` with the same architecture and settings;
* ``per-example``   -- backpropagation one example at a time, in the style of Nielsen's
  ``network.py`` (column vectors, a Python loop over the examples of each mini-batch), with the
  same Adam update applied per mini-batch. It is timed on a slice of the epoch and scaled up;
* ``bare NumPy``    -- the same mini-batch training written as a bare loop, with no checks, no
  loss or accuracy bookkeeping and no layer objects: what NumPy itself costs, as a reference
  for how much neuronet adds.

The rounds are interleaved (neuronet, scikit-learn, per-example, neuronet, ...) so that load from
other processes on a shared machine affects all of them alike; the script reports the median
epoch time of each, the ratios, and how close neuronet gets to the machine's float32 matmul peak,
measured on exactly the shapes of the matrix products of one training batch: the model FLOPs of an
epoch (three forward passes, as in MFU) divided by its time and by that peak.

Run: ``python benchmarks/train_speed.py [--rounds 3] [--per-example-samples 6000]``
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
import warnings

import numpy as np

from neuronet import MLP
from neuronet.data import load_fashion_mnist, one_hot
from neuronet.optimizers import Adam

SIZES = [784, 256, 128, 10]
BATCH = 128
LR = 1e-3
TARGETS = {"vs_sklearn": 0.75, "fraction_of_peak": 0.40, "per_example_slowdown": 5.0}


def epoch_flops(n_samples: int, executed: bool = False) -> float:
    """Floating-point operations of the matrix products in one epoch of training.

    By default the model's count, as in model FLOPs utilization (MFU; Chowdhery et al. 2022,
    "PaLM", appendix B): per layer and sample the forward product costs ``2 n_in n_out`` and the
    backward pass twice that (``dW`` and ``dX``), so training costs three forward passes. The
    count depends on the model only, not on the implementation. ``executed=True`` counts only the
    products neuronet runs: it never computes the first layer's input gradient, which nothing
    needs. Elementwise work (activations, Adam) is left out of both: it is not matmul work.
    """
    pairs = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    forward = sum(2 * a * b for a, b in pairs)
    skipped = 2 * SIZES[0] * SIZES[1] if executed else 0
    return float(n_samples * (3 * forward - skipped))


def matmul_peak(repeats: int = 15) -> float:
    """Best GFLOP/s of NumPy float32 matmuls of one training batch's exact shapes."""
    rng = np.random.default_rng(0)
    pairs = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    xs = [rng.standard_normal((BATCH, a), dtype=np.float32) for a, _ in pairs]
    ws = [rng.standard_normal((a, b), dtype=np.float32) for a, b in pairs]
    ds = [rng.standard_normal((BATCH, b), dtype=np.float32) for _, b in pairs]
    flops = epoch_flops(BATCH, executed=True)
    best = np.inf
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(20):
            for i, (x, w, d) in enumerate(zip(xs, ws, ds, strict=True)):
                np.matmul(x, w)
                np.matmul(x.T, d)
                if i > 0:
                    np.matmul(d, w.T)
        best = min(best, (time.perf_counter() - start) / 20)
    return flops / best / 1e9


def time_neuronet(X: np.ndarray, y: np.ndarray, seed: int) -> float:
    model = MLP(SIZES, activation="relu", output="softmax", seed=seed, dtype=np.float32)
    start = time.perf_counter()
    model.fit(X, y, optimizer=Adam(LR), epochs=1, batch_size=BATCH, seed=seed)
    return time.perf_counter() - start


def time_sklearn(X: np.ndarray, y: np.ndarray, seed: int) -> float:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    model = MLPClassifier(
        hidden_layer_sizes=tuple(SIZES[1:-1]),
        activation="relu",
        solver="adam",
        learning_rate_init=LR,
        batch_size=BATCH,
        alpha=0.0,
        max_iter=1,
        shuffle=True,
        random_state=seed,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        start = time.perf_counter()
        model.fit(X, y)
        return time.perf_counter() - start


def time_per_example(X: np.ndarray, Y: np.ndarray, seed: int, n_samples: int) -> float:
    """Seconds per full epoch of per-example backprop, measured on ``n_samples`` and scaled."""
    rng = np.random.default_rng(seed)
    pairs = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    weights = [(rng.standard_normal((b, a)) * np.sqrt(2 / a)).astype(np.float32) for a, b in pairs]
    biases = [np.zeros((b, 1), np.float32) for _, b in pairs]
    params = weights + biases
    adam = Adam(LR)
    order = rng.permutation(len(X))[:n_samples]
    start = time.perf_counter()
    for first in range(0, n_samples, BATCH):
        batch = order[first : first + BATCH]
        nabla_w = [np.zeros_like(w) for w in weights]
        nabla_b = [np.zeros_like(b) for b in biases]
        for i in batch:
            activation = X[i].reshape(-1, 1)
            activations, zs = [activation], []
            for w, b in zip(weights, biases, strict=True):
                z = w @ activation + b
                zs.append(z)
                activation = np.maximum(z, 0) if len(zs) < len(weights) else z
                activations.append(activation)
            exp = np.exp(activation - activation.max())
            delta = exp / exp.sum() - Y[i].reshape(-1, 1)
            for layer in range(len(weights) - 1, -1, -1):
                nabla_b[layer] += delta
                nabla_w[layer] += delta @ activations[layer].T
                if layer > 0:
                    delta = (weights[layer].T @ delta) * (zs[layer - 1] > 0)
        grads = [g / len(batch) for g in nabla_w + nabla_b]
        adam.step(params, grads)
    return (time.perf_counter() - start) * len(X) / n_samples


def time_bare_numpy(X: np.ndarray, Y: np.ndarray, seed: int) -> float:
    """Seconds for one epoch of the same training as a bare NumPy loop (the reference)."""
    rng = np.random.default_rng(seed)
    pairs = list(zip(SIZES[:-1], SIZES[1:], strict=True))
    weights = [(rng.standard_normal((a, b)) * np.sqrt(2 / a)).astype(np.float32) for a, b in pairs]
    biases = [np.zeros(b, np.float32) for _, b in pairs]
    grad_w, grad_b = [np.empty_like(w) for w in weights], [np.empty_like(b) for b in biases]
    adam = Adam(LR)
    order = rng.permutation(len(X))
    start = time.perf_counter()
    for first in range(0, len(X), BATCH):
        batch = order[first : first + BATCH]
        activations, zs = [X[batch]], []
        for layer, (w, b) in enumerate(zip(weights, biases, strict=True)):
            z = activations[-1] @ w
            z += b
            zs.append(z)
            if layer < len(weights) - 1:
                activations.append(np.maximum(z, 0))
        exp = np.exp(z - z.max(axis=1, keepdims=True))
        delta = (exp / exp.sum(axis=1, keepdims=True) - Y[batch]) / len(batch)
        for layer in range(len(weights) - 1, -1, -1):
            np.matmul(activations[layer].T, delta, out=grad_w[layer])
            np.sum(delta, axis=0, out=grad_b[layer])
            if layer > 0:
                delta = (delta @ weights[layer].T) * (zs[layer - 1] > 0)
        adam.step(weights + biases, grad_w + grad_b)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (default 3)")
    parser.add_argument("--per-example-samples", type=int, default=6000)
    args = parser.parse_args()

    (X, y), _ = load_fashion_mnist()
    X = X.astype(np.float32)
    Y = one_hot(y, 10, dtype=np.float32)
    print(f"machine: {platform.machine()}, {platform.processor() or '?'}; numpy {np.__version__}")
    print(f"data: {X.shape[0]} training images, float32; network {SIZES}, batch {BATCH}")

    times: dict[str, list[float]] = {
        "neuronet": [],
        "scikit-learn": [],
        "per-example": [],
        "bare NumPy": [],
    }
    peaks = []  # measured every round too, so a busy moment cannot set it alone
    for r in range(args.rounds):
        times["neuronet"].append(time_neuronet(X, y, seed=r))
        times["scikit-learn"].append(time_sklearn(X, y, seed=r))
        times["per-example"].append(time_per_example(X, Y, r, args.per_example_samples))
        times["bare NumPy"].append(time_bare_numpy(X, Y, seed=r))
        peaks.append(matmul_peak())
        print(
            f"round {r + 1}: "
            + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items())
            + f", matmul peak {peaks[-1]:.0f} GFLOP/s"
        )
    peak = max(peaks)

    median = {k: statistics.median(v) for k, v in times.items()}
    gflops = epoch_flops(len(X)) / median["neuronet"] / 1e9
    results = {
        "vs_sklearn": median["neuronet"] / median["scikit-learn"],
        "fraction_of_peak": gflops / peak,
        "per_example_slowdown": median["per-example"] / median["neuronet"],
    }
    print("\nseconds per epoch (median of rounds):")
    for name, seconds in median.items():
        print(f"  {name:13s} {seconds:7.2f}")
    print(f"matmul peak (float32, these shapes): {peak:.1f} GFLOP/s")
    print(
        f"neuronet over a whole epoch:        {gflops:.1f} GFLOP/s (model FLOPs: 3 forward passes)"
    )
    executed = epoch_flops(len(X), executed=True) / median["neuronet"] / 1e9
    print(
        f"  counting only products it runs:   {executed:.1f} GFLOP/s, {executed / peak:.0%} of "
        "peak (it skips the first layer's input gradient; comparison only)"
    )
    bare = epoch_flops(len(X)) / median["bare NumPy"] / 1e9
    print(
        f"  reference, bare NumPy loop:       {bare:.1f} GFLOP/s, {bare / peak:.0%} of peak; "
        f"neuronet takes {median['neuronet'] / median['bare NumPy']:.2f}x its time"
    )
    print("\nratios and targets:")
    print(f"  neuronet / scikit-learn   {results['vs_sklearn']:.2f}x  (target <= 0.75x)")
    print(f"  fraction of matmul peak   {results['fraction_of_peak']:.0%}   (target >= 40%)")
    print(f"  per-example / neuronet    {results['per_example_slowdown']:.1f}x  (target >= 5x)")
    met = [
        results["vs_sklearn"] <= TARGETS["vs_sklearn"],
        results["fraction_of_peak"] >= TARGETS["fraction_of_peak"],
        results["per_example_slowdown"] >= TARGETS["per_example_slowdown"],
    ]
    print(f"\ntargets met: {sum(met)} of {len(met)}")


if __name__ == "__main__":
    main()
