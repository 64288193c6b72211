#!/usr/bin/env bash
# Chapter 9's unsupervised promises (issue 16), on the release binary, at full budget:
#   kmeans (beats, k 5)       finishes (assignments stop changing) and reports purity (seed 42)
#   kmeans seeding            k-means++'s settled inertia <= random seeding's, mean of seeds 1-5
#   kmeans --set data=rings   purity <= 0.6: round clusters cut across nested rings (seed 42)
#   pca                       finishes; explained_variance_2 = 0.68228 (NumPy's eigvalsh on the same
#                             4,000 x 250 matrix gives 0.6822800868496939; checked by hand, 2026-12-06)
#   simclr (200 steps)        probe_accuracy >= raw_probe_accuracy + 0.10 and kmeans_purity > raw_kmeans_purity
#                             (seed 42; 205 steps run: step 200's evaluation is recorded 5 steps later)
#   vae (3,000 steps)         reconstruction_mse below PCA's with 2 components on the same beats (seed 42)
#   vae --set beta=0          kl ends above beta 1's: nothing holds the codes together (seed 42)
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch9-unsupervised: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

runs_dir="$(mktemp -d /tmp/ch9-unsupervised-promises.XXXXXX)"
trap 'rm -rf "$runs_dir"' EXIT
# run LAB SEED STEPS ARGS...: runs the lab; prints the path of a file holding the run's JSON
# (a long run's metric history is too long to pass as an argument).
run() {
  local lab="$1" seed="$2" steps="$3"; shift 3
  local out
  out="$(mktemp "$runs_dir/run.XXXXXX")"
  "$bin" run "$lab" --steps "$steps" --seed "$seed" --json "$@" > "$out" 2>/dev/null \
    || { echo "ch9-unsupervised: FAIL: run $lab --seed $seed $* exited $?" >&2; exit 1; }
  echo "$out"
}

# verdict NAME CONDITION FILE...: evaluates CONDITION on the runs' final metrics (`runs`, a list
# of {metric: value}, series by their last value, plus `status` and `message`); prints them.
verdict() {
  local name="$1" condition="$2"; shift 2
  python3 - "$name" "$condition" "$@" <<'PY'
import json, sys
name, condition, paths = sys.argv[1], sys.argv[2], sys.argv[3:]
runs = []
for path in paths:
    run = json.load(open(path))
    figures = {s["name"]: s["value"] for s in run["metrics"]["scalars"]}
    figures.update({s["name"]: s["values"][-1] for s in run["metrics"]["series"] if s["values"]})
    figures.update(status=run["status"], message=run.get("message") or "", steps=run["steps"], seconds=run["seconds"])
    runs.append(figures)
ok = eval(condition, {"mean": lambda xs: sum(xs) / len(xs)}, {"runs": runs, "run": runs[0]})
shown = "; ".join(", ".join(f"{k} {v:.4g}" if isinstance(v, float) else f"{k} {v}" for k, v in r.items()) for r in runs[:2])
print(f"  {'ok  ' if ok else 'FAIL'} {name}: {shown}{' ...' if len(runs) > 2 else ''}; want {condition}")
sys.exit(0 if ok else 1)
PY
}

echo "== ch9-unsupervised promises ($bin)"
verdict kmeans-beats-k5 "run['status'] == 'stopped' and 'stopped changing' in run['message'] and 0 < run['purity'] <= 1" \
  "$(run kmeans 42 500)"

plus=(); random=()
for seed in 1 2 3 4 5; do
  plus+=("$(run kmeans "$seed" 500 --set seeding=k-means++)")
  random+=("$(run kmeans "$seed" 500 --set seeding=random)")
done
verdict kmeans-plusplus "all(r['status'] == 'stopped' for r in runs)" "${plus[@]}" "${random[@]}"
python3 - "${plus[@]}" "${random[@]}" <<'PY'
import json, sys
inertia = [json.load(open(p))["metrics"]["series"][0]["values"][-1] for p in sys.argv[1:]]
plus, random = inertia[:5], inertia[5:]
ok = sum(plus) / 5 <= sum(random) / 5
print(f"  {'ok  ' if ok else 'FAIL'} kmeans-seeding: mean settled inertia, seeds 1-5: k-means++ {sum(plus) / 5:.1f} "
      f"vs random {sum(random) / 5:.1f} (k-means++ {[round(x) for x in plus]}, random {[round(x) for x in random]})")
sys.exit(0 if ok else 1)
PY

verdict kmeans-rings "run['status'] == 'stopped' and run['purity'] <= 0.6" "$(run kmeans 42 500 --set data=rings)"
verdict pca "run['status'] == 'stopped' and abs(run['explained_variance_2'] - 0.6822800868496939) < 1e-4" \
  "$(run pca 42 20)"
verdict simclr "run['test_step'] == 200 and run['probe_accuracy'] >= run['raw_probe_accuracy'] + 0.10 and run['kmeans_purity'] > run['raw_kmeans_purity']" \
  "$(run simclr 42 205)"
vae1="$(run vae 42 3000)"
verdict vae "run['reconstruction_mse'] < run['pca_2_mse']" "$vae1"
verdict vae-beta0 "runs[0]['kl'] > runs[1]['kl']" "$(run vae 42 3000 --set beta=0)" "$vae1"
echo "ch9-unsupervised promises: all kept in $((SECONDS - started)) s"
