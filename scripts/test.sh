#!/usr/bin/env bash
# Run every test: lint, the unit tests of neuronet, every lesson notebook under nbval, and the
# checks of the built book (those are skipped if the book was not built; CI builds it first and
# sets NEURONET_REQUIRE_BOOK=1 so that a missing book fails instead).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
    echo "no .venv here: run 'bash scripts/build.sh' (or 'bash scripts/setup.sh') first" >&2
    exit 1
fi
export MPLBACKEND=Agg
# A lesson whose own exercise solution fails its check fails the test (neuronet.course.checks).
export NEURONET_STRICT_CHECKS=1
# Two test workers share the two cores: one BLAS thread each, or OpenBLAS threads that wait for
# each other make training in the lessons many times slower.
export OMP_NUM_THREADS=1
.venv/bin/ruff check src tests benchmarks lessons book/_ext
.venv/bin/ruff format --check src tests benchmarks book/_ext
.venv/bin/python -m pytest -n 2 --dist loadfile --nbval-lax --nbval-current-env tests lessons "$@"
