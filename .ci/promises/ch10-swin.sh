#!/usr/bin/env bash
# Chapter 10's segmentation rows, as the map scores them (`mlcourse map --json --rows
# window-cnn,unet,swin-unet`: full budgets, 600 steps and the evaluation's last chunks, 604; seed
# 42, a fresh data folder) on the release binary:
#   the U-Net and the Swin-UNet each beat the sliding-window CNN (issue 18's segmentation claim;
#     Lessons/10-map.md, "The Swin-UNet, built": 0.908 against 0.837 there), and the Swin-UNet
#     reaches at least 0.88
#   with shift=off (`mlcourse run swin-unet`), the Swin-UNet's test_dice is below shift=on's
#     ("When windows never talk")
# The map and the shift=off run go side by side (about 35 s in all). Prints the figures; exits 1
# if a promise is broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch10-swin: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS
out="$(mktemp -d /tmp/ch10-swin.XXXXXX)"
trap 'rm -rf "$out"' EXIT

echo "== ch10 swin-unet promises ($bin)"
MLCOURSE_HOME="$out/home" "$bin" map --json --rows window-cnn,unet,swin-unet --seed 42 > "$out/map.json" 2> "$out/map.log" &
"$bin" run swin-unet --seed 42 --steps 604 --set shift=off --json > "$out/off.json"
wait

python3 - "$out/map.json" "$out/off.json" <<'PY'
import json, sys
rows = {r["row"]: r for r in json.load(open(sys.argv[1]))}
off_run = json.load(open(sys.argv[2]))
off_series = {s['name']: s['values'] for s in off_run['metrics']['series']}
off, off_step = off_series['test_dice'][-1], off_series['test_step'][-1]
window, unet, swin = (rows[name] for name in ("window-cnn", "unet", "swin-unet"))
broken = 0
def promise(text, ok):
    global broken
    print(f"  {'ok  ' if ok else 'FAIL'} {text}")
    broken += 0 if ok else 1
for r in (window, unet, swin):
    print(f"  {r['model']:<20} mean Dice {r['score']:.4f}  {r['seconds']:.1f} s, {r['steps']} steps")
promise(f"the U-Net ({unet['score']:.3f}) beats the sliding-window CNN ({window['score']:.3f})", unet["score"] > window["score"])
promise(f"the Swin-UNet ({swin['score']:.3f}) beats the sliding-window CNN ({window['score']:.3f})",
        swin["score"] > window["score"] and swin["steps"] == window["steps"] == 604)
promise(f"the Swin-UNet reaches at least 0.88 ({swin['score']:.3f})", swin["score"] >= 0.88)
promise(f"shift=off: test_dice {off:.3f} ({off_run['seconds']:.1f} s) below shift=on's {swin['score']:.3f}",
        off < swin["score"] and off_step == 600)
sys.exit(1 if broken else 0)
PY
echo "ch10 swin promises: all kept in $((SECONDS - started)) s"
