#!/usr/bin/env bash
# Walks chapter 8's pages as a learner would, in a real terminal (tmux, 120x40, UTF-8, 256
# colours): the loss explorer's MSE page, where ] selects the prediction and + moves it from 72
# toward the truth 80 while the loss and gradient panels follow (64 and -16 at 72, 49 and -14 at
# 73); the BCE page's worked numbers computed live; the outliers pages, where MSE's slope_error
# stays above 1 and MAE's falls below 0.1; the focal pages, where cross-entropy's rare_recall
# ends below 0.55 (0.4967 at the course's seed 42) and focal loss's at least 0.05 higher (0.575);
# the kl pages, where the two bars give 0.0823 and 0.0872 and follow p_first, and a forward fit
# covers both bumps (mass_covered above 0.9) while a reverse one seeks one (below 0.6). Then the
# explorer and the kl page at 80x24, and the explorer again in ASCII (vt100, LANG=C).
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
kl=$(page "KL divergence: how far apart two distributions are"); klfit=$(page "Forward or reverse: cover or seek")
focal=$(page "Focal loss: mute the easy examples"); focalfix=$(page "Fix: focal loss, then class weights")

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

echo "-- kl: the two bars, both directions, and the Gaussian term"
goto kl "losses/$kl" "KL divergence" "PAUSED" "Two bars: KL(p || q) 0.0823 vs KL(q || p) 0.0872" \
  "A Gaussian against N(0, 1): kl_gaussian 0.5000"
pick p_first; keys '+'
expect kl-moved "Two bars: KL(p || q) 0.0740 vs KL(q || p) 0.0780"

echo "-- kl fit: forward covers both bumps, reverse seeks one"
goto klfit "losses/$klfit" "Forward or reverse" "PAUSED" "One-bump fit, forward KL: mass_covered"
trains klfit-trains 1 "mass_covered"
finished klfit-done 60
holds klfit-covers mass_covered 'x > 0.9' 1
keys ':' "set fit reverse" Enter
expect klfit-reverse "One-bump fit, reverse KL"
keys r
expect_re klfit-reset '^ PAUSED '
trains klfit-reverse-trains 1 "mass_covered"
finished klfit-reverse-done 60
holds klfit-seeks mass_covered 'x < 0.6' 1

echo "-- focal under cross-entropy: the rare beats lag"
goto focal "losses/$focal" "Focal loss: mute the easy examples" "PAUSED" "Recall per class under ce" \
  "Confusion: true (rows) vs predicted (columns)" "Loss weight per test beat: alpha, no focusing"
trains focal-trains 1 "rare_recall"
finished focal-done 120
holds focal-ce-low rare_recall 'x < 0.55' 1
ce_recall="$(readout rare_recall)"

echo "-- focal loss: rare_recall at least 0.05 higher, the normal beats muted"
goto focalfix "losses/$focalfix" "Fix: focal loss, then class weights" "PAUSED" "Loss weight per test beat: alpha (1-p)^2" \
  "Recall per class under focal"
trains focalfix-trains 1 "rare_recall"
finished focalfix-done 120
holds focalfix-higher rare_recall "x >= $ce_recall + 0.05" 1
holds focalfix-muted normal_weight 'x < 0.1' 1

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
goto narrow-kl "losses/$kl" "kl_forward" "kl_reverse" "kl_gaussian"
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
