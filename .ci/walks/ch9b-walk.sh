#!/usr/bin/env bash
# Walks chapter 9's reinforcement-learning pages as a learner would, in a real terminal (tmux,
# 120x40, UTF-8, 256 colours): each q-table page with `:goto paradigms/PAGE`, Space to train,
# and on the screen what the lesson promises: 1/visits leaving max_q_error above 0.05, the
# decaying step k/(k+visits) bringing it below 0.05, and a discount of 0.2 turning the arrows
# toward the near reward; the dosing page, where the same table learns ppo's task in state bins.
# Then the fix page at 80x24, and again in ASCII (vt100, LANG=C).
#
# Page numbers are read from Lessons/09-paradigms.md by title, so pages other sections add
# before these do not break the walk.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch9b-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch9b-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# page TITLE: the page number of the `## TITLE` page (the text before the first `##` is page 1).
page() {
  awk -v title="## $1" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' Lessons/09-paradigms.md
}

# finished NAME SECONDS: waits until the lab has spent its budget and stopped by itself.
finished() { expect_wait="$2" expect_re "$1" '^ FINISHED '; }

live=$(page "The chain world, live"); limit=$(page "Limitation: early targets never leave the average")
fix=$(page "Fix: a step that shrinks more slowly"); discount=$(page "The discount, live")
dosing=$(page "The same table on dosing")

echo "== ch9b walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- q-table with 1/visits: the arrows settle, the error does not"
goto live "paradigms/$live" "The chain world, live" "PAUSED" "step 0" \
  "Q-table: learned vs exact (discount 0.9)" "Greedy policy (arrows)" "Largest error vs value iteration"
trains live-trains 2 "left learned" "right exact" "max_q_error"
finished live-done 60
holds live-stuck max_q_error 'x > 0.05' 1
expect live-arrows "Policies agree"
goto limit "paradigms/$limit" "Limitation: early targets never leave the average" "max_q_error"
holds limit-stuck max_q_error 'x > 0.05' 1

echo "-- q-table with k/(k+visits): within 0.05 of value iteration"
goto fix "paradigms/$fix" "Fix: a step that shrinks more slowly" "PAUSED" "step 0" "Q-table: learned vs exact"
trains fix-trains 2 "Largest error vs value iteration" "max_q_error"
finished fix-done 60
holds fix-converged max_q_error 'x < 0.05' 1
expect fix-arrows "Policies agree"

echo "-- the discount at 0.2: the arrows turn toward the near reward"
goto discount "paradigms/$discount" "The discount, live" "PAUSED" "step 0" "Greedy policy (arrows)" "0.2^100"
trains discount-trains 3 "Reward per episode"
expect_re discount-left 'learned +end +<- +<-'
pause discount-paused

echo "-- env dosing: the table in state bins, the greedy dose per bin"
goto dosing "paradigms/$dosing" "The same table on dosing" "PAUSED" "step 0" "Greedy dose per state bin" "clinician"
trains dosing-trains 3 "Q-table on dosing" "normalized_return"
pause dosing-paused

echo "-- 80x24: the fix page"
t resize-window -t walk -x 80 -y 24
goto narrow "paradigms/$fix" "Fix: a step that shrinks more slowly"
trains narrow-trains 2 "max_q_error"
pause narrow-paused
capture narrow-screen
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch9b walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-fix "paradigms/$fix" "Fix: a step that shrinks more slowly" "PAUSED"
trains ascii-trains 2 "Q-table: learned vs exact" "Greedy policy (arrows)"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
grep -q -- "learned end" "$captured" && grep -qE -- "learned +end +(->|<-)" "$captured" \
  || fail "ascii: the policy's arrows should read -> or <- (see $captured)"
echo "  ok  ascii: no braille, blocks or box lines; arrows as -> and <-"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch9b-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
