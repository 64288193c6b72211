#!/usr/bin/env bash
# Walks chapter 4's lab pages as a learner would, in a real terminal (tmux): at 120x40 (UTF-8,
# 256 colours) every lab page of the chapter, training each; cnn-ecg to past 95% (read off the
# confusion matrix on screen), then the shift of 30 samples set live on the trained network
# and training on to at least 90%; cnn-range near chance with its receptive field drawn over the recording.
# Then every lab page at 80x24, and the filters and cnn-range pages in ASCII (TERM=vt100 LANG=C).
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch4-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch4-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS


echo "== ch4 walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters" "4 Convolutional netw"

echo "-- cnn-ecg: training past 95%, then the shift set live"
goto ecg cnn/7 "A CNN reads heartbeats" "(page 7/12)" "PAUSED" "step 0" \
  "Test accuracy" "Confusion: true (rows) vs predicted (columns)"
expect ecg-readout "parameters 21253" "receptive_field 16"
keys '>'
expect ecg-parameters "Parameters: 21,253 vs mlp-ecg's 65,541" "cnn-ecg total" "mlp-ecg total"
keys '<'
expect ecg-back "Confusion: true (rows) vs predicted (columns)"
ecg_started=$SECONDS
trains ecg-trains 2 TRAINING "Test accuracy" "━ test  ╌ goal 0.95" "normal" "afib"
accuracy_at_least ecg-accuracy 95 75
echo "  ok  ecg: past 95% within $((SECONDS - ecg_started)) s of pressing Space"
pause ecg-paused
keys ':' 'set shift 30' Enter
expect ecg-shifted "Test accuracy (shift 30)"
# Measured at once on the weights of the moment (a few points down, sometimes more just past
# 95%); the lesson's claim is that training on with shifted test beats climbs past 0.90.
echo "  ok  ecg-shifted: the confusion matrix shows $(confusion_accuracy)% at once (step $(step_count))"
keys Space
expect ecg-shift-trains "TRAINING"
accuracy_at_least ecg-shift-accuracy 90 60
pause ecg-shift-paused

echo "-- cnn-ecg: filters and feature maps"
goto filters cnn/8 "What the filters learned" "Layer-1 filters: 64 x 5 taps" "Feature maps, layer 1 of 2" "PAUSED" "step 0"
trains filters-trains 2 TRAINING "Layer-1 filters: 64 x 5 taps" "rows: filters, columns: taps" "Feature maps, layer 1 of 2"
keys ':' 'set map 2' Enter
expect filters-map2 "Feature maps, layer 2 of 2" "32 channels x 125 positions"
pause filters-paused

echo "-- cnn-ecg: the shift page"
goto shift cnn/9 "The shift test, passed" "Test accuracy (shift 30)" "PAUSED" "step 0" "shifted 30"
trains shift-trains 2 TRAINING "Test accuracy (shift 30)" "Confusion: true (rows)"
pause shift-paused

echo "-- cnn-range: near chance"
goto range cnn/11 "Limitation: a small window" "(page 11/12)" "PAUSED" "step 0" \
  "One unit's window: 16 of 2000 samples" "Test accuracy: same class at both ends?" "first/last" "1 unit sees"
range_started=$SECONDS
trains range-trains 20 TRAINING "╌ chance 0.5" "Loss (cross-entropy; chance is 0.69)"
pause range-paused
range_steps="$(step_count)"
range_accuracy="$(readout test_accuracy)"
[ -n "$range_accuracy" ] || fail "range: the readout should show test_accuracy"
awk -v a="$range_accuracy" 'BEGIN { exit !(a <= 0.65) }' || fail "range: test_accuracy should stay near chance (shows $range_accuracy)"
echo "  ok  range: test_accuracy $range_accuracy after $range_steps steps ($((SECONDS - range_started)) s)"

echo "-- 80x24: cnn-range"
t resize-window -t walk -x 80 -y 24
goto narrow cnn/11 "Limitation: a small window" "PAUSED" "One unit's window: 16 of 2000 samples" "first/last"
trains narrow-trains 2 TRAINING "One unit's window: 16 of 2000 samples" "test_accuracy"
refuse narrow-window "(too small)"
pause narrow-paused
keys '>'
expect narrow-accuracy "Test accuracy: same class"
echo "-- 80x24: the three cnn-ecg pages"
goto narrow-ecg cnn/7 "A CNN reads heartbeats" "PAUSED" "step 0" "Test accuracy" "test_accuracy" "parameters 21253"
trains narrow-ecg-trains 2 TRAINING "Test accuracy"
pause narrow-ecg-paused
goto narrow-filters cnn/8 "What the filters learned" "PAUSED" "step 0" "Layer-1 filters: 64 x 5 taps"
trains narrow-filters-trains 2 TRAINING "Layer-1 filters: 64 x 5 taps"
pause narrow-filters-paused
goto narrow-shift cnn/9 "The shift test, passed" "PAUSED" "step 0" "Test accuracy (shift 30)"
trains narrow-shift-trains 2 TRAINING "Test accuracy (shift 30)"
pause narrow-shift-paused
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "-- ASCII (TERM=vt100 LANG=C), 120x40: the filters page and cnn-range"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii cnn/8 "What the filters learned" "Layer-1 filters: 64 x 5 taps" "PAUSED"
trains ascii-trains 2 TRAINING "Layer-1 filters: 64 x 5 taps" "Feature maps, layer 1 of 2" "rows: filters, columns: taps"
capture ascii-screen
if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "ascii: the screen should hold only ASCII characters"; fi
echo "  ok  ascii: the screen is plain ASCII"
goto ascii-range cnn/11 "Limitation: a small window" "PAUSED" "One unit's window: 16 of 2000 samples"
trains ascii-range-trains 2 TRAINING "One unit's window: 16 of 2000 samples" "test_accuracy"
capture ascii-range-screen
if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "ascii-range: the screen should hold only ASCII characters"; fi
echo "  ok  ascii-range: the screen is plain ASCII"
keys q
expect ascii-quit "mlcourse exited with status 0"

echo "ch4-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
