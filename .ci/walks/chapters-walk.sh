#!/usr/bin/env bash
# Walks chapters 2 and 3 as a learner would, in a real terminal (tmux, 120x40, UTF-8, 256
# colours): go to every lab page with `:goto LESSON/PAGE`, start the lab and check on the screen
# that it trains (the step count grows, TRAINING, the panels' titles) and that it shows what the
# lesson says: mlp-curve's fit and loss, mlp-ecg's accuracy past 95% (read off the confusion
# matrix on screen, and from `mlcourse run --json`), the shifted beats' accuracy well below,
# gradcheck's table with and without the bug, the optimizer race's four racers, the MLP race;
# then the race at 70x24.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=chapters-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-chapters-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

echo "== chapters walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40
expect start "Chapters" "2 Multi-layer percep" "3 Backpropagation an"

echo "-- chapter 2: mlp-curve"
goto mlp-linear mlp/3 "Stacking lines gives a line" "(page 3/13)" "Lab: mlp-curve" "PAUSED" "step 0" \
  "Fit: bend, 4 layers of 16 linear" "Loss (mean squared error)"
trains mlp-linear-trains 1.5 TRAINING "Fit: bend, 4 layers of 16 linear" "━ network  ━ best line" "╌ best line"
goto mlp-hinge mlp/5 "A hinge at age 55" "(page 5/13)" "Fit: bend, 1 layer of 8 relu" "PAUSED" "step 0"
trains mlp-hinge-trains 1.5 TRAINING "Fit: bend, 1 layer of 8 relu" "Loss (mean squared error)"
# The lesson: the network's loss falls below the best straight line's (the completion notice).
expect mlp-hinge-beats-line "lab complete at step" "half the best straight line"
goto mlp-sine mlp/6 "Universal approximation" "(page 6/13)" "Fit: sine, 1 layer of 2 relu" "PAUSED"
trains mlp-sine-trains 1 TRAINING "Fit: sine, 1 layer of 2 relu"
# A reset-only setting after training asks first; y restarts the lab with it (the lesson says so).
keys ':' 'set hidden 16' Enter
expect mlp-sine-asks "changing hidden restarts the lab" "[y/n]"
keys y
expect mlp-sine-restarted "hidden = 16; the lab restarted" "Fit: sine, 1 layer of 16 relu" "PAUSED" "step 0"
trains mlp-sine16-trains 1 TRAINING "Fit: sine, 1 layer of 16 relu"
pause mlp-sine-paused

echo "-- chapter 2: mlp-ecg"
goto ecg mlp/9 "Classifying heartbeats" "(page 9/13)" "PAUSED" "step 0" \
  "Loss (cross-entropy)" "Test accuracy" "Confusion: true (rows) vs predicted (columns)"
ecg_started=$SECONDS
trains ecg-trains 1 TRAINING "Loss (cross-entropy)" "━ test  ╌ goal 0.95" "normal" "afib"
accuracy_at_least ecg-accuracy 95 9
echo "  ok  ecg: past 95% within $((SECONDS - ecg_started)) s of pressing Space"
pause ecg-paused
goto ecg-inside mlp/10 "Inside the classifier" "(page 10/13)" "Test beat: " "Layer-1 weights: 32 of 256 units"
trains ecg-inside-trains 1 TRAINING "Test beat: " "Layer-1 weights"
goto ecg-permute mlp/11 "Limitation one: order means nothing" "(page 11/13)" "Layer-1 weights, scrambled"
expect_re ecg-permute-setting 'permute +on +off \| on'

trains ecg-permute-trains 1 TRAINING "Layer-1 weights, scrambled" "Test accuracy"
goto ecg-shift mlp/12 "Limitation two: a shifted beat is new" "(page 12/13)" "Test accuracy (shift 20)" "Confusion: true (rows)"
expect_re ecg-shift-setting 'shift +20 +0 \.\.\. 60'
trains ecg-shift-trains 2 TRAINING "Test accuracy (shift 20)"
shifted="$(confusion_accuracy)"
[ -n "$shifted" ] || fail "ecg-shift: no confusion matrix to read"
awk -v g="$shifted" 'BEGIN { exit !(g <= 80) }' \
  || fail "ecg-shift: with test beats shifted 20 samples the accuracy should stay at least 15 points below (shows $shifted%)"
echo "  ok  ecg-shift: shifted test beats, $shifted% right on the confusion matrix"
pause ecg-shift-paused

echo "-- chapter 2: mlp-ecg headless, 400 steps"
ecg_json="$("$bin" run mlp-ecg --steps 400 --json 2>/dev/null)" || fail "run mlp-ecg: exit $?"
# The last value of the test_accuracy series, and the run's seconds (compact JSON, keys sorted).
ecg_accuracy="$(grep -oE '"name":"test_accuracy",("stride":[0-9]+,)?"values":\[[^]]*\]' <<<"$ecg_json" | grep -oE '[0-9.eE+-]+\]$' | tr -d ']' || true)"
ecg_seconds="$(grep -oE '"seconds":[0-9.eE+-]+' <<<"$ecg_json" | cut -d: -f2 || true)"
[ -n "$ecg_accuracy" ] && [ -n "$ecg_seconds" ] \
  || fail "run mlp-ecg --json: expected a test_accuracy series and seconds in: ${ecg_json:0:300}"
awk -v a="$ecg_accuracy" -v s="$ecg_seconds" 'BEGIN { exit !(a >= 0.95 && s <= 10) }' \
  || fail "run mlp-ecg --steps 400: test_accuracy should pass 0.95 within 10 s (got $ecg_accuracy in $ecg_seconds s)"
echo "  ok  run mlp-ecg --steps 400: test_accuracy $ecg_accuracy in ${ecg_seconds} s"

echo "-- chapter 3: gradcheck"
goto gradcheck backprop/6 "Checking backprop" "(page 6/16)" \
  "parameter" "backprop" "numeric" "rel. error" "all 13 rows agree" "The chain rule along one path" "sum ="
refuse gradcheck-no-wrong "WRONG"
# A check is one step: each Space (or s) draws new weights, checks them and pauses (the lab never finishes: `run gradcheck --steps N` runs N checks).
keys Space
expect_re gradcheck-step-1 'PAUSED +step 1 '
keys s
expect_re gradcheck-step-2 'PAUSED +step 2 '
expect gradcheck-checked "new random weights, checked: all 13 rows agree"
keys ':' 'set bug on' Enter
expect gradcheck-bug-on "WRONG" "9 of 13 rows disagree" "h^2 - 1 (the bug"
capture gradcheck-bug-rows
wrong="$(grep -c 'WRONG' "$captured")"
[ "$wrong" -eq 9 ] || fail "gradcheck-bug-rows: the 9 hidden-layer rows (6 weights, 3 biases) should be WRONG, saw $wrong"
grep -E 'output\.' "$captured" | grep -q 'WRONG' && fail "gradcheck-bug-rows: the output layer's rows should still agree"
echo "  ok  gradcheck bug on: $wrong WRONG rows, all in the hidden layer"
keys ':' 'set bug off' Enter
expect gradcheck-bug-off "all 13 rows agree"
refuse gradcheck-bug-gone "WRONG"
goto gradcheck-bug-page backprop/7 "A bug, caught" "(page 7/16)" "WRONG" "of 13 rows disagree"
expect_re gradcheck-bug-page-setting 'bug +on '


echo "-- chapter 3: optimizer-race"
goto race backprop/9 "The limits of SGD" "(page 9/16)" "PAUSED" \
  "S sgd M momentum A adam W adamw, > start * lowest" "━ sgd  ━ momentum  ━ adam  ━ adamw" "Loss per step (log scale)"
trains race-trains 1 TRAINING "━ sgd  ━ momentum  ━ adam  ━ adamw"
expect_wait=8 expect race-over "the race is over after 500 steps:" "FINISHED"
# The lesson: lr 0.08 from the start bounces, then races; a reset keeps the setting.
keys ':' 'set lr 0.08' Enter
keys r
expect_re race-lr 'lr +0\.08 +0\.0001'
expect race-lr-reset "PAUSED" "step 0"
trains race-lr-trains 1 TRAINING "S sgd M momentum"
goto race-noisy backprop/14 "The noisy valley" "(page 14/16)" "noisy"
expect_re race-noisy-surface 'surface +noisy '

trains race-noisy-trains 1 TRAINING "Loss (log); jitter S "

echo "-- chapter 3: optimizer-mlp"
goto optimizer-mlp backprop/15 "The race on a real network" "(page 15/16)" \
  "Training loss per optimizer" "Test accuracy per optimizer"
trains optimizer-mlp-trains 1.5 TRAINING "Training loss per optimizer" "━ sgd" "━ adamw"
pause optimizer-mlp-paused

echo "-- 70x24: the race, lesson above the lab"
t resize-window -t walk -x 70 -y 24
goto narrow backprop/13 "The race" "(page 13/16)" "S sgd M momentum A adam W" "Loss per step (log" "Hyperparameters"
refuse narrow-no-sidebar "Labs coming"
trains narrow-trains 1 TRAINING "S sgd M momentum"
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "chapters-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
