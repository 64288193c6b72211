#!/usr/bin/env bash
# Walks the import of a learner's ECG as a learner would: the real release binary writes a
# simulated recording (360 Hz, noise, wander, motion artefacts) as CSV, imports it, refuses a
# broken file with exit 65 and leaves nothing behind, then in a real terminal (tmux) trains
# cnn-ecg on chapter 4's "Your own ECG" page and shows `:data holter`'s beats panel: at 120x40
# (UTF-8, 256 colours), at 80x24, and in ASCII (TERM=vt100 LANG=C).
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ecg-import-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ecg-import-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

echo "== ecg-import walk ($bin, MLCOURSE_HOME=$home)"
MLCOURSE_HOME="$home" "$bin" data simulate-recording --out "$home/holter.csv" --seconds 60 --rate 360
MLCOURSE_HOME="$home" "$bin" data import "$home/holter.csv" --name holter | tee "$WALK_DIR/import.txt"
grep -q "imported .* as 'holter': 7[0-9] beats, 72 bpm" "$WALK_DIR/import.txt" || fail "import: should find about 72 beats at 72 bpm"
MLCOURSE_HOME="$home" "$bin" data list | grep -q "^holter .* beats" || fail "data list: should show holter"
echo "  ok  import: $(head -1 "$WALK_DIR/import.txt")"

# The same recording without its label column, its truth given as an annotation file instead
# (sample index at 360 Hz, MIT-BIH symbol), as PhysioNet records come.
awk -F, 'NR > 1 && $3 != "" { print NR - 2 "," ($3 == "pvc" ? "V" : "N") }' "$home/holter.csv" > "$home/holter-marks.csv"
cut -d, -f1,2 "$home/holter.csv" > "$home/holter-bare.csv"
MLCOURSE_HOME="$home" "$bin" data import "$home/holter-bare.csv" --name bare --annotations "$home/holter-marks.csv" \
  | tee "$WALK_DIR/annotated.txt"
grep -q "imported .* as 'bare': 7[0-9] beats, 72 bpm.*7[0-9] of them labelled with a course class" "$WALK_DIR/annotated.txt" \
  || fail "import --annotations: the annotation file should label the beats"
echo "  ok  annotations: $(head -1 "$WALK_DIR/annotated.txt")"

printf 'time,ECG\n0,0.1\n0.004,oops\n' > "$home/broken.csv"
set +e
MLCOURSE_HOME="$home" "$bin" data import "$home/broken.csv" 2> "$WALK_DIR/broken.txt"
status=$?
set -e
[ "$status" -eq 65 ] || fail "broken import: exit status should be 65, was $status"
grep -q "broken.csv:3: column 2: 'oops' is not a number" "$WALK_DIR/broken.txt" || fail "broken import: the message should name line 3, column 2"
[ ! -e "$home/imports/broken.ecg.json" ] || fail "broken import: nothing should be written"
echo "  ok  broken file: exit 65, $(cat "$WALK_DIR/broken.txt")"

data_page() {  # data_page NAME: the page, a few seconds of training, then :data holter
  local name="$1"
  keys ':' "goto cnn/10" Enter
  expect "$name-page" "Your own ECG: domain shift" "PAUSED"
  keys Space
  expect "$name-training" "TRAINING"
  sleep 4
  keys Space
  expect "$name-paused" "PAUSED"
  keys ':' "data holter" Enter
  expect "$name-panel" "Your ECG 'holter'" "not a diagnosis"
}

echo "-- 120x40, xterm-256color, UTF-8"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"
data_page wide
expect wide-counts "Predicted" "model" "labels" "classified" "on 71 labelled beats"
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "-- 80x24"
start_course 80 24 xterm-256color C.UTF-8
expect narrow-start "mlcourse"
data_page narrow
keys q
expect narrow-quit "mlcourse exited with status 0"
end_session

echo "-- ASCII (TERM=vt100 LANG=C), 120x40"
start_course 120 40 vt100 C
expect ascii-start "mlcourse"
data_page ascii
capture ascii-screen
if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "ascii: the screen should hold only ASCII characters"; fi
echo "  ok  ascii: the screen is plain ASCII"
keys q
expect ascii-quit "mlcourse exited with status 0"

echo "ecg-import-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
