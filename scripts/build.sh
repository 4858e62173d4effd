#!/usr/bin/env bash
# The main command: set up the environment, then build the book strictly from a clean
# _build folder (every lesson is executed). Open _build/html/index.html when it is done.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash book/build.sh
echo "book built: open $(pwd)/_build/html/index.html"
