#!/usr/bin/env bash
# Chapter 10's map (issue 18), headless on the release binary: `mlcourse map --json` at a
# reduced budget (MAP_BUDGET_SCALE, default 0.3: every row gets 30% of its steps, closed-form
# rows all of theirs) in a fresh data folder, so nothing comes from a cache. Checks:
#   every row the map lists is in the JSON with the issue's keys, and every available row has
#     a finite score (rows no lab trains yet have none, and say why)
#   segmentation         the U-Net's mean Dice beats the sliding-window CNN's
#   regression, physics  the PINN's RMSE outside the window is below the plain net's
#   the second run reads every row from the cache, with the same scores
# Prints the table's figures and every verdict; exits 1 if any promise is broken.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
scale="${MAP_BUDGET_SCALE:-0.3}"
[ -x "$bin" ] || { echo "ch10-map: $bin missing (swift build -c release --product mlcourse)"; exit 1; }
started=$SECONDS
home="$(mktemp -d /tmp/ch10-map-promises.XXXXXX)"
trap 'rm -rf "$home"' EXIT

echo "== ch10 map promises ($bin, budget scale $scale)"
MLCOURSE_HOME="$home" "$bin" map --json --budget-scale "$scale" > "$home/first.json" 2> "$home/first.log" \
  || { cat "$home/first.log"; echo "ch10-map: FAIL: map exited $?"; exit 1; }
MLCOURSE_HOME="$home" "$bin" map --json --budget-scale "$scale" > "$home/second.json" 2> "$home/second.log" \
  || { cat "$home/second.log"; echo "ch10-map: FAIL: the second map run exited $?"; exit 1; }

python3 - "$home/first.json" "$home/second.json" <<'PY'
import json, math, sys
first = json.load(open(sys.argv[1])); second = json.load(open(sys.argv[2]))
rows = {r["row"]: r for r in first}
broken = 0
def promise(description, ok):
    global broken
    print(f"  {'ok  ' if ok else 'FAIL'} {description}")
    if not ok: broken += 1
for r in first:
    score = "not available yet" if not r["available"] else (f"{r['score']:.4g}" if r["score"] is not None else "NO SCORE")
    timing = f"{r['seconds']:.1f} s, {r['steps']} steps" if r["available"] else r["note"]
    print(f"  {r['group']:<20} {r['model']:<26} {r['metric']:<18} {score:>18}  {timing}")
keys = {"group", "task", "tier", "model", "metric", "score", "seconds", "steps", "seed"}
promise("every row has the issue's keys", all(keys <= set(r) for r in first))
available = [r for r in first if r["available"]]
promise(f"all {len(available)} available rows are scored",
        all(r["score"] is not None and math.isfinite(r["score"]) and r["steps"] > 0 for r in available))
promise("rows without a lab have no score and say why",
        all(r["score"] is None and r["note"] for r in first if not r["available"]))
promise(f"segmentation: U-Net ({rows['unet']['score']:.3f}) beats the sliding-window CNN ({rows['window-cnn']['score']:.3f})",
        rows["unet"]["score"] > rows["window-cnn"]["score"])
promise(f"physics: the PINN ({rows['pinn']['score']:.2f}) beats the plain net ({rows['plain-net']['score']:.2f})",
        rows["pinn"]["score"] < rows["plain-net"]["score"])
promise(f"classification: the ViT ({rows['vit']['score']:.3f}) beats the MLP / logistic row ({rows['logistic-mlp']['score']:.3f})",
        rows["vit"]["score"] > rows["logistic-mlp"]["score"])
promise("the second run comes from the cache with the same scores",
        all(b["cached"] == 1 and b["score"] == a["score"] for a, b in zip(available, [r for r in second if r["available"]])))
total = sum(r["seconds"] for r in available)
print(f"  rows trained in {total:.1f} s")
sys.exit(1 if broken else 0)
PY
echo "ch10-map promises: all kept in $((SECONDS - started)) s"
