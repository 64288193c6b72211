#!/usr/bin/env bash
# Chapter 7b-c's promises (graph neural networks, gradient-boosted trees), at full budget on the
# release binary:
#   gnn-leads (600 steps, seed 42)                             test_accuracy >= 0.90
#   gnn-leads --set relabel=on                                 relabel_max_diff < 1e-5
#   gnn-leads --set model=mlp, relabel off then on             test_accuracy drops by >= 0.20
#   boosting --set task=regress (200 rounds, depth 4, lr 0.1)   test_rmse below the MLP's
#            (model=mlp, its 2,000 steps) at seeds 1, 2 and 3
#   boosting (classify, 200 rounds)                          train_loss never rises round by round
#   boosting --set depth=6                                   test_loss printed (docs/benchmarks.md
#                                                            compares it with xgboost's)
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch7-gnn-boost: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

# run LAB SEED STEPS SET...: the run's JSON on stdout.
run() {
  local lab="$1" seed="$2" steps="$3"; shift 3
  local sets=()
  for s in "$@"; do sets+=(--set "$s"); done
  "$bin" run "$lab" --seed "$seed" --steps "$steps" ${sets[@]+"${sets[@]}"} --json 2>/dev/null \
    || { echo "ch7-gnn-boost: FAIL run $lab --seed $seed ${sets[*]-} exited $?" >&2; exit 1; }
}

# last JSON METRIC: the metric's latest value (a scalar, else the series' last point).
last() {
  python3 -c '
import json, sys
run = json.loads(sys.argv[1]); name = sys.argv[2]
scalars = {s["name"]: s["value"] for s in run["metrics"]["scalars"]}
series = {s["name"]: s["values"] for s in run["metrics"]["series"]}
print(scalars[name] if name in scalars else series[name][-1])' "$1" "$2"
}

echo "== ch7-gnn-boost promises ($bin)"

# The GNN learns, relabelling leaves it alone, and breaks the MLP (seed 42, as the lesson quotes).
gnn="$(run gnn-leads 42 600)"
gnn_relabel="$(run gnn-leads 42 600 relabel=on)"
mlp_plain="$(run gnn-leads 42 600 model=mlp)"
mlp_relabel="$(run gnn-leads 42 600 model=mlp relabel=on)"
python3 - "$gnn" "$gnn_relabel" "$mlp_plain" "$mlp_relabel" <<'PY'
import json, sys
runs = [json.loads(a) for a in sys.argv[1:]]
def acc(run): return [s for s in run["metrics"]["series"] if s["name"] == "test_accuracy"][0]["values"][-1]
def scalar(run, name): return {s["name"]: s["value"] for s in run["metrics"]["scalars"]}[name]
gnn, gnn_r, mlp, mlp_r = runs
checks = [
    (acc(gnn) >= 0.90, f"gnn-leads: test_accuracy {acc(gnn):.3f} after {gnn['steps']} steps ({gnn['seconds']:.1f} s); want >= 0.90"),
    (scalar(gnn_r, "relabel_max_diff") < 1e-5,
     f"gnn-leads relabel=on: relabel_max_diff {scalar(gnn_r, 'relabel_max_diff'):.2e}, test_accuracy {acc(gnn_r):.3f}; want < 1e-5"),
    (acc(mlp) - acc(mlp_r) >= 0.20,
     f"gnn-leads model=mlp: test_accuracy {acc(mlp):.3f}, relabelled {acc(mlp_r):.3f} (relabel_max_diff "
     f"{scalar(mlp_r, 'relabel_max_diff'):.3f}); want a drop >= 0.20"),
]
for ok, text in checks: print(f"  {'ok  ' if ok else 'FAIL'} {text}")
print(f"  info node_spread after {gnn['steps']} steps: {scalar(gnn, 'node_spread'):.3f}")
sys.exit(0 if all(ok for ok, _ in checks) else 1)
PY

# Boosting against the MLP on the regression task, three seeds.
for seed in 1 2 3; do
  trees="$(run boosting "$seed" 200 task=regress model=trees rounds=200 depth=4 lr=0.1)"
  mlp="$(run boosting "$seed" 2000 task=regress model=mlp)"
  python3 - "$seed" "$trees" "$mlp" <<'PY'
import json, sys
seed, trees, mlp = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
def rmse(run): return [s for s in run["metrics"]["series"] if s["name"] == "test_rmse"][0]["values"][-1]
t, m = rmse(trees), rmse(mlp)
ok = t < m and trees["steps"] == 200 and mlp["steps"] == 2000
print(f"  {'ok  ' if ok else 'FAIL'} boosting regress seed {seed}: trees test_rmse {t:.3f} ({trees['steps']} rounds, "
      f"{trees['seconds']:.2f} s) vs mlp {m:.3f} ({mlp['steps']} steps, {mlp['seconds']:.2f} s); want trees < mlp")
sys.exit(0 if ok else 1)
PY
done

# The default classification run: training loss never rises.
classify="$(run boosting 1 200)"
python3 - "$classify" <<'PY'
import json, sys
run = json.loads(sys.argv[1])
series = {s["name"]: s["values"] for s in run["metrics"]["series"]}
loss = series["train_loss"]
rises = [i for i in range(1, len(loss)) if loss[i] > loss[i - 1]]
ok = not rises and len(loss) == 200
print(f"  {'ok  ' if ok else 'FAIL'} boosting classify: train_loss {loss[0]:.4f} -> {loss[-1]:.4f} over {len(loss)} rounds, "
      f"rises at {rises[:5]}; test_auc {series['test_auc'][-1]:.3f}, test_loss {series['test_loss'][-1]:.4f}")
sys.exit(0 if ok else 1)
PY

# The benchmark's settings (depth 6): the test log-loss docs/benchmarks.md compares with xgboost's.
deep="$(run boosting 1 200 depth=6)"
echo "  info boosting classify depth 6, 200 rounds: test_loss $(last "$deep" test_loss), test_auc $(last "$deep" test_auc)"

echo "ch7-gnn-boost promises: all kept in $((SECONDS - started)) s"
