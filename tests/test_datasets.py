"""Tests for neuronet.data.datasets: IDX files, locating, downloading, and the real Fashion-MNIST.

The IDX files are written by a small writer in this file (independent of the reader), downloads
come from an HTTP server on 127.0.0.1 run in a thread, and the real data set is only read when
Debian's dataset-fashion-mnist package is installed.
"""

import gzip
import hashlib
import http.server
import struct
import threading
from functools import partial
from pathlib import Path

import numpy as np
import pytest

from neuronet.data import (
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

STEMS = [
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
]
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")

# ------------------------------------------------------------------------------ an IDX writer

TYPE_CODES = {"uint8": 0x08, "int8": 0x09, "int16": 0x0B, "int32": 0x0C, "float32": 0x0D,
              "float64": 0x0E}  # fmt: skip


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of ``array``: magic, big-endian dimensions, big-endian data."""
    header = bytes([0, 0, TYPE_CODES[array.dtype.name], array.ndim])
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def write(path: Path, data: bytes, compress: bool) -> Path:
    path.write_bytes(gzip.compress(data, mtime=0) if compress else data)
    return path


def make_split(n: int, seed: int, fill: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    images = rng.integers(0, 256, size=(n, 4, 4), dtype=np.uint8)
    if fill is not None:
        images[:] = fill
    return images, rng.integers(0, 10, size=n, dtype=np.uint8)


def make_dataset(directory: Path, fill: int | None = None, compress: bool = True) -> dict:
    """Write a tiny data set (6 training and 3 test images of 4x4) and return its arrays."""
    directory.mkdir(parents=True, exist_ok=True)
    arrays = {}
    for split, n, seed in (("train", 6, 0), ("t10k", 3, 1)):
        images, labels = make_split(n, seed, fill)
        arrays[f"{split}-images-idx3-ubyte"], arrays[f"{split}-labels-idx1-ubyte"] = images, labels
    for stem, array in arrays.items():
        write(directory / (f"{stem}.gz" if compress else stem), idx_bytes(array), compress)
    return arrays


# ---------------------------------------------------------------------------------- read_idx


@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_round_trip(tmp_path, compress):
    images = np.random.default_rng(0).integers(0, 256, size=(5, 3, 2), dtype=np.uint8)
    path = write(tmp_path / "images.idx", idx_bytes(images), compress)
    result = read_idx(path)
    assert result.dtype == np.uint8 and result.shape == (5, 3, 2)
    np.testing.assert_array_equal(result, images)
    result[0, 0, 0] = 1  # the array is writable


@pytest.mark.parametrize("dtype", ["int8", "int16", "int32", "float32", "float64"])
def test_read_idx_every_type_code(tmp_path, dtype):
    values = np.array([[-3, 0, 1], [2, -120, 100]], dtype=dtype)
    if dtype.startswith("float"):
        values = values / 7
    path = write(tmp_path / "values.idx.gz", idx_bytes(values), compress=True)
    result = read_idx(path)
    assert result.dtype == np.dtype(dtype) and result.dtype.isnative
    np.testing.assert_array_equal(result, values)


def test_read_idx_header_by_hand(tmp_path):
    # Magic 00 00 08 01, one dimension of size 3, then the bytes 7, 8, 9.
    path = write(tmp_path / "labels", b"\x00\x00\x08\x01\x00\x00\x00\x03\x07\x08\x09", False)
    np.testing.assert_array_equal(read_idx(path), [7, 8, 9])


@pytest.mark.parametrize(
    ("head", "shown"),
    [
        (b"\x00\x01\x08\x01", "00 01 08 01"),
        (b"\x00\x00\x0a\x01", "00 00 0a 01"),  # 0x0A is not a type code
        (b"\x00\x00\x08\x00", "00 00 08 00"),  # no dimensions
        (b"P5\n2", "50 35 0a 32"),
        (b"\x00", "00"),
    ],
    ids=["nonzero-start", "code-0x0A", "zero-dims", "pgm", "one-byte"],
)
def test_read_idx_wrong_magic(tmp_path, head, shown):
    path = write(tmp_path / "bad.idx", head + b"\x00\x00\x00\x01\x05", compress=False)
    with pytest.raises(
        ValueError, match=rf"bad\.idx is not an IDX file: .* found the bytes {shown}"
    ):
        read_idx(path)


@pytest.mark.parametrize("compress", [True, False])
def test_read_idx_truncated_data(tmp_path, compress):
    data = idx_bytes(np.zeros((4, 4, 4), dtype=np.uint8))  # 16 header bytes + 64 data bytes
    path = write(tmp_path / "short.idx", data[:-10], compress)
    with pytest.raises(ValueError, match=r"short\.idx is truncated: .* need 64 bytes but only 54"):
        read_idx(path)


def test_read_idx_truncated_dimensions(tmp_path):
    path = write(tmp_path / "dims.idx", b"\x00\x00\x08\x03\x00\x00\x00\x02\x00", compress=False)
    with pytest.raises(ValueError, match="dimensions need 12 bytes but only 5"):
        read_idx(path)


def test_read_idx_truncated_gzip_stream(tmp_path):
    data = idx_bytes(np.random.default_rng(0).integers(0, 256, size=(50, 8, 8), dtype=np.uint8))
    packed = gzip.compress(data, mtime=0)
    cut = write(tmp_path / "cut.gz", packed[: len(packed) // 2], compress=False)
    with pytest.raises(
        ValueError, match=r"cut\.gz: truncated gzip stream: .* of the 3200 bytes expected"
    ):
        read_idx(cut)
    # Only the 8-byte trailer (CRC and length) missing: all the data are there, the end is not.
    no_trailer = write(tmp_path / "trailer.gz", packed[:-8], compress=False)
    with pytest.raises(ValueError, match=r"trailer\.gz: truncated gzip stream: all 3200 data"):
        read_idx(no_trailer)


def test_read_idx_corrupt_gzip_and_extra_bytes(tmp_path):
    data = idx_bytes(np.arange(20, dtype=np.uint8))
    packed = bytearray(gzip.compress(data, mtime=0))
    packed[-8] ^= 0xFF  # damage the CRC
    with pytest.raises(ValueError, match=r"crc\.gz: corrupt gzip data"):
        read_idx(write(tmp_path / "crc.gz", bytes(packed), compress=False))
    with pytest.raises(ValueError, match="has 3 byte.s. after the 20 data bytes"):
        read_idx(write(tmp_path / "long.idx", data + b"abc", compress=False))


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_idx(tmp_path / "nothing.gz")


# ---------------------------------------------------------------------------- loading a set


def test_load_tiny_dataset(tmp_path):
    arrays = make_dataset(tmp_path / "mnist")
    (X_train, y_train), (X_test, y_test) = load_mnist(tmp_path / "mnist", download=False)
    assert X_train.shape == (6, 16) and X_test.shape == (3, 16) and X_train.dtype == np.float32
    np.testing.assert_allclose(
        X_train, arrays["train-images-idx3-ubyte"].reshape(6, 16) / 255.0, rtol=1e-6
    )
    assert y_train.dtype == np.int64
    np.testing.assert_array_equal(y_train, arrays["train-labels-idx1-ubyte"])
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])


def test_load_options(tmp_path):
    arrays = make_dataset(tmp_path, compress=False)
    (X, _), _ = load_fashion_mnist(tmp_path, scale=False, flatten=False)
    assert X.dtype == np.uint8
    np.testing.assert_array_equal(X, arrays["train-images-idx3-ubyte"])
    (X, _), _ = load_fashion_mnist(tmp_path, dtype=np.float64)
    assert X.dtype == np.float64 and X.min() >= 0 and X.max() <= 1
    with pytest.raises(ValueError, match="dtype must be a floating type"):
        load_fashion_mnist(tmp_path, dtype=np.int32)


def test_image_and_label_counts_must_agree(tmp_path):
    make_dataset(tmp_path)
    write(
        tmp_path / "t10k-labels-idx1-ubyte.gz",
        idx_bytes(np.zeros(2, dtype=np.uint8)),
        compress=True,
    )
    with pytest.raises(ValueError, match="holds 3 images but .*t10k-labels.* holds 2 labels"):
        load_mnist(tmp_path)


# ---------------------------------------------------------------------------------- locating


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """No data anywhere: a fresh HOME, no XDG_CACHE_HOME or NEURONET_DATA, an empty system
    directory, and mirrors that refuse connections (so nothing can reach the internet)."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("NEURONET_DATA", raising=False)
    monkeypatch.setitem(SYSTEM_DIRS, "fashion-mnist", tmp_path / "system" / "fashion-mnist")
    for name in ("fashion-mnist", "mnist"):
        monkeypatch.setitem(MIRRORS, name, ["http://127.0.0.1:9/"])
    monkeypatch.setenv("no_proxy", "*")
    return tmp_path


def test_cache_dir_follows_xdg(isolated, monkeypatch):
    assert cache_dir("mnist") == isolated / "home" / ".cache" / "neuronet" / "mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", str(isolated / "xdg"))
    assert cache_dir("fashion-mnist") == isolated / "xdg" / "neuronet" / "fashion-mnist"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # ignored, as the XDG spec says
    assert cache_dir("mnist") == isolated / "home" / ".cache" / "neuronet" / "mnist"
    with pytest.raises(ValueError, match="unknown data set 'cifar'.*fashion-mnist, mnist"):
        cache_dir("cifar")


def test_locate_order_path_env_cache_system(isolated, monkeypatch):
    explicit = isolated / "explicit"
    env_root = isolated / "env"
    cache = isolated / "home" / ".cache" / "neuronet" / "fashion-mnist"
    system = SYSTEM_DIRS["fashion-mnist"]
    for fill, directory in enumerate([explicit, env_root / "fashion-mnist", cache, system]):
        make_dataset(directory, fill=fill)
    monkeypatch.setenv("NEURONET_DATA", str(env_root))

    assert locate_dataset("fashion-mnist", explicit, download=False) == explicit
    assert locate_dataset("fashion-mnist", download=False) == env_root / "fashion-mnist"
    monkeypatch.delenv("NEURONET_DATA")
    assert locate_dataset("fashion-mnist", download=False) == cache
    for stem in STEMS[:1]:
        (cache / f"{stem}.gz").unlink()  # an incomplete cache is skipped
    assert locate_dataset("fashion-mnist", download=False) == system
    # The loader reads from the location found: the system copy was filled with 3.
    (X, _), _ = load_fashion_mnist(scale=False, download=False)
    np.testing.assert_array_equal(X, 3)


def test_env_var_may_hold_the_files_directly(isolated, monkeypatch):
    make_dataset(isolated / "flat", compress=False)
    monkeypatch.setenv("NEURONET_DATA", str(isolated / "flat"))
    assert locate_dataset("mnist", download=False) == isolated / "flat"


def test_explicit_path_with_missing_files_does_not_fall_back(isolated):
    make_dataset(SYSTEM_DIRS["fashion-mnist"])
    partial_dir = isolated / "partial"
    make_dataset(partial_dir)
    (partial_dir / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(FileNotFoundError, match="missing in .*partial: t10k-images-idx3-ubyte.gz"):
        locate_dataset("fashion-mnist", partial_dir)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_fashion_mnist(isolated / "nowhere")


def test_nothing_found_without_download_explains_where_and_how(isolated):
    with pytest.raises(FileNotFoundError) as info:
        load_fashion_mnist(download=False)
    message = str(info.value)
    assert "$NEURONET_DATA is not set" in message
    assert str(isolated / "home" / ".cache" / "neuronet" / "fashion-mnist") in message
    assert str(SYSTEM_DIRS["fashion-mnist"]) in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "download=True" in message
    with pytest.raises(FileNotFoundError, match="MNIST not found") as info:
        load_mnist(download=False)
    assert "apt-get" not in str(info.value)


# -------------------------------------------------------------------------------- downloading


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    requests: list[str] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        QuietHandler.requests.append(self.path)
        super().do_GET()


@pytest.fixture
def server(isolated):
    """Serve ``isolated / "www"`` on 127.0.0.1; yield (folder, base URL)."""
    root = isolated / "www"
    root.mkdir()
    QuietHandler.requests = []
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), partial(QuietHandler, directory=str(root))
    )
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}/mirror/"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


def serve_dataset(root: Path, monkeypatch, name: str) -> tuple[dict, dict]:
    """Put a tiny data set on the server and make CHECKSUMS describe it."""
    arrays = make_dataset(root / "mirror")
    files = {f"{stem}.gz": (root / "mirror" / f"{stem}.gz").read_bytes() for stem in STEMS}
    sums = {filename: hashlib.sha256(data).hexdigest() for filename, data in files.items()}
    monkeypatch.setitem(CHECKSUMS, name, sums)
    return arrays, files


def test_download_into_the_cache(server, monkeypatch, isolated):
    root, base = server
    arrays, files = serve_dataset(root, monkeypatch, "mnist")
    monkeypatch.setitem(MIRRORS, "mnist", [base])
    (X_train, y_train), (X_test, y_test) = load_mnist(progress=False)
    np.testing.assert_array_equal(y_test, arrays["t10k-labels-idx1-ubyte"])
    np.testing.assert_allclose(X_test * 255, arrays["t10k-images-idx3-ubyte"].reshape(3, 16))
    cache = isolated / "home" / ".cache" / "neuronet" / "mnist"
    assert sorted(p.name for p in cache.iterdir()) == sorted(files)  # no temporary files left
    for filename, data in files.items():
        assert (cache / filename).read_bytes() == data
    assert len(QuietHandler.requests) == 4
    load_mnist(progress=False)  # found in the cache now: no new request
    assert len(QuietHandler.requests) == 4


def test_download_tries_mirrors_in_order(server, monkeypatch, isolated):
    root, base = server
    serve_dataset(root, monkeypatch, "fashion-mnist")
    monkeypatch.setitem(MIRRORS, "fashion-mnist", [base + "absent/", base])
    target = locate_dataset("fashion-mnist", progress=True)  # with the progress bar
    assert target == isolated / "home" / ".cache" / "neuronet" / "fashion-mnist"
    first_two = QuietHandler.requests[:2]
    assert first_two == ["/mirror/absent/train-images-idx3-ubyte.gz",
                         "/mirror/train-images-idx3-ubyte.gz"]  # fmt: skip


def test_corrupted_download_is_rejected_and_nothing_is_kept(server, monkeypatch, isolated):
    root, base = server
    _, files = serve_dataset(root, monkeypatch, "mnist")
    monkeypatch.setitem(MIRRORS, "mnist", [base])
    # The last file fetched is damaged after its checksum was published.
    damaged = bytearray(files["t10k-labels-idx1-ubyte.gz"])
    damaged[20] ^= 0x01
    (root / "mirror" / "t10k-labels-idx1-ubyte.gz").write_bytes(damaged)
    expected = CHECKSUMS["mnist"]["t10k-labels-idx1-ubyte.gz"]
    actual = hashlib.sha256(damaged).hexdigest()
    with pytest.raises(
        ValueError,
        match=rf"checksum mismatch for t10k-labels-idx1-ubyte\.gz .* expected SHA-256 {expected}, "
        rf"got {actual}",
    ):
        load_mnist(progress=False)
    assert len(QuietHandler.requests) == 4
    assert list((isolated / "home").rglob("*")) == []  # not even an empty cache folder


def test_download_keeps_files_already_present(server, monkeypatch, isolated):
    root, base = server
    _, files = serve_dataset(root, monkeypatch, "mnist")
    monkeypatch.setitem(MIRRORS, "mnist", [base])
    target = isolated / "target"
    target.mkdir()
    (target / "train-images-idx3-ubyte.gz").write_bytes(files["train-images-idx3-ubyte.gz"])
    assert download_dataset("mnist", target, progress=False) == target
    assert sorted(QuietHandler.requests) == sorted(f"/mirror/{stem}.gz" for stem in STEMS[1:])


def test_all_mirrors_failing(server, monkeypatch, isolated):
    _, base = server
    monkeypatch.setitem(MIRRORS, "mnist", [base + "a/", base + "b/"])
    with pytest.raises(ConnectionError, match=r"a/train-images-idx3-ubyte\.gz: HTTP Error 404.*b/"):
        load_mnist(progress=False)
    assert list((isolated / "home").rglob("*")) == []


# ------------------------------------------------------------------------- the real data set

needs_debian = pytest.mark.skipif(
    not DEBIAN_DIR.is_dir(),
    reason="Debian's dataset-fashion-mnist is not installed (/usr/share/datasets/fashion-mnist)",
)

# MD5 sums of the official files, from the table in the zalandoresearch/fashion-mnist README.
README_MD5 = {
    "train-images-idx3-ubyte.gz": "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
    "train-labels-idx1-ubyte.gz": "25c81989df183df01b3e8a0aad5dffbe",
    "t10k-images-idx3-ubyte.gz": "bef4ecab320f06d8554ea6380940ec79",
    "t10k-labels-idx1-ubyte.gz": "bb300cfdad3c16e7a12a480ee83cd310",
}
# Debian rewrote the gzip headers (file name dropped, time stamp normalised). The official files
# carry their name and these time stamps (2017-08-31), found by matching the README's MD5s.
OFFICIAL_MTIME = {"train": 1504176606, "t10k": 1504176627}


@needs_debian
@pytest.mark.parametrize("filename", sorted(README_MD5))
def test_published_checksums_match_the_debian_data(filename):
    debian = (DEBIAN_DIR / filename).read_bytes()
    assert debian[:4] == b"\x1f\x8b\x08\x00"  # deflate, no optional header fields
    stem = filename.removesuffix(".gz")
    header = b"\x1f\x8b\x08\x08" + struct.pack("<I", OFFICIAL_MTIME[stem[:5].rstrip("-")])
    official = header + debian[8:10] + stem.encode() + b"\x00" + debian[10:]
    assert hashlib.md5(official).hexdigest() == README_MD5[filename]
    assert hashlib.sha256(official).hexdigest() == CHECKSUMS["fashion-mnist"][filename]


@pytest.fixture(scope="module")
def fashion():
    if not DEBIAN_DIR.is_dir():
        pytest.skip("Debian's dataset-fashion-mnist is not installed")
    return load_fashion_mnist(DEBIAN_DIR, download=False)


@needs_debian
def test_real_fashion_mnist_shapes_and_labels(fashion):
    (X_train, y_train), (X_test, y_test) = fashion
    assert X_train.shape == (60000, 784) and X_test.shape == (10000, 784)
    assert X_train.dtype == X_test.dtype == np.float32
    assert X_train.min() == 0.0 and X_train.max() == 1.0
    assert y_train.dtype == np.int64
    np.testing.assert_array_equal(np.bincount(y_train), [6000] * 10)
    np.testing.assert_array_equal(np.bincount(y_test), [1000] * 10)


@needs_debian
def test_real_fashion_mnist_pixels_are_grey_levels_over_255(fashion):
    (_, _), (X_test, _) = fashion
    raw = read_idx(DEBIAN_DIR / "t10k-images-idx3-ubyte.gz")
    assert raw.shape == (10000, 28, 28) and raw.dtype == np.uint8
    np.testing.assert_array_equal(X_test, raw.reshape(10000, 784).astype(np.float32) / 255)


def test_class_names():
    # The label table of the zalandoresearch/fashion-mnist README.
    assert FASHION_MNIST_CLASSES == (
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    )  # fmt: skip
