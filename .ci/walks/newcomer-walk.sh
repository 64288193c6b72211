#!/usr/bin/env bash
# The newcomer's walk through chapters 0-3 (issue 9): what tripped a first reader, checked on the
# real screen. Readouts name the numbers a page asks for; a page's settings come back on
# arrival; keys typed ahead are all obeyed; quitting and starting again brings the lab back; a
# message stays with its page; code never breaks inside a word; the sidebar shows whole titles
# at 200 columns; ASCII has no raw backticks and the race's four curves have four marks.
set -euo pipefail
WALK_NAME=newcomer-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-newcomer-walk-home.XXXXXX)"
walk_temporaries+=("$home")

start() {  # start WIDTH HEIGHT TERM LANG
  t new-session -d -s walk -x "$1" -y "$2" \
    "env MLCOURSE_HOME='$home' TERM=$3 LANG=$4 LC_ALL= '$bin'; echo \"mlcourse exited with status \$?\"; sleep 60"
}
goto() { local name="$1" target="$2"; shift 2; keys ':' "goto $target" Enter; expect "$name" "$@"; }

echo "== newcomer walk: 120x40, UTF-8"
start 120 40 xterm-256color C.UTF-8
expect start "Chapters" "(page 1/13)"
# Chapter 0 shows the current loss; the panels go by the names the text gives them.
goto prologue-lab "prologue/7" "The lab: one weight, by hand" "Dose (mg) vs pressure drop (mmHg)" "loss "
# The learner's change lasts on its page only: the next page puts the block's weight back.
keys ':' 'set weight 1.5' Enter
expect weight-set "weight = 1.5"
expect_re weight-changed 'changed here: weight 1\.5 \(page 0\)'
keys n
expect page-settings "All the keys" "this page's settings: weight 1.5 -> 0"
refuse page-settings-status "changed here"
# A multi-line code block wraps at a space, never inside a word.
goto neuron-gd "neuron/7" "Optimizer two: gradient descent"
refuse no-broken-word "grad / ient" "wei / ght"
# The readout shows the numbers page 8 asks the learner to compare.
goto neuron-run "neuron/8" "Run it: both optimizers side by side" "ols_weight " "ols_bias " "ols_loss " "Risk (%) vs age"
keys Space
sleep 1
keys Space
expect neuron-paused "PAUSED"
# Keys typed ahead during page turns are all obeyed: three n, three pages.
keys n n n
expect typed-ahead "(page 11/14)"
# A quiz verdict belongs to its page.
goto residual-quiz "neuron/12" "Reading the residuals"
keys ':' 'answer 6' Enter
expect quiz-wrong "not quite"
keys ':' 'answer minus six' Enter
expect quiz-right "right"
keys n
refuse verdict-stays-behind "not quite" "right:"
keys q
expect quit "mlcourse exited with status 0"
end_session; sleep 0.5   # the app saves on the hangup

echo "== newcomer walk: resume brings the lab back"
start 120 40 xterm-256color C.UTF-8
goto resume-page "neuron/8" "Run it: both optimizers side by side"
keys ':' 'step 40' Enter
expect stepped "step 40"
keys q
expect resume-quit "mlcourse exited with status 0"
end_session; sleep 0.5   # the app saves on the hangup
start 120 40 xterm-256color C.UTF-8
expect resumed "Run it: both optimizers side by side" "resumed from neuron-autosave" "step 40"
keys q
expect resumed-quit "mlcourse exited with status 0"
end_session; sleep 0.5   # the app saves on the hangup

echo "== newcomer walk: 80x24"
start 80 24 xterm-256color C.UTF-8
goto narrow-run "neuron/8" "Run it: both optimizers" "ols_weight " "ols_bias " "PAUSED"
capture narrow-lesson-lines
lines=$(awk 'NR>=3 && /^╰/ { exit } NR>=3 && /^│ / { n++ } END { print n + 0 }' "$captured")
[ "$lines" -ge 6 ] || fail "80x24: the lesson should show at least 6 lines of text, shows $lines"
echo "  ok  80x24: $lines lines of lesson text beside a readout and the panels"
keys Space
expect narrow-training "TRAINING" "q quit"
keys q
expect narrow-quit "mlcourse exited with status 0"
end_session; sleep 0.5   # the app saves on the hangup

echo "== newcomer walk: 200x60"
start 200 60 xterm-256color C.UTF-8
expect wide-sidebar "0 What every learning system does" "1 One neuron (linear regression)" "3 Backpropagation and optimizers"
keys q
expect wide-quit "mlcourse exited with status 0"
end_session; sleep 0.5   # the app saves on the hangup

echo "== newcomer walk: vt100, LANG=C"
start 120 40 vt100 C
goto ascii-knob "prologue/7" "The lab: one weight, by hand"
capture ascii-knob-screen
if grep -q '`' "$captured"; then fail "ascii: a raw backtick is on screen: $(grep -m1 '`' "$captured")"; fi
echo "  ok  ascii: code spans without raw backticks"
goto ascii-race "backprop/13" "The race"
keys ':' 'step 200' Enter
expect ascii-race-stepped "step 200" "* sgd" "+ momentum" "o adam" "# adamw"
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then fail "ascii: non-ASCII bytes on a vt100/LANG=C screen"; fi
echo "  ok  ascii: four optimizers, four marks"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session; sleep 0.5   # the app saves on the hangup

echo "newcomer-walk: all steps passed (captures in $WALK_DIR)"
