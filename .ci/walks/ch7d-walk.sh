#!/usr/bin/env bash
# Walks chapter 7d's lab pages (physics-informed networks) as a learner would, in a real terminal
# (tmux): at 120x40 (UTF-8, 256 colours) the data page, the plain net trained to its 1,500-step
# budget (extrapolation_rmse read off the readout, large), the physics page trained to the same
# budget (small), then `:set physics off` and a second run, and the Runs table must show both
# extrapolation_rmse values with physics at most 1/3 of without (the issue's promise, read off
# the screen). The weighing page trains from 3 measurements (a small error still); the inverse
# page trains R and C from their wrong guess to near the true values (read off the readout). Then the physics page at 80x24, and in ASCII (TERM=vt100 LANG=C).
#
# Page numbers are read from Lessons/07-specialised.md by title, so pages other sections add
# before these do not break the walk.
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch7d-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch7d-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# page TITLE: the page number of the `## TITLE` page (the text before the first `##` is page 1).
page() {
  awk -v title="## $1" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' Lessons/07-specialised.md
}

# readout METRIC: the value the readout shows for METRIC.
readout() { t capture-pane -p -t walk | grep -oE "(^|[ │|])$1 [-0-9.e+]+" | head -1 | awk '{print $NF}'; }

# finished NAME SECONDS: waits until the lab has spent its 1,500-step budget and stopped.
finished() { expect_wait="$2" expect_re "$1" '^ FINISHED '; }

# run_value NAME: the extrapolation_rmse the Runs table shows for the run whose name starts NAME
# (a narrow table cuts the name short; the row ends with extrapolation_rmse, window_rmse, step).
run_value() { t capture-pane -p -t walk | grep -F -- "$1" | grep -oE '[0-9.]+ +[0-9.]+ +[0-9]+ *[│|]? *$' | head -1 | awk '{print $1}' || true; }

intro=$(page "7d. Physics-informed networks"); plain=$(page "A plain net: right on the data, lost after it")
fix=$(page "The law fills the gap")
weigh=$(page "Weighing data against the law"); inverse=$(page "Turning it around: learning R and C")

echo "== ch7d walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- the data: 12 measurements in the first 1.2 s"
goto intro "specialised/$intro" "7d. Physics-informed networks" "PAUSED" "step 0" "Pressure, mmHg, along t, s" "measurements" "true pressure"

echo "-- a plain net: fine on the data, lost after it"
goto plain "specialised/$plain" "A plain net: right on the data, lost after it" "PAUSED" "step 0" "physics off" "Data and physics losses"
trains plain-trains 2 "net p(t)" "extrapolation_rmse"
finished plain-done 120
off="$(readout extrapolation_rmse)"
awk -v x="$off" 'BEGIN { exit !(x > 5) }' || fail "plain: extrapolation_rmse should be large without physics (shows $off)"
echo "  ok  plain: extrapolation_rmse $off mmHg without physics"

echo "-- the law fills the gap, then physics off for the side-by-side table"
goto fix "specialised/$fix" "The law fills the gap" "PAUSED" "step 0" "Physics residual along t" "Runs so far, side by side"
trains fix-trains 2 "net p(t)" "extrapolation_rmse"
finished fix-done 180
on="$(readout extrapolation_rmse)"
echo "  ok  fix: extrapolation_rmse $on mmHg with physics"
keys ':' 'set physics off' Enter
expect fix-confirm "changing physics restarts the lab"
keys y
expect fix-off "step 0" "physics on, weight"
trains fix-off-trains 2 "physics off"
finished fix-off-done 120
capture fix-runs
on_row="$(run_value "physics on, weight")"; off_row="$(run_value "physics off, 1")"
[ -n "$on_row" ] && [ -n "$off_row" ] || fail "fix: the Runs table should show both runs (on: '${on_row}', off: '${off_row}'; see $captured)"
awk -v a="$on_row" -v b="$off_row" 'BEGIN { exit !(a <= b / 3) }' \
  || fail "fix: extrapolation_rmse with physics ($on_row) should be at most 1/3 of without ($off_row)"
echo "  ok  fix: the Runs table shows extrapolation_rmse $on_row mmHg with physics, $off_row without (at most 1/3)"

echo "-- three measurements are enough with the law"
goto weigh "specialised/$weigh" "Weighing data against the law" "PAUSED" "step 0" "Data and physics losses"
trains weigh-trains 2 "net p(t)"
finished weigh-done 180
few="$(readout extrapolation_rmse)"
awk -v x="$few" 'BEGIN { exit !(x < 3) }' || fail "weigh: with 3 measurements and the law, extrapolation_rmse should stay small (shows $few)"
echo "  ok  weigh: extrapolation_rmse $few mmHg from 3 measurements with physics"

echo "-- the inverse problem: R and C start wrong (0.5 and 3) and are learned"
goto inverse "specialised/$inverse" "Turning it around: learning R and C" "PAUSED" "step 0" "R and C learned from the data" "learned_c"
trains inverse-trains 2 "R and C learned"
finished inverse-done 180
r="$(readout learned_r)"; c="$(readout learned_c)"
awk -v r="$r" -v c="$c" 'BEGIN { exit !(r > 0.85 && r < 1.1 && c > 1.3 && c < 2) }' \
  || fail "inverse: learned_r and learned_c should end near the true 1 and 1.5 (show $r and $c)"
echo "  ok  inverse: learned_r $r (true 1, start 0.5), learned_c $c (true 1.5, start 3)"

echo "-- 80x24: the physics page"
t resize-window -t walk -x 80 -y 24
goto narrow "specialised/$fix" "The law fills the gap" "PAUSED" "step 0"
trains narrow-trains 2 TRAINING "extrapolation_rmse"
refuse narrow-small "(too small)"
pause narrow-paused
keys q
expect narrow-quit "mlcourse exited with status 0"
end_session

echo "-- ASCII (TERM=vt100 LANG=C), 120x40: the physics page (a fresh home: no session to resume)"
home="$(mktemp -d /tmp/mlcourse-ch7d-walk-home.XXXXXX)"
walk_temporaries+=("$home")
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii "specialised/$fix" "The law fills the gap" "PAUSED" "step 0"
trains ascii-trains 2 TRAINING "Pressure, mmHg" "Physics residual"
capture ascii-screen
if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "ascii: the screen should hold only ASCII characters"; fi
echo "  ok  ascii: the screen is plain ASCII"
keys q
expect ascii-quit "mlcourse exited with status 0"

echo "ch7d-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
