#!/usr/bin/env bash
# Walks chapter 9's policy-gradient pages as a learner would, in a real terminal (tmux, 120x40,
# UTF-8, 256 colours): the REINFORCE page and the PPO fix page with `:goto paradigms/PAGE`,
# Space to train to the end of the budget, and on the screen what the lesson promises: PPO's
# normalized_return at 0.9 or above (REINFORCE's below it, on the same environment steps). Then
# the fix page at 80x24, and again in ASCII (vt100, LANG=C).
#
# Page numbers are read from Lessons/09-paradigms.md by title. Needs a release build
# (`swift build -c release --product mlcourse`); builds it if missing. MLCOURSE_BIN overrides
# the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch9c-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch9c-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# page TITLE: the page number of the `## TITLE` page (the text before the first `##` is page 1).
page() {
  awk -v title="## $1" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' Lessons/09-paradigms.md
}

readout() { t capture-pane -p -t walk | grep -oE "(^|[ │|])$1 [-0-9.e+]+" | head -1 | awk '{print $NF}'; }

holds() {
  local name="$1" metric="$2" test="$3" deadline=$((SECONDS + $4)) got=""
  while :; do
    got="$(readout "$metric")"
    if [ -n "$got" ] && awk -v x="$got" "BEGIN { exit !($test) }"; then break; fi
    [ $SECONDS -ge $deadline ] && { capture "$name"; fail "$name: $metric should satisfy $test within $4 s (shows ${got:-nothing})"; }
    sleep 0.3
  done
  capture "$name"
  echo "  ok  $name: $metric $got ($test)"
}

finished() { expect_wait="$2" expect_re "$1" '^ FINISHED '; }

live=$(page "REINFORCE on dosing, live"); fix=$(page "Fix: PPO's clipped steps")

echo "== ch9c walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- REINFORCE: one gradient step per rollout"
goto live "paradigms/$live" "REINFORCE on dosing, live" "PAUSED" "step 0" \
  "Return per update (REINFORCE)" "Policy: dose probabilities by drug level"
trains live-trains 3 "normalized_return" "Approximate KL and clip fraction"
finished live-done 240
holds live-short normalized_return 'x < 0.9' 1

echo "-- PPO: several clipped epochs on each rollout"
goto fix "paradigms/$fix" "Fix: PPO's clipped steps" "PAUSED" "step 0" "Return per update (PPO)"
trains fix-trains 3 "Approximate KL and clip fraction per update" "clip_fraction"
finished fix-done 240
holds fix-expert normalized_return 'x >= 0.9' 1

echo "-- 80x24: the fix page"
t resize-window -t walk -x 80 -y 24
goto narrow "paradigms/$fix" "Fix: PPO's clipped steps"
trains narrow-trains 2 "normalized_return"
pause narrow-paused
capture narrow-screen
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch9c walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-fix "paradigms/$fix" "Fix: PPO's clipped steps" "PAUSED"
trains ascii-trains 2 "Policy: dose probabilities by drug level" "Value loss"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: no braille, blocks or box lines"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch9c-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
