#!/usr/bin/env bash
# Walks the course screen as a learner would, in a real terminal (tmux): start the demo,
# train, turn a page, tune a hyperparameter, run a command, open the help, resize to narrow and
# to too small and back, quit; then the same in an ASCII, colourless terminal, a SIGTERM, a
# SIGQUIT, a SIGHUP in the real course (progress and the lab saved, the terminal cooked again).
# Every step captures the screen and checks what must (and must not) be on it.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=screen-walk
source "$(dirname "$0")/lib.sh"
walk_init

start() {  # start TERM LANG
  t new-session -d -s walk -x 120 -y 40 \
    "env TERM=$1 LANG=$2 LC_ALL= '$bin' demo; echo \"mlcourse exited with status \$?\"; sleep 60"
}

echo "== screen walk: xterm-256color, UTF-8, 120x40 ($bin)"
start xterm-256color C.UTF-8
expect start "DEMO of the screen, not a lesson" "Lessons" "Widgets tour" "Hyperparameters" "PAUSED" "step 0"
keys Space
expect training "TRAINING"
sleep 0.5
grep -qE 'step [1-9][0-9]*' <<<"$(t capture-pane -p -t walk)" || fail "training: the step count should rise"
keys Space
expect paused "PAUSED"
keys n
expect next-page "(page 2/3)" "Turning the knobs"
keys ']' '+'
expect tune-noise "noise = 0.25" "noise   0.25"
keys ':' 'help' Enter
expect command-help "commands: help, set NAME VALUE"
keys ':' 'set spe' Tab
expect tab-completion ":set speed"   # (capture-pane drops the trailing space)
keys Escape
keys '?'
expect help-overlay "Keys (any key closes)" "save and quit" "this help"
keys Escape
refuse help-closed "Keys (any key closes)"

t resize-window -t walk -x 70 -y 24
expect narrow-70x24 "Turning the knobs" "Hyperparameters" "panels 1-"
refuse narrow-no-sidebar "Lessons"
t resize-window -t walk -x 40 -y 12
expect small-40x12 "enlarge the terminal" "60 x 20"
refuse small-nothing-else "Hyperparameters" "Lessons"
t resize-window -t walk -x 120 -y 40
expect back-120x40 "Lessons" "Hyperparameters" "Turning the knobs"

keys q
expect quit "mlcourse exited with status 0"
refuse quit-restored "Hyperparameters"   # the alternate screen is gone: the shell's screen is back
end_session

echo "== screen walk: vt100, LANG=C (ASCII fallback)"
start vt100 C
expect ascii-start "DEMO of the screen, not a lesson" "Hyperparameters" "PAUSED"
keys ':' 'step 300' Enter
expect ascii-trained "step 300"
capture ascii-screen
if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
  fail "ascii: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
fi
echo "  ok  ascii: no braille, blocks or box lines"
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

# Starts the demo, sends SIGNAL to the mlcourse process, and checks its exit status and that the
# screen was restored (the lab panel is gone).
signal_walk() {
  local name="$1" signal="$2" status="$3"
  start xterm-256color C.UTF-8
  expect "$name-start" "PAUSED"
  local shell_pid app_pid
  shell_pid="$(t display-message -p -t walk '#{pane_pid}')"
  app_pid="$(pgrep -P "$shell_pid" | head -1)"
  [ -n "$app_pid" ] || fail "$name: could not find the mlcourse process"
  kill -"$signal" "$app_pid"
  expect "$name-exit" "mlcourse exited with status $status"
  refuse "$name-restored" "Hyperparameters"
  end_session
}

echo "== screen walk: SIGTERM restores the terminal"
signal_walk term TERM 0

echo "== screen walk: SIGQUIT (Ctrl-\\) is treated like SIGTERM"
signal_walk quit QUIT 0

echo "== screen walk: SIGHUP (a dropped connection) saves progress and the lab, and restores the terminal"
# The real course with a fresh progress folder: open the neuron lab, train, then hang up. The
# shell reports whether the terminal came back cooked (canonical input and echo on).
home="$(mktemp -d /tmp/mlcourse-screen-walk-home.XXXXXX)"
walk_temporaries+=("$home")
t new-session -d -s walk -x 120 -y 40 \
  "env MLCOURSE_HOME='$home' TERM=xterm-256color LANG=C.UTF-8 LC_ALL= '$bin'; echo \"mlcourse exited with status \$?\"; \
   if stty -a | grep -qE '(^|[ ;])icanon' && stty -a | grep -qE '(^|[ ;])echo([ ;]|\$)'; then echo 'terminal cooked'; else echo 'terminal raw'; fi; sleep 60"
expect hup-start "Chapters" "(page 1/"
keys ':' 'goto neuron' Enter
for _ in 1 2 3 4 5 6 7; do keys n; done
expect hup-lab-page "Lab: neuron" "PAUSED" "(page 8/"
keys Space
expect hup-training "TRAINING"
sleep 0.5
shell_pid="$(t display-message -p -t walk '#{pane_pid}')"
app_pid="$(pgrep -P "$shell_pid" | head -1)"
[ -n "$app_pid" ] || fail "hup: could not find the mlcourse process"
kill -HUP "$app_pid"
expect hup-exit "mlcourse exited with status 0" "terminal cooked"
refuse hup-restored "Hyperparameters" "terminal raw"
[ -f "$home/progress.json" ] || fail "hup: no progress.json was saved"
grep -q '"lessonID" : "neuron"' "$home/progress.json" || fail "hup: progress does not remember the neuron lesson: $(cat "$home/progress.json")"
grep -q '"page" : 7' "$home/progress.json" || fail "hup: progress does not remember page 8: $(cat "$home/progress.json")"
[ -f "$home/checkpoints/neuron-autosave.safetensors" ] || fail "hup: the lab was not autosaved (checkpoints: $(ls "$home/checkpoints" 2>&1))"
echo "  ok  hup: progress at neuron page 8 and neuron-autosave saved"
end_session

echo "== screen walk: a crash (SIGSEGV) restores the terminal and keeps the signal's status"
signal_walk crash SEGV 139

echo "== screen walk: no terminal"
set +e
out="$("$bin" demo </dev/null 2>&1 >/dev/null)"; status=$?
set -e
[ "$status" -eq 1 ] || fail "no-tty: expected exit status 1, got $status"
grep -q "not a terminal" <<<"$out" || fail "no-tty: expected a 'not a terminal' message, got: $out"
echo "  ok  no tty: exit 1 with \"$out\""

echo "== screen walk: a terminal that cannot address the cursor (TERM=dumb)"
t new-session -d -s walk -x 100 -y 30 "env TERM=dumb '$bin' demo; echo \"mlcourse exited with status \$?\"; sleep 60"
expect dumb "cannot draw a screen on this terminal (TERM=dumb)" "mlcourse exited with status 1"
end_session

echo "screen-walk: all steps passed (captures in $WALK_DIR)"
