#!/usr/bin/env bash
# Walks the real course as a learner would, in a real terminal (tmux): open the course with a
# fresh progress folder, go to chapter 1, turn to the neuron lab, train it, change the learning
# rate while it trains, quit, start again on the same page; then a narrow terminal, an ASCII
# terminal, a too-small one, no terminal, malformed lessons, and the headless `run`.
# Every step captures the screen and checks what must (and must not) be on it.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=course-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-course-walk-home.XXXXXX)"
walk_temporaries+=("$home")

start() {  # start WIDTH HEIGHT TERM LANG
  t new-session -d -s walk -x "$1" -y "$2" \
    "env MLCOURSE_HOME='$home' TERM=$3 LANG=$4 LC_ALL= '$bin'; echo \"mlcourse exited with status \$?\"; sleep 60"
}

echo "== course walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start 120 40 xterm-256color C.UTF-8
expect start "Chapters" "0 What every" "(page 1/13)" "no lab on this page"
keys ':' 'goto neuron' Enter
expect chapter-1 "One neuron (linear regression)" "(page 1/14)" "chapter 1, One neuron"
for _ in 1 2 3 4 5 6 7; do keys n; done
expect lab-page "Run it: both optimizers side by side" "(page 8/14)" "Lab: neuron" "PAUSED" "step 0" "Hyperparameters"
keys Space
expect training "TRAINING"
sleep 0.6
before="$(step_count)"
[ "${before:-0}" -gt 0 ] || fail "training: the step count should rise above 0 (got '${before:-}')"
echo "  ok  training reached step $before"
keys ':' 'set lr 0.05' Enter
# The message line says "lr = 0.05 from step N" (a "lab complete" notice may replace it at once);
# the hyperparameter panel must show the new value.
expect_re set-lr '▶ lr +0\.05 '
at="$(step_count)"
sleep 0.6
after="$(step_count)"
[ "$after" -gt "$at" ] || fail "set-lr: training should go on after the change (step $at, then $after)"
echo "  ok  lr 0.05 live: step $at -> $after, still training"
keys '+'
expect_re lr-plus '▶ lr +0\.1 '
keys ':' 'save walk1' Enter
expect save "saved 'walk1'"
keys q
expect quit "mlcourse exited with status 0"
refuse quit-restored "Hyperparameters"
grep -q '"lessonID" : "neuron"' "$home/progress.json" || fail "quit: progress.json should name the neuron lesson"
grep -q '"page" : 7' "$home/progress.json" || fail "quit: progress.json should hold page 7 (the 8th)"
echo "  ok  progress saved in $home/progress.json"
[ -f "$home/checkpoints/walk1.safetensors" ] || fail "save: $home/checkpoints/walk1.safetensors should exist"
[ -f "$home/checkpoints/neuron-autosave.safetensors" ] || fail "quit: the running lab should be autosaved as neuron-autosave"
echo "  ok  checkpoint walk1 and the autosave are in $home/checkpoints"
end_session

echo "== course walk: replay the checkpoint"
replayed="$(MLCOURSE_HOME="$home" "$bin" replay walk1 --from-start --json 2>"$WALK_DIR/replay.err")" \
  || fail "replay: exit $? ($(cat "$WALK_DIR/replay.err"))"
grep -q "bit for bit" "$WALK_DIR/replay.err" || fail "replay --from-start: should say the weights match bit for bit (got: $(cat "$WALK_DIR/replay.err"))"
echo "$replayed" | grep -q '"lab" : "neuron"' || echo "$replayed" | grep -q '"lab":"neuron"' || fail "replay: the JSON should name the neuron lab"
echo "  ok  replay walk1 --from-start: $(cat "$WALK_DIR/replay.err")"
MLCOURSE_HOME="$home" "$bin" checkpoints > "$WALK_DIR/checkpoints.txt" || fail "checkpoints: exit $?"
grep -q "walk1" "$WALK_DIR/checkpoints.txt" || fail "checkpoints: should list walk1"
echo "  ok  checkpoints lists walk1"
head -c 200 "$home/checkpoints/walk1.safetensors" > "$WALK_DIR/torn.safetensors"
status=0; "$bin" replay "$WALK_DIR/torn.safetensors" 2>"$WALK_DIR/torn.err" >/dev/null || status=$?
[ "$status" -eq 65 ] || fail "a truncated checkpoint should exit 65, got $status"
grep -q "damaged" "$WALK_DIR/torn.err" || fail "a truncated checkpoint should be called damaged: $(cat "$WALK_DIR/torn.err")"
echo "  ok  a truncated checkpoint: exit 65, $(cat "$WALK_DIR/torn.err")"

echo "== course walk: start again, same page"
start 120 40 xterm-256color C.UTF-8
# The autosave comes back on its page, trained, with the learner's lr (and says it differs).
expect resume "Run it: both optimizers side by side" "(page 8/14)" "PAUSED" "resumed from neuron-autosave" "changed here: lr 0.1 (page 0.01)"
resumed_at="$(step_count)"
[ "${resumed_at:-0}" -gt 0 ] || fail "resume: the lab should come back at its saved step, not 0 (got '${resumed_at:-}')"
echo "  ok  resumed at step $resumed_at"
keys q
expect resume-quit "mlcourse exited with status 0"
end_session

echo "== course walk: 70x24 (lesson above lab)"
start 70 24 xterm-256color C.UTF-8
expect narrow "Run it: both optimizers" "Hyperparameters" "PAUSED"
refuse narrow-no-sidebar "Labs coming"
keys Space
expect narrow-training "TRAINING"
keys q
expect narrow-quit "mlcourse exited with status 0"
end_session

echo "== course walk: vt100, LANG=C (ASCII fallback)"
start 120 40 vt100 C
expect ascii-start "Run it: both optimizers" "Hyperparameters" "PAUSED"
keys ':' 'step 100' Enter
# The session resumes the lab where the last one left it (its autosave), so the step count varies: the message is what is checked.
expect ascii-stepped "took 100 steps"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII bytes on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: no bytes above 0x7F"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "== course walk: 40x12 is too small"
start 40 12 xterm-256color C.UTF-8
expect too-small "enlarge the terminal" "60 x 20"
refuse too-small-nothing-else "Hyperparameters" "Chapters"
keys q
expect too-small-quit "mlcourse exited with status 0"
end_session

echo "== course walk: no terminal"
set +e
out="$(MLCOURSE_HOME="$home" "$bin" </dev/null 2>&1 >/dev/null)"; status=$?
set -e
[ "$status" -eq 1 ] || fail "no-tty: expected exit status 1, got $status"
grep -q "mlcourse run" <<<"$out" || fail "no-tty: the message should point to 'mlcourse run', got: $out"
echo "  ok  no tty: exit 1, points to mlcourse run"

echo "== course walk: malformed lessons"
broken="$(mktemp -d /tmp/mlcourse-broken-lessons.XXXXXX)"
printf -- '---\nid: broken\ntittle: Broken\nchapter: 1\nlabs: []\nstatus: ready\n---\n\n## Page\n\n```quiz\nask: What?\n```\n' > "$broken/01-broken.md"
set +e
out="$(MLCOURSE_HOME="$home" MLCOURSE_LESSONS="$broken" "$bin" list 2>&1)"; status=$?
set -e
rm -rf "$broken"
[ "$status" -eq 65 ] || fail "malformed: expected exit status 65, got $status: $out"
grep -qE '01-broken\.md:[0-9]+: ' <<<"$out" || fail "malformed: expected file:line problems, got: $out"
echo "  ok  malformed lessons: exit 65 with file:line problems"

echo "== course walk: headless run"
json="$("$bin" run neuron --steps 200 --seed 3 --json 2>/dev/null)"
for key in '"lab":"neuron"' '"seed":3' '"steps":200' '"hyperparameters":' '"metrics":' '"seconds":' '"status":"ok"'; do
  grep -qF -- "$key" <<<"$json" || fail "run --json: expected $key in: ${json:0:300}"
done
echo "  ok  run --json has lab, seed, steps, hyperparameters, metrics, seconds"
set +e
out="$("$bin" run neuron --set lr=1 --steps 500 2>&1)"; status=$?
set -e
[ "$status" -eq 1 ] && grep -q "diverged at step" <<<"$out" || fail "run lr=1: expected exit 1 and 'diverged at step', got $status: $out"
echo "  ok  a diverging run: exit 1, $(grep -o 'diverged at step [0-9]*' <<<"$out" | head -1)"
set +e
out="$("$bin" run nueron 2>&1)"; status=$?
set -e
[ "$status" -eq 64 ] && grep -q "did you mean 'neuron'" <<<"$out" || fail "run nueron: expected exit 64 and a suggestion, got $status: $out"
echo "  ok  an unknown lab: exit 64 with a suggestion"

echo "course-walk: all steps passed (captures in $WALK_DIR)"
