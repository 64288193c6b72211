#!/usr/bin/env bash
# Walks chapter 10's map page (issue 18) as a learner would, in a real terminal (tmux): at 120x40
# (UTF-8, 256 colours) the page opens paused with every row listed, none scored; Space trains,
# and rows fill: the Training now panel counts at least three rows scored and the table shows
# the boosting row's RMSE. Then the same page at 80x24, still
# filling, and Tab to the lab shows more of the table. The course is quit and opened again on
# the same data folder: the scored rows are there at once after a reset (r), from the cache,
# before any step. Last, the page in ASCII (vt100, LANG=C).
#
# The page number is read from Lessons/10-map.md by title.
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch10-map-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch10-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS
page=$(lesson_page Lessons/10-map.md "The map, measured here")
[ -n "$page" ] || fail "no page titled 'The map, measured here' in Lessons/10-map.md"

# scored AT-LEAST: the Training now panel's count of scored rows (e.g. "3/16 scored").
scored() { t capture-pane -p -t walk | grep -oE '[0-9]+/[0-9]+ scored' | head -1 | cut -d/ -f1; }

echo "== ch10 map walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"
goto map "map/$page" "The map, measured here" "PAUSED" "Training now" "0/19 scored" "U-Net" "Swin-UNet" "Q-table"
trains map-trains 2 "The map, measured here"
wait_until map-fills "rows scored" scored 'x >= 3' 60
expect_re map-boosting-score 'boosting .* [0-9]+\.[0-9]+ '
pause map-paused

echo "-- 80x24: the same page, still filling"
t resize-window -t walk -x 80 -y 24
expect narrow "The map, measured" "scored"
# Tab gives the focused lab the lesson's rows: the table shows the regression rows too.
keys Tab
expect narrow-lab-focus "[lab]" "deep net"
before="$(scored)"
keys Space
wait_until narrow-fills "rows scored" scored "x > $before" 60
pause narrow-paused
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "== ch10 map walk: reopened on the same data folder and reset, rows come from the cache"
start_course 120 40 xterm-256color C.UTF-8
expect restart "Chapters"
goto reopened "map/$page" "The map, measured here"
keys r
expect_re reset '^ PAUSED  step 0 '
expect cached "from the cache"
got="$(scored)"
[ "${got:-0}" -ge 3 ] || fail "cached: at least 3 rows should show at once from the cache (shows ${got:-none})"
echo "  ok  cached: $got rows scored at step $(step_count || echo 0), from the cache"
keys q
expect cached-quit "mlcourse exited with status 0"
end_session

echo "== ch10 map walk: vt100, LANG=C (ASCII), 120x40"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii "map/$page" "The map, measured here" "Swin-UNet"
keys r
expect ascii-cached "from the cache"
ascii_screen ascii-screen
keys q
expect ascii-quit "mlcourse exited with status 0"
end_session

echo "ch10-map-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
