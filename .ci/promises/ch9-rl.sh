#!/usr/bin/env bash
# Chapter 9's reinforcement-learning promises, at full budget on the release binary:
#   q-table (chain, defaults)          max_q_error < 0.05 at the end of its 2000 steps (100,000
#                                      episodes), at seeds 1, 2 and 3
#   q-table --set step_decay=1         max_q_error > 0.05 after the same budget (1/visits, the
#                                      lesson's limitation), at seed 1
#   q-table --set discount=0.2         the greedy policy turns toward the near reward: the
#                                      episode return falls below 5 (it is about 8 at 0.9)
#   q-table --set env=dosing           the greedy doses of the binned table reach normalized_return
#                                      >= 0.8 (random 0, the clinician's rule 1) at the end of the
#                                      same budget, at seeds 1, 2, 3 and 42
# ppo: ch9-ppo.sh. decision-transformer: ch9-dt.sh.
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch9-rl: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

# check NAME SEED PYTHON-CONDITION -- RUN-ARGS...: runs the lab at full budget, then evaluates
# the condition on `error` (the last max_q_error; nan on dosing, which has none), `ret` (the
# mean episode_return of the last 100 steps) and `norm` (the last normalized_return; nan on
# the chain).
check() {
  local name="$1" seed="$2" condition="$3"; shift 4
  local json
  json="$("$bin" run "$@" --steps 2000 --seed "$seed" --json 2>/dev/null)" || { echo "ch9-rl: FAIL $name: run $* exited $?"; exit 1; }
  python3 - "$name" "$seed" "$condition" "$json" <<'PY'
import json, sys
name, seed, condition, text = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
run = json.loads(text)
series = {s["name"]: s["values"] for s in run["metrics"]["series"]}
error = series.get("max_q_error", [float("nan")])[-1]
norm = series.get("normalized_return", [float("nan")])[-1]
returns = series["episode_return"][-100:]
ret = sum(returns) / len(returns)
ok = eval(condition, {}, {"error": error, "ret": ret, "norm": norm})
print(f"  {'ok  ' if ok else 'FAIL'} {name} (seed {seed}): max_q_error {error:.4f}, normalized_return {norm:.3f}, "
      f"episode_return {ret:.2f} (last 100 steps), "
      f"{run['steps']} steps in {run['seconds']:.2f} s; want {condition}")
sys.exit(0 if ok else 1)
PY
}

echo "== ch9-rl promises ($bin)"
for seed in 1 2 3; do
  check q-table "$seed" "error < 0.05" -- q-table
done
check q-table-one-over-visits 1 "error > 0.05" -- q-table --set step_decay=1
check q-table-discount-0.2 1 "ret < 5" -- q-table --set discount=0.2
check q-table-discount-0.9 1 "ret > 7" -- q-table
for seed in 1 2 3 42; do
  check q-table-dosing "$seed" "norm >= 0.8" -- q-table --set env=dosing
done
echo "ch9-rl promises: all kept in $((SECONDS - started)) s"
