#!/usr/bin/env bash
# The main job on the bundled encoder example: check it, show its costs, run it on random inputs.
set -euo pipefail
cd "$(dirname "$0")/.."
model=examples/encoder/tiny_encoder.model
echo "== lathe check $model"; ./lathe check "$model"
echo; echo "== lathe info $model --dim B=1 --dim S=128"; ./lathe info "$model" --dim B=1 --dim S=128
echo; echo "== lathe run $model --random --seed 1 --dim B=1 --dim S=16"; ./lathe run "$model" --random --seed 1 --dim B=1 --dim S=16 --out target/demo
