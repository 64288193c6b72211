#!/usr/bin/env bash
# Walks chapter 8's pages as a learner would, in a real terminal (tmux, 120x40, UTF-8, 256
# colours): the loss explorer's MSE page, where ] selects the prediction and + moves it from 72
# toward the truth 80 while the loss and gradient panels follow (64 and -16 at 72, 49 and -14 at
# 73); the BCE page's worked numbers computed live; the outliers pages, where MSE's slope_error
# stays above 1 and MAE's falls below 0.1. Then the explorer at 80x24, and again in ASCII
# (vt100, LANG=C).
#
# Page numbers are read from Lessons/08-losses.md by title.
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch8-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch8-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# page TITLE: the page number of the `## TITLE` page (the text before the first `##` is page 1).
page() {
  awk -v title="## $1" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' Lessons/08-losses.md
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

# pick NAME: presses ] until the Hyperparameters panel marks NAME as selected (▶, or > in ASCII).
pick() {
  local tries=0
  until t capture-pane -p -t walk | grep -qE "(▶|>) $1 "; do
    tries=$((tries + 1)); [ $tries -gt 8 ] && { capture "pick-$1"; fail "pick: $1 never became the selected hyperparameter"; }
    keys ']'
  done
}

finished() { expect_wait="$2" expect_re "$1" '^ FINISHED '; }

mse=$(page "MSE: the square of the miss"); bce=$(page "Binary cross-entropy: surprise, for yes or no")
outliers=$(page "Limitation: one outlier pulls the whole fit"); fix=$(page "Fix: MAE, and Huber in between")
kl=$(page "KL divergence: how far apart two distributions are")

echo "== ch8 walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- loss-explorer, MSE: move the prediction and the numbers follow"
goto mse "losses/$mse" "MSE: the square of the miss" "PAUSED" "mse loss vs prediction" "loss 64 at 72" "gradient -16 at 72" "Worked numbers"
expect mse-table "72 vs 80" "off by 20" "400"
pick prediction; keys '+'
expect mse-moved "loss 49 at 73" "gradient -14 at 73"
keys '+' '+' '+' '+' '+' '+' '+'
expect mse-truth "loss 0 at 80" "gradient 0 at 80"
keys '+'
expect mse-past "loss 1 at 81" "gradient 2 at 81"

echo "-- loss-explorer, BCE: the worked numbers computed live"
goto bce "losses/$bce" "Binary cross-entropy" "bce loss vs probability" "0.1054" "2.303" "4.605" "0.6931"
pick prediction; keys '-'
expect bce-moved "at 0.89"

echo "-- loss-explorer, KL: both directions"
goto kl "losses/$kl" "KL divergence" "KL([0.3,0.7] || [0.5,0.5])" "0.08228" "0.08718" "you, reversed"

echo "-- outliers under MSE: pulled toward the outliers"
goto outliers "losses/$outliers" "Limitation: one outlier pulls the whole fit" "PAUSED" "Line fit under mse" "What the points cost under mse"
trains outliers-trains 2 "slope_error"
finished outliers-done 60
holds outliers-pulled slope_error 'x > 1' 1

echo "-- outliers under MAE: back on the clean points"
goto fix "losses/$fix" "Fix: MAE, and Huber in between" "PAUSED" "Line fit under mae"
trains fix-trains 2 "slope_error"
finished fix-done 60
holds fix-clean slope_error 'x < 0.1' 1

echo "-- 80x24: the MSE page"
t resize-window -t walk -x 80 -y 24
goto narrow "losses/$mse" "MSE: the square of the miss"
pick prediction; keys '+'
expect narrow-moved "at 73"
capture narrow-screen
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch8 walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-mse "losses/$mse" "MSE: the square of the miss" "PAUSED" "loss 64 at 72"
pick prediction; keys '-'
expect ascii-moved "loss 81 at 71" "gradient -18 at 71"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: no braille, blocks or box lines"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch8-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
