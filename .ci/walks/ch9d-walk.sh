#!/usr/bin/env bash
# Walks chapter 9's Decision Transformer pages as a learner would, in a real terminal (tmux,
# 120x40, UTF-8, 256 colours): the live page with `:goto paradigms/PAGE`, Space to train, the
# asked-for and achieved returns on screen, `:set target_return 9` while it trains; the
# limitation page asking for 15; then the live page at 80x24 and in ASCII (vt100, LANG=C).
#
# Page numbers are read from Lessons/09-paradigms.md by title, so pages other sections add
# before these do not break the walk.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch9d-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch9d-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# page TITLE: the page number of the `## TITLE` page (the text before the first `##` is page 1).
page() {
  awk -v title="## $1" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' Lessons/09-paradigms.md
}

readout() { t capture-pane -p -t walk | grep -oE "(^|[ │|])$1 [-0-9.e+]+" | head -1 | awk '{print $NF}'; }

# shows NAME METRIC SECONDS: waits until the readout shows a number for METRIC.
shows() {
  local deadline=$((SECONDS + $3)) got=""
  while :; do
    got="$(readout "$2")"
    [ -n "$got" ] && break
    [ $SECONDS -ge $deadline ] && { capture "$1"; fail "$1: no $2 on screen within $3 s"; }
    sleep 0.5
  done
  capture "$1"
  echo "  ok  $1: $2 $got"
}

live=$(page "Asking for a return, live"); limit=$(page "Limitation: it cannot ask for more than it saw")

echo "== ch9d walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- asking for a return, live"
goto live "paradigms/$live" "Asking for a return, live" "PAUSED" "step 0" \
  "Asked for and achieved" "Doses chosen when asked for 2" "Training loss"
trains live-trains 5 "train_loss" "25th percentile (low)" "90th percentile (high)"
shows live-high achieved_return_high 60
shows live-low achieved_return_low 60
shows live-normalized normalized_return_high 60
keys ':' "set target_return 9" Enter
expect live-set9 "Doses chosen when asked for 9"
sleep 3
pause live-paused
capture live-screen

echo "-- the limitation: asked for 15"
goto limit "paradigms/$limit" "Limitation: it cannot ask for more than it saw" "Asked-for vs achieved return" "best recorded"
trains limit-trains 8 "Doses chosen when asked for 15"
pause limit-paused
capture limit-screen

echo "-- 80x24: the live page"
t resize-window -t walk -x 80 -y 24
goto narrow "paradigms/$live" "Asking for a return, live"
trains narrow-trains 3 "train_loss"
pause narrow-paused
capture narrow-screen
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch9d walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-live "paradigms/$live" "Asking for a return, live" "PAUSED"
trains ascii-trains 3 "Asked for and achieved" "Training loss"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: no braille, blocks or box lines"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch9d-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
