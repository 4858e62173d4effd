"""Data for the course: toy problems made in code, preprocessing, and (Fashion-)MNIST.

- :mod:`neuronet.data.synthetic`: two-dimensional classification sets (XOR, Gaussian blobs,
  circles, moons, spirals).
- :mod:`neuronet.data.preprocessing`: standardization and min–max scaling with training-set
  statistics, one-hot labels, train/test splits and mini-batches.
- :mod:`neuronet.data.datasets`: reading IDX files and finding, downloading and loading MNIST and
  Fashion-MNIST.
"""

from neuronet.data.datasets import (
    CHECKSUMS,
    FASHION_MNIST_CLASSES,
    MIRRORS,
    SYSTEM_DIRS,
    cache_dir,
    download_dataset,
    load_fashion_mnist,
    load_mnist,
    locate_dataset,
    read_idx,
)
from neuronet.data.preprocessing import (
    minibatches,
    normalize,
    one_hot,
    standardize,
    to_class_indices,
    train_test_split,
)
from neuronet.data.synthetic import (
    make_circles,
    make_gaussians,
    make_moons,
    make_spirals,
    make_xor,
)

__all__ = [
    "CHECKSUMS",
    "FASHION_MNIST_CLASSES",
    "MIRRORS",
    "SYSTEM_DIRS",
    "cache_dir",
    "download_dataset",
    "load_fashion_mnist",
    "load_mnist",
    "locate_dataset",
    "make_circles",
    "make_gaussians",
    "make_moons",
    "make_spirals",
    "make_xor",
    "minibatches",
    "normalize",
    "one_hot",
    "read_idx",
    "standardize",
    "to_class_indices",
    "train_test_split",
]
