#!/usr/bin/env bash
# Walks chapter 5 (recurrent networks and LSTM) as a learner would, in a real terminal (tmux,
# 120x40, UTF-8, 256 colours): every lab page with `:goto rnn-lstm/PAGE`, Space to train, and
# on the screen what the lesson promises: the RNN's gradient curve and a grad_ratio far below
# 1e-3; the exploding run's weights thrown away and clip keeping them; the LSTM's grad_ratio
# above 1e-2; the memory task's LSTM passing 0.95 with its gate heatmaps; the RNN guessing; the
# LSTM with forget_bias 1 guessing too; the sequence-cost sweep with its counted chains. Then
# the memory task at 80x24, and again in ASCII (vt100, LANG=C) with its gate heatmap.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch5-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch5-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

echo "== ch5 walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters" "5 Recurrent networks"

echo "-- vanishing-gradient: the RNN"
goto rnn-page rnn-lstm/5 "The gradient, beat by beat" "(page 5/14)" "PAUSED" "step 0" \
  "RNN gradient size by beat" "Loss (RNN, 100 beats)" "Gradient norm before clipping"
trains rnn-trains 2 "RNN gradient size by beat, first/last" "grad_ratio"
holds rnn-vanishes grad_ratio 'x < 1e-3' 20
pause rnn-paused

echo "-- vanishing-gradient: exploding, then clipped"
goto explode rnn-lstm/6 "The opposite failure: exploding gradients" "(page 6/14)" "PAUSED" "step 0"
expect_re explode-settings 'scale +4 '
trains explode-trains 1 "Gradient norm before clipping"
holds explode-weights weight_norm 'x > 1e5' 10
pause explode-paused
keys ':' 'set clip 1' Enter
keys r
expect explode-reset "PAUSED" "step 0"
trains clipped-trains 2 "Gradient norm before clipping"
holds clipped-weights weight_norm 'x < 30' 5
holds clipped-norm grad_norm 'x > 1e3' 5
pause clipped-paused

echo "-- vanishing-gradient: the LSTM"
goto lstm-gradient rnn-lstm/8 "The gradient through an LSTM" "(page 8/14)" "PAUSED" "step 0" "LSTM gradient size by beat"
trains lstm-gradient-trains 2 "LSTM gradient size by beat, first/last"
holds lstm-gradient-flows grad_ratio 'x > 1e-2' 40
pause lstm-gradient-paused

echo "-- memory-task: the LSTM remembers"
goto memory rnn-lstm/9 "The memory task" "(page 9/14)" "PAUSED" "step 0" \
  "Accuracy (LSTM): 0.5 is guessing" "Forget gate: slot x beat 1-100" "Input gate: slot x beat 1-100"
trains memory-trains 2 "Accuracy (LSTM)" "test_accuracy"
holds memory-learns test_accuracy 'x >= 0.95' 60
pause memory-paused

echo "-- memory-task: the RNN guesses"
goto memory-rnn rnn-lstm/10 "The RNN on the same task" "(page 10/14)" "PAUSED" "step 0" "Accuracy (RNN): 0.5 is guessing"
trains memory-rnn-trains 8 "Accuracy (RNN)" "test_accuracy"
holds memory-rnn-guesses test_accuracy 'x <= 0.65' 1
pause memory-rnn-paused

echo "-- memory-task: forget_bias 1 forgets"
goto forget-bias rnn-lstm/11 "The forget bias" "(page 11/14)" "PAUSED" "step 0" "Accuracy (LSTM): 0.5 is guessing" "Forget gate: slot x beat 1-100"
expect_re forget-bias-settings 'forget_bias +1 '
trains forget-bias-trains 8 "Accuracy (LSTM)" "test_accuracy"
holds forget-bias-guesses test_accuracy 'x <= 0.65' 1
pause forget-bias-paused

echo "-- sequence-cost"
goto cost rnn-lstm/12 "Limitation: one step at a time" "(page 12/14)" "PAUSED" "step 0" \
  "Milliseconds per sequence, by length" "LSTM (16896 weights) against conv (16768)"
trains cost-trains 1 "sequential_steps_lstm 2000" "sequential_steps_conv 2"
expect_wait=30 expect cost-swept "sweep done: at 2000 beats the LSTM takes" "lstm_over_conv_seconds"
holds cost-slower lstm_over_conv_seconds 'x > 1' 1

echo "-- 80x24: the memory task"
t resize-window -t walk -x 80 -y 24
goto narrow rnn-lstm/9 "The memory task" "(page 9/14)" "Accuracy (LSTM)"
trains narrow-trains 2 "Accuracy (LSTM)" "test_accuracy"
pause narrow-paused
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch5 walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-memory rnn-lstm/9 "The memory task" "(page 9/14)" "PAUSED"
trains ascii-trains 3 "Accuracy (LSTM)" "Forget gate: slot x beat 1-100"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: no braille, blocks or box lines"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch5-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
