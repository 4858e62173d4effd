"""The matmul work that benchmarks/train_speed.py counts for an epoch of training."""

import importlib.util
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "train_speed.py"
_spec = importlib.util.spec_from_file_location("train_speed", _PATH)
train_speed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(train_speed)


def test_model_flops_are_three_forward_passes():
    forward = 2 * (784 * 256 + 256 * 128 + 128 * 10)
    assert train_speed.epoch_flops(1) == 3 * forward
    assert train_speed.epoch_flops(60_000) == pytest.approx(84.5e9, rel=1e-3)


def test_executed_flops_skip_the_first_input_gradient():
    skipped = 2 * 784 * 256
    assert train_speed.epoch_flops(10, executed=True) == train_speed.epoch_flops(10) - 10 * skipped
