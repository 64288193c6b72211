#!/usr/bin/env bash
# Walks chapter 7a's lab pages (U-Net segmentation) as a learner would, in a real terminal (tmux):
# at 120x40 (UTF-8, 256 colours) the window-cnn page, then unet-ecg trained until the Test Dice
# panel's title shows a mean of at least 0.85 (read off the screen), the skips page with the lab
# restarted with skips off and both runs side by side, and the loss page. Then the U-Net page at
# 80x24, and in ASCII (TERM=vt100 LANG=C), where the label strips must show the class letters.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch7a-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch7a-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# mean_dice: the mean Dice in the Test Dice panel's title, as shown.
mean_dice() { t capture-pane -p -t walk | grep -oE 'Test Dice: P [0-9.-]+ +QRS [0-9.-]+ +T [0-9.-]+ +mean [0-9.]+' | head -1 | grep -oE '[0-9.]+$' || true; }

# dice_at_least NAME VALUE SECONDS: waits up to SECONDS for the title to show a mean >= VALUE.
dice_at_least() { wait_until "$1" "the Test Dice mean" mean_dice "x >= $2" "$3"; }

echo "== ch7a walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- window-cnn: the baseline"
goto window specialised/3 "The simplest labeller: a window around each sample" "PAUSED" "step 0" \
  "Test recording #0: true and predicted labels" "Where the waves start and end"
trains window-trains 3 TRAINING "Test Dice: P" "all background" "P wave" "QRS" "T wave"
pause window-paused

echo "-- unet-ecg: past Dice 0.85"
goto unet specialised/4 "U-Net: down, across and up" "PAUSED" "step 0" "Test recording #0: true and predicted labels"
unet_started=$SECONDS
trains unet-trains 2 TRAINING "Test Dice: P" "true" "net"
dice_at_least unet-dice 0.85 90
echo "  ok  unet: mean Dice past 0.85 within $((SECONDS - unet_started)) s of pressing Space"
pause unet-paused

echo "-- skips: two runs side by side"
goto skips specialised/5 "Skip connections: the" "PAUSED" "step 0" "Runs so far, side by side" "(none measured yet)"
trains skips-trains 4 TRAINING "skips on, dice+ce"
pause skips-paused
keys ':' 'set skips off' Enter
expect skips-confirm "changing skips restarts the lab"
keys y
expect skips-off "step 0" "skips on, dice+ce"
trains skips-off-trains 4 TRAINING "> skips off, dice+ce" "skips on, dice+ce"
pause skips-off-paused

echo "-- loss: cross-entropy first"
goto loss specialised/7 "Cross-entropy or Dice?" "PAUSED" "step 0" "Training loss (ce)" "Runs so far, side by side"
trains loss-trains 3 TRAINING "skips on, ce"
pause loss-paused

echo "-- 80x24: the U-Net page"
t resize-window -t walk -x 80 -y 24
goto narrow specialised/4 "U-Net: down, across and up" "PAUSED" "step 0"
trains narrow-trains 3 TRAINING "Test recording #" "true" "net"
refuse narrow-small "(too small)"
pause narrow-paused
keys q
expect narrow-quit "mlcourse exited with status 0"
end_session

echo "-- ASCII (TERM=vt100 LANG=C), 120x40: the U-Net page, strips as letters (a fresh home: no session to resume)"
home="$(mktemp -d /tmp/mlcourse-ch7a-walk-home.XXXXXX)"
walk_temporaries+=("$home")
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii specialised/4 "U-Net: down, across and up" "PAUSED" "step 0"
trains ascii-trains 4 TRAINING "Test recording #"
capture ascii-screen
if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "ascii: the screen should hold only ASCII characters"; fi
grep -qE 'true [.PQT]*P[.PQT]*Q[.PQT]*T' "$captured" || fail "ascii: the true strip should show P, Q and T letters in order"
grep -qE 'net  ?[.PQT]*Q' "$captured" || fail "ascii: the predicted strip should show QRS letters"
echo "  ok  ascii: the screen is plain ASCII and both strips show the letters"
keys q
expect ascii-quit "mlcourse exited with status 0"

echo "ch7a-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
