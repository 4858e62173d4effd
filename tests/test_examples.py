"""The runnable Fashion-MNIST example, end to end on a small data set the test writes."""

import gzip
import struct

import numpy as np

from neuronet.examples import fashion_mnist


def write_idx(path, array: np.ndarray) -> None:
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    path.write_bytes(gzip.compress(header + array.tobytes(), mtime=0))


def make_images(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Noisy 28x28 images in which class k lights up row block k: learnable in a few epochs."""
    labels = rng.integers(0, 10, size=n).astype(np.uint8)
    images = rng.integers(0, 60, size=(n, 28, 28)).astype(np.uint8)
    for image, label in zip(images, labels, strict=True):
        image[2 * label : 2 * label + 3, :] = 255
    return images, labels


def test_example_trains_saves_and_reports_accuracy(tmp_path, capsys):
    rng = np.random.default_rng(0)
    for split, n in (("train", 600), ("t10k", 200)):
        images, labels = make_images(n, rng)
        write_idx(tmp_path / f"{split}-images-idx3-ubyte.gz", images)
        write_idx(tmp_path / f"{split}-labels-idx1-ubyte.gz", labels)

    model_path = tmp_path / "model.npz"
    accuracy = fashion_mnist.main(
        ["--data", str(tmp_path), "--epochs", "4", "--fine-tune", "1", "--hidden", "32"]
        + ["--save", str(model_path)]
    )

    assert accuracy >= 0.95  # the classes are separable; chance is 0.1
    printed = capsys.readouterr().out
    assert f"test accuracy {accuracy:.4f}" in printed
    assert model_path.exists()
