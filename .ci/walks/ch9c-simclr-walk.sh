#!/usr/bin/env bash
# Walks chapter 9's SimCLR pages (issue 16) as a learner would, in a real terminal (tmux): at
# 120x40 (UTF-8, 256 colours) the idea page (two views of a beat, the contrastive loss, the
# feature map) trained past the first measurement; the limitation page, whose Probe table's
# raw-beat column shows the raw probe failing on shifted beats (raw_probe_accuracy about 0.51);
# the fix page trained past step 200, where the readout must show probe_accuracy at least 0.10
# above raw_probe_accuracy and kmeans_purity above raw_kmeans_purity. Then the fix page at 80x24
# and in ASCII (TERM=vt100 LANG=C).
#
# Page numbers are read from Lessons/09-paradigms.md by title, so pages other sections add
# before these do not break the walk.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch9c-simclr-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch9c-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# page TITLE: the page number of the `## TITLE` page (the text before the first `##` is page 1).
page() {
  awk -v title="## $1" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' Lessons/09-paradigms.md
}

# readout NAME: the value the readout shows for metric NAME (nothing when it is not shown).
readout() { t capture-pane -p -t walk | grep -oE "(^|[ │|])$1 +[-0-9.e+]+" | head -1 | awk '{print $NF}' || true; }

# measured NAME SECONDS: waits up to SECONDS for the readout to show probe_accuracy (the first
# evaluation is recorded at step 105).
measured() {
  local deadline=$((SECONDS + $2))
  until [ -n "$(readout probe_accuracy)" ]; do
    [ $SECONDS -ge $deadline ] && { capture "$1"; fail "$1: no probe_accuracy on the readout within $2 s (step $(step_count))"; }
    sleep 0.5
  done
}

# past NAME STEP SECONDS: waits up to SECONDS for the status line's step count to pass STEP.
past() {
  local deadline=$((SECONDS + $3))
  until [ "$(step_count || echo 0)" -gt "$2" ]; do
    [ $SECONDS -ge $deadline ] && { capture "$1"; fail "$1: the step count should pass $2 within $3 s (step $(step_count))"; }
    sleep 0.3
  done
}

idea=$(page "SimCLR: learning similarity without labels"); limit=$(page "Limitation: a probe on raw beats")
fix=$(page "Fix: features learned from views")

echo "== ch9c walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- simclr: the idea page, trained to its first measurement"
goto idea "paradigms/$idea" "SimCLR: learning similarity without labels" "PAUSED" "step 0" "Two views of one beat" \
  "Contrastive loss (NT-Xent" "Feature map of test beats (none yet)"
trains idea-trains 2 "view 1" "view 2" "contrastive_loss"
measured idea-measured 120
expect idea-map "Feature map of test beats (step 100)"
pause idea-paused
echo "  ok  idea: contrastive_loss $(readout contrastive_loss), the map drawn at step 100"

echo "-- simclr: the raw-beat probe fails on shifted beats"
goto limit "paradigms/$limit" "Limitation: a probe on raw beats" "PAUSED" "step 0" "Probe: 5 labels a class, shifted test beats" \
  "SimCLR features" "raw beats"
keys Space
measured limit-measured 120
pause limit-paused
raw="$(readout raw_probe_accuracy)"; rawk="$(readout raw_kmeans_purity)"
awk -v r="$raw" -v k="$rawk" 'BEGIN { exit !(r != "" && r < 0.6 && k != "" && k < 0.6) }' \
  || fail "limit: the raw probe should fail on shifted beats (raw_probe_accuracy ${raw:-nothing}, raw_kmeans_purity ${rawk:-nothing})"
capture limit-probe
echo "  ok  limit: raw_probe_accuracy $raw, raw_kmeans_purity $rawk"

echo "-- simclr: the features, past step 200"
goto fix "paradigms/$fix" "Fix: features learned from views" "PAUSED" "step 0" "Probe: 5 labels a class"
keys Space
expect_re fix-started "TRAINING"
past fix-trained 206 240
pause fix-paused
# The Probe table's two columns (SimCLR features, raw beats), as the page tells the learner to read them.
row() { t capture-pane -p -t walk | grep -oE "$1 +[0-9.]+ +[0-9.]+" | head -1 | awk '{print $(NF-1), $NF}'; }
read -r probe raw <<<"$(row 'linear probe accuracy')"
read -r purity rawk <<<"$(row 'K-means purity')"
awk -v p="$probe" -v r="$raw" -v k="$purity" -v rk="$rawk" \
  'BEGIN { exit !(p != "" && r != "" && k != "" && rk != "" && p >= r + 0.10 && k > rk) }' \
  || fail "fix: want probe_accuracy >= raw + 0.10 and kmeans_purity > raw (shows $probe, $raw; $purity, $rawk) at step $(step_count)"
capture fix-probe
echo "  ok  fix: probe_accuracy $probe vs raw $raw, kmeans_purity $purity vs raw $rawk at step $(step_count)"

echo "-- 80x24: the fix page"
t resize-window -t walk -x 80 -y 24
goto narrow "paradigms/$fix" "Fix: features learned from views"
trains narrow-trains 2 "Probe"
pause narrow-paused
refuse narrow-window "(too small)"
capture narrow-screen
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch9c walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-fix "paradigms/$fix" "Fix: features learned from views" "PAUSED"
trains ascii-trains 2 "Probe" "Contrastive loss"
pause ascii-paused
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: the screen is plain ASCII"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch9c-simclr-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
