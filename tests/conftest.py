"""Shared test set-up."""

import pytest


@pytest.fixture(autouse=True)
def learner_mode_checks(monkeypatch):
    """Unit tests see the exercise checks as learners do: hints, never errors.

    The test command sets NEURONET_STRICT_CHECKS for the lesson notebooks (a failing solution
    must fail there); tests of the checks themselves need the learner's behaviour, and the one
    test of strict mode sets the variable itself.
    """
    monkeypatch.delenv("NEURONET_STRICT_CHECKS", raising=False)
