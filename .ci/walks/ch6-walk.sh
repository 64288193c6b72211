#!/usr/bin/env bash
# Walks chapter 6 (transformers) as a learner would, in a real terminal (tmux): every lab page at
# 120x40 (UTF-8, 256 colours), the attention maps at 80x24 (all four heads still on screen), and
# the maps in ASCII (vt100, LANG=C). On each page it starts the lab and checks on the
# screen what the lesson promises: the positional patterns and the learned band; the long-range
# task training with its chance line; the four heads' maps redrawn while it trains, and, from a
# checkpoint trained headless to step 1,500, the maps and readout of a model that looks at the
# two ends (ends_attention high, test_accuracy past 0.9); posenc off; the N^2 sweep and its slope.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch6-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch6-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# stop: ends the session (lib.sh's end_session: the server killed and its socket removed).
stop() { end_session; }


# A model trained to step 1,500 headless (a few seconds in release), loaded on the maps page.
checkpoint="$home/ends-1500.safetensors"
"$bin" run attention-ends --seed 1 --steps 1500 --save "$checkpoint" >/dev/null 2>&1 \
  || fail "run attention-ends --steps 1500 --save: exit $?"
echo "  ok  trained attention-ends to step 1500 headless for the maps check"

echo "== ch6 walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- positional-encoding"
goto posenc transformers/7 "Positional encoding" "(page 7/12)" "PAUSED" "step 0" \
  "Sine pattern: 48 positions x 32 features" "Sine: dot product of positions" "Learned: similarity of positions"
trains posenc-trains 2 "Learned: similarity of positions" "near_similarity"
keys Space

echo "-- attention-ends: the long-range task"
goto ends transformers/8 "The long-range task" "(page 8/12)" "PAUSED" "step 0" \
  "Test accuracy (posenc sine); CNN of ch. 4: 0.5" "Loss (cross-entropy)" "Example 1: first "
trains ends-trains 3 "Test accuracy (posenc sine)" "chance = CNN" "test_accuracy"
keys Space

echo "-- attention-ends: the heads"
goto heads transformers/9 "Watching the heads" "(page 9/12)" "PAUSED" "step 0" \
  "Heads 1 and 2 of 4, layer 1, step 0" "Heads 3 and 4 of 4, layer 1, step 0" "head 1" "head 2" "head 3" "head 4"
trains heads-trains 3 "Heads 1 and 2 of 4, layer 1, step" "ends_attention"
# The maps are redrawn while it trains: the step in their title moves on.
map_step() { t capture-pane -p -t walk | grep -oE 'Heads 1 and 2 of 4, layer 1, step [0-9]+' | grep -oE '[0-9]+$' | head -1; }
first="$(map_step)"; sleep 1.5; second="$(map_step)"
[ "${second:-0}" -gt "${first:-0}" ] || fail "heads: the maps should be redrawn while training (title step ${first:-?}, then ${second:-?})"
echo "  ok  heads: the maps were redrawn at step $first and again at step $second"
keys Space
expect heads-paused "PAUSED"
# The trained model: its heads look at beats 1 and 8.
keys ':' "load $checkpoint" Enter
expect heads-loaded "step 1500" "Heads 1 and 2 of 4, layer 1, step 1500"
ends="$(readout ends_attention)"; accuracy="$(readout test_accuracy)"
awk -v e="${ends:-0}" -v a="${accuracy:-0}" 'BEGIN { exit !(e >= 0.6 && a >= 0.9) }' \
  || fail "heads-loaded: after 1,500 steps ends_attention should be >= 0.6 and test_accuracy >= 0.9 (shows ${ends:-?} and ${accuracy:-?})"
echo "  ok  heads at step 1500: ends_attention $ends, test_accuracy $accuracy"

echo "-- attention-ends: no positions"
goto off transformers/11 "Without positions" "(page 11/12)" "PAUSED" "step 0" "Test accuracy (posenc off)"
expect_re off-setting 'posenc +off '
trains off-trains 2 "Test accuracy (posenc off)" "chance = CNN"
keys Space

echo "-- attention-cost"
goto cost transformers/12 "Limitation: N squared" "(page 12/12)" "PAUSED" \
  "Counted GFLOP per forward + backward: slope " "Each length: median of 3 timings"
# The counted slope is known before anything is timed (from the shapes): near 2, as promised.
expect_re cost-counted 'Counted GFLOP per forward \+ backward: slope (1\.[7-9]|2\.[0-3])'
# The measured slope is a timing on a machine other jobs share: a burst of load during one length
# bends it, so up to three sweeps (r, then Space) may be taken; a real N or N^3 fails all three.
for attempt in 1 2 3; do
  keys Space
  expect_wait=60 expect cost-swept "FINISHED" "sweep done: time grows as N^"
  cost="$(readout cost_exponent)"
  awk -v c="${cost:-0}" 'BEGIN { exit !(c >= 1.7 && c <= 2.3) }' && break
  [ "$attempt" -lt 3 ] || fail "cost: cost_exponent should be 1.7-2.3 (three sweeps; the last shows ${cost:-?})"
  echo "  ..  cost: sweep $attempt measured cost_exponent ${cost:-?} (outside 1.7-2.3); sweeping again"
  keys r
  expect cost-reset "PAUSED" "step 0"
done
echo "  ok  cost: cost_exponent $cost on screen (sweep $attempt)"
keys q
expect quit "mlcourse exited with status 0"
stop

echo "== ch6 walk: 80x24, the four heads still on one screen"
start_course 80 24 xterm-256color C.UTF-8
# One token per beat makes each map 8 x 8, so both panels (four heads) fit side by side even here.
goto small-heads transformers/9 "Watching the heads" "PAUSED" "Heads 1 and 2 of 4" "Heads 3 and 4 of 4" \
  "head 1" "head 2" "head 3" "head 4"
trains small-trains 2 "Heads 1 and 2 of 4, layer 1, step"
keys Space
keys q
expect small-quit "mlcourse exited with status 0"
stop

echo "== ch6 walk: vt100, LANG=C (ASCII)"
start_course 120 40 vt100 C
goto ascii-heads transformers/9 "Watching the heads" "PAUSED" "Heads 1 and 2 of 4" "head 1"
keys ':' "load $checkpoint" Enter
expect ascii-loaded "step 1500" "Heads 1 and 2 of 4, layer 1, step 1500" "Heads 3 and 4 of 4"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII bytes on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
# The maps are drawn with the density ramp: the densest marks must be on screen.
grep -qE '[#@%]' "$captured" || fail "ascii: the attention maps should show dense marks where the heads look"
echo "  ok  ascii: maps in plain characters, no bytes above 0x7F"
keys q
expect ascii-quit "mlcourse exited with status 0"
stop

echo "ch6-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
