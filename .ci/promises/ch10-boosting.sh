#!/usr/bin/env bash
# Chapter 10's boosting-beats and linear-sgd rows, at their default budgets on the release binary
# (Lessons/10-map.md, "Classification, measured: boosting on the samples" and "Regression,
# measured: the line by SGD"):
#   boosting --set task=beats (200 rounds)     test_accuracy 0.817 at seed 42 (within 0.02), the
#                                              same at seed 1 (boosting draws no random numbers),
#                                              below the MLP's 0.90 there, and train_accuracy 1
#   boosting --set task=regress model=sgd lr=0.03 (300 steps)
#                                              test_rmse within 5% of least squares' (model=linear),
#                                              at seeds 1, 2, 3 and 42, and never below it by more
#                                              than 0.5%
# Prints the figures and each run's seconds; exits 1 if any promise is broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch10-boosting: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

# last SEED STEPS METRIC SETTING...: "VALUE SECONDS" of a headless boosting run.
last() {
  local seed=$1 steps=$2 metric=$3; shift 3
  local sets=()
  for s in "$@"; do sets+=(--set "$s"); done
  "$bin" run boosting --seed "$seed" --steps "$steps" "${sets[@]}" --json 2>/dev/null | python3 -c "
import json, sys
run = json.load(sys.stdin)
series = {s['name']: s['values'] for s in run['metrics']['series']}
print(series['$metric'][-1], run['seconds'])"
}

echo "== ch10 boosting promises ($bin)"
broken=0
check() { # DESCRIPTION PYTHON-CONDITION
  if python3 -c "import sys; sys.exit(0 if ($2) else 1)"; then echo "  ok   $1"; else echo "  FAIL $1"; broken=1; fi
}

read -r acc42 secs42 <<<"$(last 42 200 test_accuracy task=beats model=trees)"
read -r train42 _ <<<"$(last 42 200 train_accuracy task=beats model=trees)"
read -r acc1 secs1 <<<"$(last 1 200 test_accuracy task=beats model=trees)"
check "boosting beats seed 42: test_accuracy $acc42 ($secs42 s), want 0.817 +- 0.02 and below the MLP's 0.90" \
  "abs($acc42 - 0.817) <= 0.02 and $acc42 < 0.90"
check "boosting beats seed 42: train_accuracy $train42, want 1 (the trees memorise the training beats)" "$train42 == 1"
check "boosting beats seed 1: test_accuracy $acc1 ($secs1 s), want the same as seed 42's" "$acc1 == $acc42"

for seed in 1 2 3 42; do
  read -r ols _ <<<"$(last "$seed" 1 test_rmse task=regress model=linear)"
  read -r sgd secs <<<"$(last "$seed" 300 test_rmse task=regress model=sgd lr=0.03)"
  check "linear sgd seed $seed: test_rmse $sgd ($secs s) vs least squares $ols, want within 5% and not below by 0.5%" \
    "$sgd <= $ols * 1.05 and $sgd >= $ols * 0.995"
done
[ "$broken" = 0 ] || { echo "ch10-boosting: FAIL"; exit 1; }
echo "ch10 boosting promises: all kept in $((SECONDS - started)) s"
