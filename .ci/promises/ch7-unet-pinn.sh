#!/usr/bin/env bash
# Chapter 7's promises for sections 7a and 7d, at full budget on the release binary (seed 42):
#   unet-ecg                       test_dice >= 0.85 within its 600 steps
#   unet-ecg --set skips=off       boundary_error_ms at least 1.2x the default's at seed 42, the
#                                  run the lesson quotes first (about 6.4 ms against 8.3 ms). The
#                                  lesson then shows other seeds: averaged over 42/1/2/3 the gain
#                                  is small (6.9 against 7.5 ms) and one seed reverses it, so no
#                                  claim beyond seed 42 is made here; issue 13 asks for 1.5x,
#                                  which these recordings do not give at any depth or width tried
#   unet-ecg --set loss=ce         test_dice_p at least 0.02 below the default's (dice+ce)
#   window-cnn                     test_dice at least 0.05 below unet-ecg's
#   pinn-windkessel                extrapolation_rmse with physics at most 1/3 of without (1,500
#                                  steps each)
#   pinn-windkessel --set mode=inverse --set measurements=40
#                                  learned_r within 5% of the true R (1) and learned_c within
#                                  10% of the true C (1.5), from a guess of half R and twice C
# Prints the figures it saw and every promise's verdict; exits 1 if any promise is broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch7: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS
runs="$(mktemp -d /tmp/ch7-promises.XXXXXX)"
trap 'rm -rf "$runs"' EXIT

# run NAME STEPS -- RUN-ARGS...: runs the lab, keeps its JSON as $runs/NAME.json, prints its last measurement.
run() {
  local name="$1" steps="$2"; shift 3
  "$bin" run "$@" --steps "$steps" --seed 42 --json > "$runs/$name.json" 2>/dev/null \
    || { echo "ch7: FAIL $name: run $* exited $?"; exit 1; }
  python3 - "$name" "$runs/$name.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[2]))
s = {x["name"]: x["values"] for x in run["metrics"]["series"]}
print(f"  {sys.argv[1]}: test_dice {s['test_dice'][-1]:.3f} (P {s['test_dice_p'][-1]:.3f}, QRS {s['test_dice_qrs'][-1]:.3f}, "
      f"T {s['test_dice_t'][-1]:.3f}), accuracy {s['test_accuracy'][-1]:.3f}, boundary_error_ms {s['boundary_error_ms'][-1]:.1f}, "
      f"spurious_waves {int(s['spurious_waves'][-1])} at step {int(s['test_step'][-1])}; {run['steps']} steps in {run['seconds']:.1f} s")
PY
}

# promise DESCRIPTION PYTHON-CONDITION: evaluates the condition on last(NAME, METRIC).
# run_pinn NAME -- RUN-ARGS...: the same for pinn-windkessel's metrics, 1,500 steps.
run_pinn() {
  local name="$1"; shift 2
  "$bin" run "$@" --steps 1500 --seed 42 --json > "$runs/$name.json" 2>/dev/null \
    || { echo "ch7: FAIL $name: run $* exited $?"; exit 1; }
  python3 - "$name" "$runs/$name.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[2]))
s = {x["name"]: x["values"] for x in run["metrics"]["series"]}
print(f"  {sys.argv[1]}: extrapolation_rmse {s['extrapolation_rmse'][-1]:.2f} mmHg, window_rmse {s['window_rmse'][-1]:.2f} mmHg, "
      f"data_loss {s['data_loss'][-1]:.4f}, physics_loss {s['physics_loss'][-1]:.4f}; {run['steps']} steps in {run['seconds']:.1f} s")
PY
}

promise() {
  python3 - "$runs" "$1" "$2" <<'PY'
import json, os, sys
folder, description, condition = sys.argv[1:]
def last(name, metric):
    run = json.load(open(os.path.join(folder, name + ".json")))
    return {x["name"]: x["values"] for x in run["metrics"]["series"]}[metric][-1]
ok = eval(condition, {"last": last})
print(f"  {'ok  ' if ok else 'FAIL'} {description}: {condition}")
sys.exit(0 if ok else 1)
PY
}
broken=0

echo "== ch7 promises, 7a and 7d ($bin)"
run unet 600 -- unet-ecg
run unet-noskips 600 -- unet-ecg --set skips=off
run unet-ce 600 -- unet-ecg --set loss=ce
run window 600 -- window-cnn
promise "unet-ecg reaches Dice 0.85" "last('unet', 'test_dice') >= 0.85" || broken=$((broken + 1))
promise "seed 42: without skips the edges land less exactly" "last('unet-noskips', 'boundary_error_ms') >= 1.2 * last('unet', 'boundary_error_ms')" || broken=$((broken + 1))
promise "dice+ce finds the P wave better than ce" "last('unet', 'test_dice_p') >= last('unet-ce', 'test_dice_p') + 0.02" || broken=$((broken + 1))
promise "window-cnn is the baseline" "last('window', 'test_dice') <= last('unet', 'test_dice') - 0.05" || broken=$((broken + 1))
run_pinn pinn-on -- pinn-windkessel
run_pinn pinn-off -- pinn-windkessel --set physics=off
promise "the physics term holds the curve after the data" "last('pinn-on', 'extrapolation_rmse') <= last('pinn-off', 'extrapolation_rmse') / 3" || broken=$((broken + 1))
run_pinn pinn-inverse -- pinn-windkessel --set mode=inverse --set measurements=40
promise "the inverse mode learns R" "abs(last('pinn-inverse', 'learned_r') - 1) <= 0.05" || broken=$((broken + 1))
promise "the inverse mode learns C" "abs(last('pinn-inverse', 'learned_c') - 1.5) <= 0.15" || broken=$((broken + 1))
[ "$broken" -eq 0 ] || { echo "ch7 promises: $broken broken ($((SECONDS - started)) s)"; exit 1; }
echo "ch7 promises: all kept in $((SECONDS - started)) s"
