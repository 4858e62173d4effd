"""Saving and loading networks, without pickle.

A saved :class:`~neuronet.network.MLP` is one ``.npz`` archive: the arrays ``W0, b0, W1, b1,
...`` and ``config``, a JSON description of the network (sizes, activations with their
parameters, cost, dtype) stored as a 0-d string array. Loading reads plain arrays and JSON only
(``allow_pickle=False``), so a model file can never run code.
"""

from __future__ import annotations

import inspect
import json
import zipfile
import zlib
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from neuronet.activations import ACTIVATIONS
from neuronet.costs import COSTS

if TYPE_CHECKING:
    from neuronet.network import MLP

__all__ = ["load", "save"]

_FORMAT = "neuronet.MLP"


def save(model: MLP, path: str | PathLike[str]) -> Path:
    """Save the weights and the configuration of ``model`` to a ``.npz`` file.

    Parameters
    ----------
    model : MLP
        The network.
    path : str or path-like
        Where to write; ``.npz`` is appended if the name does not end with it.

    Returns
    -------
    pathlib.Path
        The path of the file written.

    Raises
    ------
    ValueError
        If an activation or the cost is a custom class that cannot be described by name.
    """
    config = {
        "format": _FORMAT,
        "version": 1,
        "sizes": list(model.sizes),
        "activation": _describe(model.activation, ACTIVATIONS, "activation"),
        "output": _describe(model.output, ACTIVATIONS, "output activation"),
        "cost": _describe(model.cost, COSTS, "cost"),
        "dtype": model.dtype.name,
    }
    arrays = {}
    for i, layer in enumerate(model.layers):
        arrays[f"W{i}"] = layer.params["W"]
        arrays[f"b{i}"] = layer.params["b"]
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
    np.savez(path, config=np.array(json.dumps(config)), **arrays)
    return path


def load(path: str | PathLike[str], network: type[MLP]) -> MLP:
    """Load a network saved by :func:`save`, as an instance of the class ``network`` (an MLP).

    Raises
    ------
    ValueError
        If the file is not a ``.npz`` archive written by :func:`save`, is corrupt or truncated,
        or its arrays do not match its configuration. The message names the file; the file is
        closed in every case.
    """
    with open(path, "rb") as file:
        try:
            data = np.load(file, allow_pickle=False)
        except (ValueError, EOFError, OSError, zipfile.BadZipFile) as err:
            raise ValueError(f"{path} is not a neuronet model (.npz archive): {err}") from err
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise ValueError(f"{path} is a single .npy array, not a neuronet model (.npz archive)")
        with data:
            try:
                return _read(data, path, network)
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as err:
                raise ValueError(
                    f"{path} is not a readable neuronet model: the .npz archive is corrupt or "
                    f"truncated ({err})"
                ) from err


def _read(data: Any, path: Any, network: type[MLP]) -> MLP:
    """Build the network described by an open archive."""
    if "config" not in data.files:
        raise ValueError(
            f"{path} is not a neuronet model: it has no 'config' entry "
            f"(entries: {', '.join(data.files) or 'none'}); save models with MLP.save"
        )
    try:
        config = json.loads(str(data["config"][()]))
    except (ValueError, TypeError) as err:
        raise ValueError(f"{path}: the 'config' entry is not valid JSON ({err})") from err
    if not isinstance(config, dict) or config.get("format") != _FORMAT:
        raise ValueError(f"{path} is not a neuronet model (config format is not MLP)")
    try:
        model = network(
            config["sizes"],
            activation=_rebuild(config["activation"], ACTIVATIONS),
            output=_rebuild(config["output"], ACTIVATIONS),
            cost=_rebuild(config["cost"], COSTS),
            dtype=config["dtype"],
        )
    except (KeyError, TypeError) as err:
        raise ValueError(f"{path}: incomplete or invalid model config ({err!r})") from err
    for i, layer in enumerate(model.layers):
        for key in ("W", "b"):
            entry = f"{key}{i}"
            if entry not in data.files:
                raise ValueError(f"{path} is missing the array {entry!r}")
            value = data[entry]
            if value.shape != layer.params[key].shape:
                raise ValueError(
                    f"{path}: array {entry!r} has shape {value.shape}, expected "
                    f"{layer.params[key].shape} from the saved sizes {model.sizes}"
                )
            layer.params[key][...] = value
    return model


def _describe(obj: Any, registry: dict[str, type], kind: str) -> dict[str, Any]:
    """Name and constructor arguments of a registry object, for the JSON config."""
    cls = registry.get(getattr(obj, "name", None))
    if cls is None or type(obj) is not cls:
        raise ValueError(
            f"cannot save a custom {kind} ({type(obj).__name__}); only the built-in ones "
            f"({', '.join(sorted(registry))}) can be described in the file"
        )
    description: dict[str, Any] = {"name": obj.name}
    for param in inspect.signature(cls).parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        if not hasattr(obj, param.name):
            raise ValueError(
                f"cannot save {kind} {obj.name!r}: its parameter {param.name!r} is not stored"
            )
        value = getattr(obj, param.name)
        description[param.name] = value.item() if isinstance(value, np.generic) else value
    return description


def _rebuild(description: dict[str, Any], registry: dict[str, type]) -> Any:
    params = dict(description)
    name = params.pop("name")
    if name not in registry:
        raise ValueError(f"unknown name {name!r} in the saved config")
    return registry[name](**params)
