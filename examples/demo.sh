#!/usr/bin/env bash
# The main job on the bundled digits model (a 64-128-64-10 MLP the build trains on the UCI digits):
# check it, compress it with a low-rank pass and report the error that introduces, compile it to a
# JVM class, run the compiled model on the test set, and time it against the reference interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
model=examples/digits/digits.model
pass='lowrank(energy = 0.95) on "fc*.weight"'
data=(--in x=examples/digits/test_x.npy)
step() { echo; echo "== lathe $*"; }
mkdir -p target/demo

step check "$model"
./lathe check "$model"

step report "$model" --pass "'$pass'" --calibration examples/digits/test_x.npy --labels examples/digits/test_y.npy
./lathe report "$model" --pass "$pass" --calibration examples/digits/test_x.npy --labels examples/digits/test_y.npy --json target/demo/report.json

step compile "$model" --pass "'$pass'" --out target/demo/digits
./lathe compile "$model" --pass "$pass" --out target/demo/digits

step run "$model" --pass "'$pass'" --backend jvm --graph accuracy "${data[@]}" --in y=examples/digits/test_y.npy
./lathe run "$model" --pass "$pass" --backend jvm --graph accuracy "${data[@]}" --in y=examples/digits/test_y.npy

# 300 warm-up calls: with 20, the compiled model was still partly interpreted by the JVM and timed at
# 2.6 ms instead of 0.19 (the interpreter 1.3 ms either way).
for backend in interp jvm; do
  step bench "$model" --pass "'$pass'" --backend "$backend" "${data[@]}" --warmup 300 --runs 200
  ./lathe bench "$model" --pass "$pass" --backend "$backend" "${data[@]}" --warmup 300 --runs 200 | tail -1
done
