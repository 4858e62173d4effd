#!/usr/bin/env bash
# Create the virtual environment .venv and install everything the course needs into it:
# the Python packages pinned in requirements.txt (neuronet included, editable) and the
# pinned JavaScript assets the self-contained book serves (book/package-lock.json).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -r requirements.txt
.venv/bin/python -m ipykernel install --sys-prefix --name python3 >/dev/null
if [ -f book/package-lock.json ]; then
    npm ci --prefix book --no-audit --no-fund --silent
fi
echo "setup done: .venv ($(.venv/bin/python --version))"
