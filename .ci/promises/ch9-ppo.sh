#!/usr/bin/env bash
# Chapter 9's policy-gradient promises, at full budget (40 updates, 12,800 environment steps)
# on the release binary:
#   ppo (defaults)                 normalized_return >= 0.9 at seeds 1, 2 and 3
#   ppo vs --set method=reinforce  with the same environment steps, PPO's mean_return is the
#                                  higher at seeds 1, 2 and 3
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch9-ppo: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS
budget=40

# last METRIC JSON: the metric's last value in a run's JSON.
last() {
  python3 -c 'import json,sys; run=json.loads(sys.argv[2]); s={x["name"]: x["values"] for x in run["metrics"]["series"]}; print(s[sys.argv[1]][-1])' "$1" "$2"
}

echo "== ch9-ppo promises ($bin)"
for seed in 1 2 3; do
  ppo="$("$bin" run ppo --steps $budget --seed "$seed" --json 2>/dev/null)" || { echo "ch9-ppo: FAIL run ppo --seed $seed exited $?"; exit 1; }
  reinforce="$("$bin" run ppo --set method=reinforce --steps $budget --seed "$seed" --json 2>/dev/null)" \
    || { echo "ch9-ppo: FAIL run ppo --set method=reinforce --seed $seed exited $?"; exit 1; }
  norm=$(last normalized_return "$ppo"); ppo_ret=$(last mean_return "$ppo")
  rf_ret=$(last mean_return "$reinforce"); rf_norm=$(last normalized_return "$reinforce")
  if awk -v x="$norm" 'BEGIN { exit !(x >= 0.9) }'; then
    echo "  ok   ppo (seed $seed): normalized_return $norm >= 0.9 (mean_return $ppo_ret)"
  else
    echo "  FAIL ppo (seed $seed): normalized_return $norm, want >= 0.9"; exit 1
  fi
  if awk -v a="$ppo_ret" -v b="$rf_ret" 'BEGIN { exit !(a > b) }'; then
    echo "  ok   ppo vs reinforce (seed $seed): mean_return $ppo_ret > $rf_ret (reinforce's normalized_return $rf_norm)"
  else
    echo "  FAIL ppo vs reinforce (seed $seed): mean_return $ppo_ret, reinforce $rf_ret; want ppo higher"; exit 1
  fi
done
echo "ch9-ppo promises: all kept in $((SECONDS - started)) s"
