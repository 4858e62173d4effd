"""MNIST and Fashion-MNIST: reading the IDX files, finding them, downloading them.

Both data sets come as four IDX files, usually gzip-compressed: ``train-images-idx3-ubyte.gz``
(60,000 images of 28×28 grey levels), ``train-labels-idx1-ubyte.gz``, ``t10k-images-idx3-ubyte.gz``
and ``t10k-labels-idx1-ubyte.gz`` (the 10,000 test images and their labels). The loaders look for
them, in this order:

1. the directory ``path=`` when it is given (and nowhere else: missing files are an error);
2. the directory named by the environment variable ``NEURONET_DATA``: first its subfolder
   ``fashion-mnist/`` or ``mnist/``, then the directory itself;
3. the user cache, ``$XDG_CACHE_HOME/neuronet/<name>`` or ``~/.cache/neuronet/<name>``;
4. the system directory of a distribution package: Debian's ``dataset-fashion-mnist`` installs
   ``/usr/share/datasets/fashion-mnist`` (there is no such package for MNIST);
5. otherwise, with ``download=True``, the files are downloaded into the user cache from the
   official mirrors, with a progress bar, and their SHA-256 checksums verified.

Each file may be present compressed (``.gz``) or decompressed (no suffix).

The downloader's modules (``urllib.request``, ``http.client``, ``tqdm``) are imported by the
functions that download, so ``import neuronet`` does not pay for them.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import math
import os
import tempfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

#: Names of the ten Fashion-MNIST classes, indexed by label (Xiao, Rasul & Vollgraf, 2017).
FASHION_MNIST_CLASSES: tuple[str, ...] = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)

#: Base URLs tried in order for each data set; a file's URL is the base followed by its name.
MIRRORS: dict[str, list[str]] = {
    # The official location, from the zalandoresearch/fashion-mnist README.
    "fashion-mnist": ["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"],
    # yann.lecun.com is often unavailable; torchvision downloads from ossci-datasets first, and
    # TensorFlow Datasets from the CVDF mirror.
    "mnist": [
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    ],
}

#: SHA-256 of every file as served by the mirrors, checked after each download.
CHECKSUMS: dict[str, dict[str, str]] = {
    # Published by TensorFlow Datasets, tensorflow/datasets, file
    # tensorflow_datasets/url_checksums/fashion_mnist.txt (with the sizes 26421880, 29515, 4422102
    # and 5148 bytes). Cross-checked against the files of Debian's dataset-fashion-mnist package
    # (0.0~git20200523.55506a9-1): Debian recompressed nothing but rewrote the gzip headers
    # (original file name dropped, time stamp set to the build date), so its files hash
    # differently (train images: SHA-256 b0564c3e..., MD5 cf8536b0...). Restoring the original
    # header (name field, time stamp of 2017-08-31) rebuilds files whose MD5 sums are exactly
    # those in the zalandoresearch/fashion-mnist README (8d4fb7e6..., 25c81989..., bef4ecab...,
    # bb300cfd...) and whose SHA-256 sums are the ones below.
    "fashion-mnist": {
        "train-images-idx3-ubyte.gz": (
            "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"
        ),
        "train-labels-idx1-ubyte.gz": (
            "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"
        ),
        "t10k-images-idx3-ubyte.gz": (
            "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"
        ),
    },
    # Published by TensorFlow Datasets for the CVDF mirror, tensorflow/datasets, file
    # tensorflow_datasets/url_checksums/mnist.txt (sizes 9912422, 28881, 1648877, 4542 bytes);
    # the same digests are paired with the ossci-datasets mirror in ankane/torchvision-ruby,
    # lib/torchvision/datasets/mnist.rb.
    "mnist": {
        "train-images-idx3-ubyte.gz": (
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
        ),
        "train-labels-idx1-ubyte.gz": (
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
        ),
        "t10k-images-idx3-ubyte.gz": (
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"
        ),
        "t10k-labels-idx1-ubyte.gz": (
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"
        ),
    },
}

#: Directories where distribution packages install the files.
SYSTEM_DIRS: dict[str, Path] = {"fashion-mnist": Path("/usr/share/datasets/fashion-mnist")}

#: Environment variable naming a data directory searched before the cache.
ENV_VAR = "NEURONET_DATA"

#: Seconds to wait for a mirror before trying the next one.
TIMEOUT = 60.0

_TITLES = {"fashion-mnist": "Fashion-MNIST", "mnist": "MNIST"}
_INSTALL_HINTS = {
    "fashion-mnist": "install Debian's package (apt-get install dataset-fashion-mnist)",
}
_STEMS = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
_CHUNK = 1 << 20

# IDX type codes (the third byte of the magic number); 0x0A is not used by the format.
_IDX_DTYPES = {
    0x08: np.dtype(np.uint8),
    0x09: np.dtype(np.int8),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


# --------------------------------------------------------------------------------------- IDX files


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (gzip-compressed or plain) into an array.

    The IDX format, in which LeCun distributed MNIST, is a header and raw numbers. The header is a
    4-byte magic number, two zero bytes, a type code and the number of dimensions :math:`d`,
    followed by :math:`d` sizes as 4-byte big-endian unsigned integers. The data follow in C
    order, big-endian. Type codes: ``0x08`` uint8, ``0x09`` int8, ``0x0B`` int16, ``0x0C``
    int32, ``0x0D`` float32, ``0x0E`` float64. Compression is recognised by the gzip signature,
    not by the file name.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    numpy.ndarray
        Shape given by the header, dtype by the type code (native byte order).

    Raises
    ------
    FileNotFoundError
        If the file does not exist.
    ValueError
        If the magic number is wrong (the message shows the bytes found), the file or its gzip
        stream is truncated (the message gives the expected and actual sizes), the file has bytes
        beyond its data, or the gzip data are corrupt.
    """
    path = Path(path)
    with open(path, "rb") as probe:
        compressed = probe.read(2) == b"\x1f\x8b"
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as stream:
            return _read_idx_stream(stream, path)
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise ValueError(f"{path}: corrupt gzip data ({exc})") from exc


def _read_idx_stream(stream: BinaryIO, path: Path) -> np.ndarray:
    magic = _read_exactly(stream, 4, path, "magic number", allow_short=True)
    if len(magic) < 4 or magic[:2] != b"\x00\x00" or magic[2] not in _IDX_DTYPES or magic[3] == 0:
        found = " ".join(f"{b:02x}" for b in magic) or "nothing"
        codes = ", ".join(f"0x{code:02X} ({dt.name})" for code, dt in _IDX_DTYPES.items())
        raise ValueError(
            f"{path} is not an IDX file: its magic number must be two zero bytes, a type code "
            f"({codes}) and a number of dimensions of at least 1; found the bytes {found}"
        )
    dtype, ndim = _IDX_DTYPES[magic[2]], magic[3]
    dims = _read_exactly(stream, 4 * ndim, path, "dimensions")
    shape = tuple(int(d) for d in np.frombuffer(dims, dtype=">u4"))
    n_bytes = math.prod(shape) * dtype.itemsize
    data = np.frombuffer(_read_exactly(stream, n_bytes, path, f"data of shape {shape}"), dtype)
    try:
        extra = len(stream.read())
    except EOFError:
        raise ValueError(
            f"{path}: truncated gzip stream: all {n_bytes} data bytes are there but the end of "
            f"the stream (its CRC and length) is missing"
        ) from None
    if extra:
        raise ValueError(
            f"{path} has {extra} byte(s) after the {n_bytes} data bytes its header announces "
            f"(shape {shape}); the file is not a valid IDX file"
        )
    return data.astype(dtype.newbyteorder("="), copy=dtype.byteorder == ">").reshape(shape)


def _read_exactly(
    stream: BinaryIO, n_bytes: int, path: Path, part: str, allow_short: bool = False
) -> bytearray:
    """Read ``n_bytes`` bytes, reporting a truncated file or gzip stream with the sizes.

    The buffer grows as data arrive, so a damaged header announcing absurd sizes costs no memory.
    """
    buffer = bytearray()
    try:
        while len(buffer) < n_bytes:
            chunk = stream.read1(min(n_bytes - len(buffer), _CHUNK))
            if not chunk:
                break
            buffer += chunk
    except EOFError:
        raise ValueError(
            f"{path}: truncated gzip stream: the compressed data end after {len(buffer)} of the "
            f"{n_bytes} bytes expected for the {part}"
        ) from None
    if len(buffer) < n_bytes and not allow_short:
        raise ValueError(
            f"{path} is truncated: the {part} need {n_bytes} bytes but only {len(buffer)} are left"
        )
    return buffer


def _read_pair(directory: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """Images and labels of one split (``"train"`` or ``"t10k"``), checked against each other."""
    images_path = _find_file(directory, f"{split}-images-idx3-ubyte")
    labels_path = _find_file(directory, f"{split}-labels-idx1-ubyte")
    images, labels = read_idx(images_path), read_idx(labels_path)
    if images.ndim != 3:
        raise ValueError(
            f"{images_path} should hold images (3 dimensions), got shape {images.shape}"
        )
    if labels.ndim != 1:
        raise ValueError(
            f"{labels_path} should hold labels (1 dimension), got shape {labels.shape}"
        )
    if len(images) != len(labels):
        raise ValueError(
            f"{images_path} holds {len(images)} images but {labels_path} holds {len(labels)} "
            f"labels; the counts must agree"
        )
    return images, labels


# ----------------------------------------------------------------------------- finding the files


def _check_name(name: str) -> str:
    if name not in _TITLES:
        raise ValueError(f"unknown data set {name!r}; known data sets are: {', '.join(_TITLES)}")
    return name


def cache_dir(name: str) -> Path:
    """The user-cache directory of a data set: ``$XDG_CACHE_HOME/neuronet/<name>``.

    ``XDG_CACHE_HOME`` defaults to ``~/.cache`` when it is unset, empty or not an absolute path
    (as the XDG base-directory specification asks).
    """
    base = os.environ.get("XDG_CACHE_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".cache"
    return root / "neuronet" / _check_name(name)


def _find_file(directory: Path, stem: str) -> Path | None:
    for candidate in (directory / f"{stem}.gz", directory / stem):
        if candidate.is_file():
            return candidate
    return None


def _missing(directory: Path) -> list[str]:
    return [f"{stem}.gz" for stem in _STEMS if _find_file(directory, stem) is None]


def _search_dirs(name: str) -> tuple[list[tuple[str, Path]], list[str]]:
    """Candidate directories after ``path=``, in order, and notes on skipped places."""
    places, notes = [], []
    env = os.environ.get(ENV_VAR, "")
    if env:
        places += [(f"${ENV_VAR}/{name}", Path(env) / name), (f"${ENV_VAR}", Path(env))]
    else:
        notes.append(f"${ENV_VAR} is not set")
    places.append(("the user cache", cache_dir(name)))
    if name in SYSTEM_DIRS:
        places.append(("the system directory", SYSTEM_DIRS[name]))
    return places, notes


def locate_dataset(
    name: str,
    path: str | os.PathLike | None = None,
    *,
    download: bool = True,
    progress: bool = True,
) -> Path:
    """Find the directory holding a data set's four IDX files, downloading them if needed.

    The search order is that of the module documentation: ``path``, then ``$NEURONET_DATA``
    (its subfolder ``name``, then itself), the user cache, the system directory and finally a
    download into the user cache.

    Parameters
    ----------
    name : str
        ``"fashion-mnist"`` or ``"mnist"``.
    path : str or os.PathLike, optional
        A directory that must contain the files; when given nothing else is searched.
    download : bool
        Download the files when they are found nowhere.
    progress : bool
        Show a progress bar while downloading.

    Returns
    -------
    pathlib.Path
        The directory.

    Raises
    ------
    FileNotFoundError
        If ``path`` lacks some files (they are listed), or nothing is found and ``download`` is
        false (the message says where it looked and how to get the data).
    ValueError
        If a downloaded file fails its checksum (see :func:`download_dataset`).
    ConnectionError
        If no mirror could deliver a file.
    """
    name = _check_name(name)
    if path is not None:
        directory = Path(path).expanduser()
        missing = _missing(directory)
        if missing:
            where = "" if directory.is_dir() else " (the directory does not exist)"
            raise FileNotFoundError(
                f"{_TITLES[name]} files missing in {directory}{where}: {', '.join(missing)} "
                f"(compressed or not). A path given explicitly is not completed from other "
                f"locations; leave path=None to search the usual places."
            )
        return directory
    places, looked = _search_dirs(name)
    for label, directory in places:
        missing = _missing(directory)
        if not missing:
            return directory
        state = "does not exist" if not directory.is_dir() else f"lacks {', '.join(missing)}"
        looked.append(f"{label} {directory} {state}")
    if not download:
        hints = [
            f"set download=True to fetch it into {cache_dir(name)}",
            f"put the four files in a directory and pass path= or set ${ENV_VAR}",
        ]
        if name in _INSTALL_HINTS:
            hints.insert(0, _INSTALL_HINTS[name])
        raise FileNotFoundError(
            f"{_TITLES[name]} not found: {'; '.join(looked)}. To get it: {'; or '.join(hints)}."
        )
    return download_dataset(name, progress=progress)


# -------------------------------------------------------------------------------------- download


def download_dataset(
    name: str, directory: str | os.PathLike | None = None, *, progress: bool = True
) -> Path:
    """Download the missing files of a data set and verify their SHA-256 checksums.

    Each file is fetched from the first mirror in :data:`MIRRORS` that answers, streamed into a
    temporary file in the target directory while its SHA-256 is computed, and compared with
    :data:`CHECKSUMS`. Only when every file has arrived intact are they renamed into place
    (:func:`os.replace`, atomic), so an interrupted or corrupted download leaves nothing behind.

    Parameters
    ----------
    name : str
        ``"fashion-mnist"`` or ``"mnist"``.
    directory : str or os.PathLike, optional
        Target directory, by default :func:`cache_dir`.
    progress : bool
        Show a progress bar (tqdm) for each file.

    Returns
    -------
    pathlib.Path
        The directory, now holding the four files.

    Raises
    ------
    ValueError
        If a file's SHA-256 differs from the published one; the message names the file, the
        expected and the actual digest. The file is deleted.
    ConnectionError
        If every mirror fails for a file; the message lists each URL and its error.
    """
    name = _check_name(name)
    directory = Path(directory).expanduser() if directory is not None else cache_dir(name)
    created = [d for d in (directory, *directory.parents) if not d.exists()]
    directory.mkdir(parents=True, exist_ok=True)
    fetched: dict[str, Path] = {}
    try:
        for filename in _missing(directory):
            fetched[filename] = _fetch(name, filename, directory, progress)
        for filename, temporary in fetched.items():
            os.replace(temporary, directory / filename)
    except BaseException:
        for temporary in fetched.values():
            temporary.unlink(missing_ok=True)
        for folder in created:  # deepest first; rmdir only removes empty folders
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    return directory


def _fetch(name: str, filename: str, directory: Path, progress: bool) -> Path:
    """Download one file into a verified temporary file in ``directory``; return its path."""
    import http.client
    import urllib.error

    expected = CHECKSUMS[name][filename]
    errors = []
    for base in MIRRORS[name]:
        url = base.rstrip("/") + "/" + filename
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{filename}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                actual = _stream(url, out, filename, progress)
        except (
            urllib.error.URLError,
            http.client.HTTPException,
            ConnectionError,
            TimeoutError,
            _IncompleteDownload,
        ) as exc:
            os.unlink(temporary)
            errors.append(f"{url}: {exc}")
            continue
        except BaseException:
            os.unlink(temporary)
            raise
        if actual != expected:
            os.unlink(temporary)
            raise ValueError(
                f"checksum mismatch for {filename} downloaded from {url}: expected SHA-256 "
                f"{expected}, got {actual}. The file was deleted; the mirror may be serving a "
                f"damaged or changed file."
            )
        return Path(temporary)
    raise ConnectionError(
        f"could not download {filename} from any mirror ({'; '.join(errors)}). Check the network "
        f"connection, or get the files another way and pass path= or set ${ENV_VAR}."
    )


class _IncompleteDownload(OSError):
    """The server closed the connection before sending all the bytes it announced."""


def _stream(url: str, out: BinaryIO, label: str, progress: bool) -> str:
    """Copy ``url`` into ``out`` with a progress bar; return the SHA-256 hex digest."""
    import urllib.request

    from tqdm import tqdm

    request = urllib.request.Request(url, headers={"User-Agent": "neuronet"})
    digest = hashlib.sha256()
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        received = 0
        with tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            desc=label,
            disable=not progress,
        ) as bar:
            while chunk := response.read(_CHUNK):
                digest.update(chunk)
                out.write(chunk)
                received += len(chunk)
                bar.update(len(chunk))
    if total is not None and received != total:
        raise _IncompleteDownload(f"received {received} of {total} bytes")
    return digest.hexdigest()


# --------------------------------------------------------------------------------------- loaders


def _load(
    name: str,
    path: str | os.PathLike | None,
    scale: bool,
    flatten: bool,
    dtype: Any,
    download: bool,
    progress: bool,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    dtype = np.dtype(dtype)
    if scale and dtype.kind != "f":
        raise ValueError(f"dtype must be a floating type when scale=True, got {dtype}")
    directory = locate_dataset(name, path, download=download, progress=progress)
    splits = []
    for split in ("train", "t10k"):
        images, labels = _read_pair(directory, split)
        X = images.reshape(len(images), -1) if flatten else images
        if scale:
            X = X.astype(dtype)
            X /= 255
        splits.append((X, labels.astype(np.int64)))
    return splits[0], splits[1]


def load_fashion_mnist(
    path: str | os.PathLike | None = None,
    *,
    scale: bool = True,
    flatten: bool = True,
    dtype: Any = np.float32,
    download: bool = True,
    progress: bool = True,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load Fashion-MNIST as ``(X_train, y_train), (X_test, y_test)``.

    Zalando's article images (Xiao, Rasul & Vollgraf, 2017) were made as a drop-in replacement for
    MNIST that is harder to classify: 60,000 training and 10,000 test images of 28×28 grey
    levels, each labelled 0–9, label :math:`k` naming the class ``FASHION_MNIST_CLASSES[k]``. The
    files are found as described in :mod:`neuronet.data.datasets`, and downloaded (with their
    checksums verified) if they are found nowhere and ``download`` is true.

    Parameters
    ----------
    path : str or os.PathLike, optional
        Directory holding the four IDX files; when given, nothing else is searched.
    scale : bool
        Return the pixels as floats in :math:`[0, 1]` (grey level / 255); with ``False`` the raw
        uint8 grey levels 0–255.
    flatten : bool
        Return each image as a row of 784 pixels, shape ``(n, 784)``; with ``False`` as
        ``(n, 28, 28)``.
    dtype : numpy dtype
        Floating dtype of the scaled pixels (float32 needs half the memory of float64).
    download : bool
        Allow downloading the files into the user cache.
    progress : bool
        Show a progress bar while downloading.

    Returns
    -------
    (X_train, y_train), (X_test, y_test) : tuple of numpy.ndarray
        Images, ``(60000, 784)`` and ``(10000, 784)`` by default, and their int64 labels.

    Raises
    ------
    FileNotFoundError
        If the files are not found (and may not be downloaded), or ``path`` lacks some of them.
    ValueError
        If a file is not valid IDX data, images and labels disagree in number, a download fails
        its checksum, or ``dtype`` is not floating while ``scale`` is true.
    ConnectionError
        If a download is needed and no mirror delivers.
    """
    return _load("fashion-mnist", path, scale, flatten, dtype, download, progress)


def load_mnist(
    path: str | os.PathLike | None = None,
    *,
    scale: bool = True,
    flatten: bool = True,
    dtype: Any = np.float32,
    download: bool = True,
    progress: bool = True,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Load MNIST, the handwritten digits of LeCun, Cortes & Burges, like Fashion-MNIST.

    60,000 training and 10,000 test images of 28×28 grey levels; label :math:`k` is the digit
    shown. No distribution package provides MNIST, so unless ``path``, ``$NEURONET_DATA`` or the
    cache hold the files they are downloaded from the first mirror in ``MIRRORS["mnist"]`` that
    answers. Parameters, returns and errors are those of :func:`load_fashion_mnist`.
    """
    return _load("mnist", path, scale, flatten, dtype, download, progress)
