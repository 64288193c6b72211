#!/usr/bin/env bash
# Chapter 8's promises, at full budget on the release binary:
#   outliers --set loss=mae            slope_error at most half of loss=mse's, at seeds 1, 2, 3
#                                      (and huber below mse's)
#   loss-explorer                      the worked numbers the lesson quotes, as the metrics
#                                      `loss` and `gradient` of a headless run: mse at 72 vs 80
#                                      (64, -16), bce at p 0.5 (0.6931, -2), kl at p = [0.3, 0.7]
#                                      (0.0823), focal gamma 2 at p 0.9 (0.001054), bellman at
#                                      Q = 3 (1.921), policy at pi 0.25 (2.773)
#   focal --set loss=focal             rare_recall at least 0.05 above loss=ce's (alpha off, the
#                                      default budget of 150 steps), at seeds 1, 2, 3
#   kl                                 kl_forward 0.0823 and kl_reverse 0.0872 at the defaults
#                                      ([0.3, 0.7] and [0.5, 0.5]); kl_gaussian 0.5 at mean 1,
#                                      spread 1; fit=forward covers both modes (|fit_mean| < 0.3,
#                                      fit_spread > 2), fit=reverse seeks one (|fit_mean| near 2.5,
#                                      fit_spread < 1), at seeds 1, 2, 3
# Prints the figures it saw; exits 1 at the first promise broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch8: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS

# last LAB METRIC SEED ARGS...: the last value of METRIC in a headless run.
last() {
  local lab="$1" metric="$2" seed="$3"; shift 3
  "$bin" run "$lab" --seed "$seed" --json "$@" 2>/dev/null | python3 -c "
import json, sys
run = json.load(sys.stdin)
print({s['name']: s['values'] for s in run['metrics']['series']}['$metric'][-1])"
}

# near NAME GOT WANT: GOT within 0.5% of WANT (3 significant digits).
near() {
  python3 - "$@" <<'PY'
import sys
name, got, want = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
ok = abs(got - want) <= abs(want) * 0.005 + 1e-9
print(f"  {'ok  ' if ok else 'FAIL'} {name}: {got:.6g} (want {want})")
sys.exit(0 if ok else 1)
PY
}

echo "== ch8 promises ($bin)"
for seed in 1 2 3; do
  mse=$(last outliers slope_error "$seed" --set loss=mse)
  mae=$(last outliers slope_error "$seed" --set loss=mae)
  huber=$(last outliers slope_error "$seed" --set loss=huber --set delta=2)
  python3 - "$seed" "$mse" "$mae" "$huber" <<'PY'
import sys
seed, mse, mae, huber = sys.argv[1], *map(float, sys.argv[2:])
ok = mae <= 0.5 * mse and huber < mse
print(f"  {'ok  ' if ok else 'FAIL'} outliers (seed {seed}): slope_error mse {mse:.4f}, mae {mae:.4f}, huber {huber:.4f}; want mae <= mse / 2, huber < mse")
sys.exit(0 if ok else 1)
PY
done

near "loss-explorer mse 72 vs 80: loss" "$(last loss-explorer loss 1 --set loss=mse --set prediction=72)" 64
near "loss-explorer mse 72 vs 80: gradient" "$(last loss-explorer gradient 1 --set loss=mse --set prediction=72)" -16
near "loss-explorer bce p 0.5: loss" "$(last loss-explorer loss 1 --set loss=bce --set prediction=0.5)" 0.6931
near "loss-explorer bce p 0.5: gradient" "$(last loss-explorer gradient 1 --set loss=bce --set prediction=0.5)" -2
near "loss-explorer kl [0.3, 0.7] vs [0.5, 0.5]" "$(last loss-explorer loss 1 --set loss=kl --set prediction=0.3)" 0.0823
near "loss-explorer focal gamma 2, p 0.9" "$(last loss-explorer loss 1 --set loss=focal --set gamma=2 --set prediction=0.9)" 0.001054
near "loss-explorer bellman Q 3, target 4.96" "$(last loss-explorer loss 1 --set loss=bellman --set prediction=3)" 1.921
near "loss-explorer policy pi 0.25, return 2" "$(last loss-explorer loss 1 --set loss=policy --set prediction=0.25)" 2.773
for seed in 1 2 3; do
  ce=$(last focal rare_recall "$seed" --set loss=ce --set alpha=off)
  focal=$(last focal rare_recall "$seed" --set loss=focal --set alpha=off)
  python3 - "$seed" "$ce" "$focal" <<'PY'
import sys
seed, ce, focal = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
ok = focal >= ce + 0.05
print(f"  {'ok  ' if ok else 'FAIL'} focal (seed {seed}): rare_recall ce {ce:.4f}, focal {focal:.4f}; want focal >= ce + 0.05")
sys.exit(0 if ok else 1)
PY
done

near "kl: KL([0.3, 0.7] || [0.5, 0.5])" "$(last kl kl_forward 1)" 0.0823
near "kl: KL([0.5, 0.5] || [0.3, 0.7])" "$(last kl kl_reverse 1)" 0.0872
near "kl: KL(N(1, 1) || N(0, 1))" "$(last kl kl_gaussian 1 --set mean=1 --set spread=1)" 0.5
for seed in 1 2 3; do
  fm=$(last kl fit_mean "$seed" --set fit=forward); fs=$(last kl fit_spread "$seed" --set fit=forward)
  rm=$(last kl fit_mean "$seed" --set fit=reverse); rs=$(last kl fit_spread "$seed" --set fit=reverse)
  python3 - "$seed" "$fm" "$fs" "$rm" "$rs" <<'PY'
import sys
seed, fm, fs, rm, rs = sys.argv[1], *map(float, sys.argv[2:])
ok = abs(fm) < 0.3 and fs > 2 and abs(abs(rm) - 2.5) < 0.2 and rs < 1
print(f"  {'ok  ' if ok else 'FAIL'} kl fit (seed {seed}): forward mean {fm:.3f} spread {fs:.3f}, reverse mean {rm:.3f} spread {rs:.3f}; want forward covering, reverse on one mode")
sys.exit(0 if ok else 1)
PY
done
echo "ch8 promises: all kept in $((SECONDS - started)) s"
