#!/usr/bin/env bash
# Chapter 10's segmentation frontier row, at the map's budget (600 steps and the evaluation's
# last chunks: 604) on the release binary, seed 42 (the course's own):
#   swin-unet's test_dice above window-cnn's (Lessons/10-map.md, "The Swin-UNet, built":
#     0.908 against 0.837 there), and at least 0.88
#   with shift=off, swin-unet's test_dice below shift=on's ("When windows never talk")
# The three runs go two at a time (about 40 s in all). Prints the figures; exits 1 if a promise
# is broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
[ -x "$bin" ] || { echo "ch10-swin: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS
out="$(mktemp -d /tmp/ch10-swin.XXXXXX)"
trap 'rm -rf "$out"' EXIT

echo "== ch10 swin-unet promises ($bin)"
"$bin" run swin-unet --seed 42 --steps 604 --json > "$out/swin.json" &
"$bin" run window-cnn --seed 42 --steps 604 --json > "$out/window.json"
wait
"$bin" run swin-unet --seed 42 --steps 604 --set shift=off --json > "$out/off.json"

python3 - "$out/swin.json" "$out/window.json" "$out/off.json" <<'PY'
import json, sys
def dice(path):
    run = json.load(open(path))
    series = {s['name']: s['values'] for s in run['metrics']['series']}
    return series['test_dice'][-1], run['seconds'], series['test_step'][-1]
(swin, ss, sn), (window, ws, wn), (off, os_, on) = map(dice, sys.argv[1:4])
broken = 0
def promise(text, ok):
    global broken
    print(f"  {'ok  ' if ok else 'FAIL'} {text}")
    broken += 0 if ok else 1
promise(f"swin-unet test_dice {swin:.3f} ({ss:.1f} s) beats window-cnn's {window:.3f} ({ws:.1f} s), measured at step {int(sn)}",
        swin > window and sn == wn == 600)
promise(f"swin-unet test_dice {swin:.3f} is at least 0.88", swin >= 0.88)
promise(f"shift=off: test_dice {off:.3f} ({os_:.1f} s) below shift=on's {swin:.3f}", off < swin and on == 600)
sys.exit(1 if broken else 0)
PY
echo "ch10 swin promises: all kept in $((SECONDS - started)) s"
