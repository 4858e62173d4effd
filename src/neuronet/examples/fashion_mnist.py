"""Train a multilayer perceptron on Fashion-MNIST and report its test accuracy.

Run ``python -m neuronet.examples.fashion_mnist`` (``--help`` for the options). The images are
found or downloaded by :func:`neuronet.data.load_fashion_mnist`; the pixels are standardized with
statistics from the training set only; a 784-256-128-10 ReLU network with a softmax output learns
by Adam on mini-batches of 128 in float32, first at the learning rate ``--lr`` and then, for the
last ``--fine-tune`` epochs, at a tenth of it (a step decay: the large steps find the region, the
small ones settle into it). The accuracy on the 10,000 held-out test images is printed at the end
together with the training time.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from neuronet import MLP
from neuronet.data import load_fashion_mnist, standardize
from neuronet.optimizers import Adam


def main(argv: list[str] | None = None) -> float:
    parser = argparse.ArgumentParser(description="Train an MLP on Fashion-MNIST.")
    parser.add_argument("--epochs", type=int, default=15, help="epochs in all (default 15)")
    parser.add_argument("--fine-tune", type=int, default=5, help="last epochs at lr/10 (default 5)")
    parser.add_argument("--hidden", type=int, nargs="+", default=[256, 128])
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--data", default=None, help="folder with the IDX .gz files")
    parser.add_argument("--save", default=None, help="write the trained model to this .npz file")
    args = parser.parse_args(argv)
    if not 0 <= args.fine_tune < args.epochs:
        parser.error("--fine-tune must be at least 0 and smaller than --epochs")

    (X_train, y_train), (X_test, y_test) = load_fashion_mnist(path=args.data)
    X_train, stats = standardize(X_train)
    X_test, _ = standardize(X_test, stats)

    model = MLP([784, *args.hidden, 10], seed=args.seed, dtype=np.float32)
    print(f"training {[784, *args.hidden, 10]} for {args.epochs} epochs on {len(X_train)} images")
    start = time.perf_counter()
    optimizer = Adam(args.lr)
    schedule = [(args.lr, args.epochs - args.fine_tune), (args.lr / 10, args.fine_tune)]
    for stage, (lr, epochs) in enumerate(schedule):
        if epochs == 0:
            continue
        optimizer.lr = lr
        history = model.fit(
            X_train,
            y_train,
            optimizer=optimizer,
            epochs=epochs,
            batch_size=args.batch_size,
            seed=args.seed + stage,
            progress=True,
        )
    seconds = time.perf_counter() - start
    accuracy = model.accuracy(X_test, y_test)
    print(
        f"training accuracy {history.accuracy[-1]:.4f}, final training loss {history.loss[-1]:.4f}"
    )
    print(f"test accuracy {accuracy:.4f} after {seconds:.1f} s of training")
    if args.save:
        model.save(args.save)
        print(f"model saved to {args.save}")
    return accuracy


if __name__ == "__main__":
    main()
