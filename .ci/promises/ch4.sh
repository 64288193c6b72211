#!/usr/bin/env bash
# Chapter 4's promises, at full budget on the release binary (seed 42, as the lesson quotes):
#   cnn-ecg                  test_accuracy >= 0.95 within its 800 steps
#   cnn-ecg  --set shift=30  test_accuracy >= 0.90 within the same 800 steps
#   mlp-ecg  --set shift=30  test_accuracy <  0.50 after its 400 steps (the comparison's other side)
#   cnn-range                test_accuracy <= 0.65 after its 600 steps (chance is 0.5)
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch4: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

# check NAME STEPS PYTHON-CONDITION -- RUN-ARGS...: runs the lab, then evaluates the condition
# on `final` (the last test_accuracy), `best` (the highest) and `first95` (the first test step
# at or above 0.95, or None).
check() {
  local name="$1" steps="$2" condition="$3"; shift 4
  local json
  json="$("$bin" run "$@" --steps "$steps" --seed 42 --json 2>/dev/null)" || { echo "ch4: FAIL $name: run $* exited $?"; exit 1; }
  python3 - "$name" "$condition" "$json" <<'PY'
import json, sys
name, condition, text = sys.argv[1], sys.argv[2], sys.argv[3]
run = json.loads(text)
series = {s["name"]: s["values"] for s in run["metrics"]["series"]}
accuracy, at = series["test_accuracy"], series["test_step"]
final, best = accuracy[-1], max(accuracy)
first95 = next((int(s) for s, a in zip(at, accuracy) if a >= 0.95), None)
scalars = {s["name"]: s["value"] for s in run["metrics"]["scalars"]}
ok = eval(condition, {}, {"final": final, "best": best, "first95": first95})
print(f"  {'ok  ' if ok else 'FAIL'} {name}: test_accuracy {final:.3f} at step {int(at[-1])} (best {best:.3f}, first >= 0.95 at "
      f"{first95}), {run['steps']} steps in {run['seconds']:.1f} s; {scalars}; want {condition}")
sys.exit(0 if ok else 1)
PY
}

echo "== ch4 promises ($bin)"
check cnn-ecg 800 "first95 is not None and final >= 0.95" -- cnn-ecg
check cnn-ecg-shift30 800 "final >= 0.90" -- cnn-ecg --set shift=30
check mlp-ecg-shift30 400 "final < 0.50" -- mlp-ecg --set shift=30
check cnn-range 600 "final <= 0.65" -- cnn-range
echo "ch4 promises: all kept in $((SECONDS - started)) s"
