#!/usr/bin/env bash
# Chapter 9's Decision Transformer promises, at full budget on the release binary:
#   decision-transformer (defaults)   achieved_return_high > achieved_return_low at seeds 1, 2
#                                     and 3 (mean return of 20 patients asked for the 90th and
#                                     the 25th percentile of the recorded returns, final model)
#                                     and normalized_return_high >= 0.8 at each seed
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch9-dt: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

echo "== ch9-dt promises ($bin)"
for seed in 1 2 3; do
  json="$("$bin" run decision-transformer --seed "$seed" --json 2>/dev/null)" || { echo "ch9-dt: FAIL run at seed $seed exited $?"; exit 1; }
  python3 - "$seed" "$json" <<'PY'
import json, sys
seed, run = sys.argv[1], json.loads(sys.argv[2])
series = {s["name"]: s["values"] for s in run["metrics"]["series"]}
scalars = {s["name"]: s["value"] for s in run["metrics"].get("scalars", [])}
low, high = series["achieved_return_low"][-1], series["achieved_return_high"][-1]
norm, loss = series["normalized_return_high"][-1], series["train_loss"][-1]
ok = high > low and norm >= 0.8
print(f"  {'ok  ' if ok else 'FAIL'} decision-transformer (seed {seed}): asked {scalars['target_low']:.2f} -> {low:.2f}, "
      f"asked {scalars['target_high']:.2f} -> {high:.2f}, normalized_return_high {norm:.3f}, train_loss {loss:.3f}, "
      f"{run['steps']} steps in {run['seconds']:.2f} s; want high > low and normalized >= 0.8")
sys.exit(0 if ok else 1)
PY
done
echo "ch9-dt promises: all kept in $((SECONDS - started)) s"
