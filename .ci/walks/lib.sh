# Shared by the walks (.ci/walks/*.sh): find the binary, drive one tmux session named "walk" on a
# private socket, capture the screen at every step and check it. Source it after setting
# WALK_NAME (e.g. "course-walk"); then call walk_init once.
#
#   bin        the release binary (MLCOURSE_BIN, else .build/release/mlcourse, built if missing)
#   WALK_DIR   where the numbered captures go (default a temp folder)
#   t ...      tmux on the walk's own socket
#   expect / expect_re / refuse / capture / fail / keys / step_count   (see each below)
#
# Folders listed in walk_temporaries are removed when the walk exits.

: "${WALK_NAME:?set WALK_NAME before sourcing lib.sh}"
walk_temporaries=()

walk_init() {
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  bin="${MLCOURSE_BIN:-.build/release/mlcourse}"
  if [ ! -x "$bin" ]; then
    echo "$WALK_NAME: $bin missing, building it"
    swift build -c release --product mlcourse
  fi
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
  command -v tmux >/dev/null || { echo "$WALK_NAME: tmux is needed"; exit 1; }
  WALK_DIR="${WALK_DIR:-$(mktemp -d "/tmp/mlcourse-$WALK_NAME.XXXXXX")}"
  mkdir -p "$WALK_DIR"
  socket="mlcourse-$WALK_NAME-$$"
  trap walk_cleanup EXIT
}

t() { tmux -L "$socket" "$@"; }

# end_session: ends the walk's tmux session before the next `start`. Killing the last session
# makes the server exit on its own, and a `new-session` sent meanwhile can reach the dying server
# ("server exited unexpectedly"); killing the server and removing its socket file makes the next
# `start` begin a fresh one.
end_session() {
  t kill-server 2>/dev/null || true
  rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$socket"   # kill-server leaves the socket file behind
}

walk_cleanup() {
  end_session
  if [ ${#walk_temporaries[@]} -gt 0 ]; then rm -rf "${walk_temporaries[@]}"; fi
}

step=0
# fail WHY: says where the walk stopped, shows the screen, exits 1.
fail() {
  echo "$WALK_NAME: FAIL at step $step ($1)"
  echo "---- screen ----"
  t capture-pane -p -t walk 2>/dev/null || true
  echo "----------------"
  echo "captures in $WALK_DIR"
  exit 1
}

# capture NAME: saves the screen as NN-NAME.txt; its path is left in $captured.
captured=""
capture() {
  step=$((step + 1))
  captured="$WALK_DIR/$(printf '%02d' "$step")-$1.txt"
  t capture-pane -p -t walk > "$captured"
}

# expect NAME TEXT...: waits (up to $expect_wait s, default 5) until the screen shows every
# TEXT, then captures it.
expect() {
  local name="$1"; shift
  local deadline=$((SECONDS + ${expect_wait:-5})) screen missing
  while :; do
    screen="$(t capture-pane -p -t walk 2>/dev/null || true)"
    missing=""
    for text in "$@"; do grep -qF -- "$text" <<<"$screen" || { missing="$text"; break; }; done
    [ -z "$missing" ] && break
    [ $SECONDS -ge $deadline ] && { capture "$name"; fail "$name: the screen should show \"$missing\""; }
    sleep 0.1
  done
  capture "$name"
  echo "  ok  $name"
}

# refuse NAME TEXT...: the current screen must show none of TEXT.
refuse() {
  local name="$1"; shift
  capture "$name"
  for text in "$@"; do
    if grep -qF -- "$text" "$captured"; then fail "$name: the screen should not show \"$text\""; fi
  done
  echo "  ok  $name"
}

# expect_re NAME REGEX: waits (up to $expect_wait s, default 5) until the screen matches the
# extended REGEX.
expect_re() {
  local deadline=$((SECONDS + ${expect_wait:-5}))
  until t capture-pane -p -t walk | grep -qE -- "$2"; do
    [ $SECONDS -ge $deadline ] && { capture "$1"; fail "$1: the screen should match /$2/"; }
    sleep 0.1
  done
  capture "$1"
  echo "  ok  $1"
}

# ascii_screen NAME: captures the screen, which must hold no byte above 127 (an ASCII terminal,
# vt100 with LANG=C, gets no braille, blocks or box lines).
ascii_screen() {
  capture "$1"
  if LC_ALL=C grep -q $'[\x80-\xff]' "$captured"; then
    fail "$1: non-ASCII characters on a vt100/LANG=C screen: $(LC_ALL=C grep -o $'[\x80-\xff]\+' "$captured" | head -3 | tr '\n' ' ')"
  fi
  echo "  ok  $1: no braille, blocks or box lines"
}

# keys KEY...: types into the walk's pane, then gives the screen a moment to answer.
keys() { t send-keys -t walk "$@"; sleep 0.15; }

# The step count on the status line ("step 123").
step_count() { t capture-pane -p -t walk | grep -oE 'step [0-9]+' | tail -1 | grep -oE '[0-9]+'; }

# The chapter walks' driving steps. Each needs `home` (an MLCOURSE_HOME of its own) set first.

# start_course WIDTH HEIGHT [TERM] [LANG]: the course in the walk's session. When it exits, its
# status stays on screen for a minute so that a failing capture shows why.
start_course() {
  t new-session -d -s walk -x "$1" -y "$2" \
    "env MLCOURSE_HOME='$home' TERM=${3:-xterm-256color} LANG=${4:-C.UTF-8} LC_ALL= '$bin'; echo \"mlcourse exited with status \$?\"; sleep 60"
}

# goto NAME TARGET TEXT...: `:goto TARGET`, then expect TEXT (the page and its lab, paused).
goto() {
  local name="$1" target="$2"; shift 2
  keys ':' "goto $target" Enter
  expect "$name" "$@"
}

# trains NAME SECONDS TEXT...: Space, and the lab says TRAINING (or FINISHED, for one that ends
# sooner); after SECONDS its step count must have grown and every TEXT be on the screen (pass
# "TRAINING" among them to require that it is still training).
trains() {
  local name="$1" seconds="$2"; shift 2
  local before after
  before="$(step_count || true)"
  keys Space
  expect_re "$name-started" "TRAINING|FINISHED"
  sleep "$seconds"
  after="$(step_count || true)"
  [ "${after:-0}" -gt "${before:-0}" ] || fail "$name: training should raise the step count (step ${before:-?}, then ${after:-?})"
  expect "$name" "$@"
  echo "  ok  $name: step ${before:-0} -> $after in ${seconds} s"
}

# pause NAME: Space, and the lab says PAUSED; a lab already PAUSED or FINISHED is left as it is.
pause() {
  if t capture-pane -p -t walk | grep -qE '^ (FINISHED|PAUSED) '; then expect_re "$1" '^ (PAUSED|FINISHED) '; return; fi
  keys Space
  # A lab that paused itself at its step budget just before the key was resumed by it ("Space
  # trains on"): half a second later the screen still says TRAINING, so press once more.
  sleep 0.5
  if t capture-pane -p -t walk | grep -qE '^ TRAINING '; then keys Space; fi
  expect_re "$1" '^ (PAUSED|FINISHED) '
}

# Reading the beat classifiers' confusion matrix (chapters 2 and 4), in UTF-8 or ASCII frames.

# confusion_accuracy: the share of test beats on the confusion matrix's diagonal, read off the
# screen, as a percentage with one decimal (nothing when no full matrix is shown).
confusion_accuracy() {
  t capture-pane -p -t walk | awk '
    { line = $0; gsub(/[│╭╮╰╯─|+]/, " ", line); n = split(line, f, " ") }
    { for (i = 1; i <= n; i++) if (f[i] ~ /^(normal|pvc|afib|bbb|ste)$/ && f[i+1] ~ /^[0-9]+$/) {
        row = (f[i] == "normal") ? 0 : (f[i] == "pvc") ? 1 : (f[i] == "afib") ? 2 : (f[i] == "bbb") ? 3 : 4
        for (j = 0; j < 5; j++) { c = f[i+1+j] + 0; total += c; if (j == row) right += c }
        rows++; break } }
    END { if (rows == 5 && total > 0) printf "%.1f", 100 * right / total }'
}

# readout NAME: the value the readout row shows for metric NAME (e.g. "grad_ratio 1.36e-21").
readout() { t capture-pane -p -t walk | grep -oE "(^|[ │|])$1 +[-0-9.e+]+" | head -1 | awk '{print $NF}'; }

# wait_until NAME WHAT READER TEST SECONDS: runs READER (a command printing a number) until
# awk's TEST on x holds (e.g. 'x >= 0.95'), for up to SECONDS; WHAT names the number in messages.
wait_until() {
  local name="$1" what="$2" reader="$3" test="$4" deadline=$((SECONDS + $5)) got=""
  while :; do
    got="$($reader)"
    if [ -n "$got" ] && awk -v x="$got" "BEGIN { exit !($test) }"; then break; fi
    [ $SECONDS -ge $deadline ] && { capture "$name"; fail "$name: $what should satisfy $test within $5 s (shows ${got:-nothing})"; }
    sleep 0.3
  done
  capture "$name"
  echo "  ok  $name: $what $got ($test, step $(step_count))"
}

# holds NAME METRIC TEST SECONDS: waits until the readout's METRIC satisfies TEST.
holds() { wait_until "$1" "$2" "readout $2" "$3" "$4"; }

# accuracy_at_least NAME PERCENT SECONDS: waits up to SECONDS for the matrix to show PERCENT.
accuracy_at_least() { wait_until "$1" "the confusion matrix's accuracy (%)" confusion_accuracy "x >= $2" "$3"; }

# lesson_page FILE "Title": the page number of the section "## Title" in a lesson file (the
# page before the first section is 1), so walks do not break when pages are added before it.
lesson_page() {
  awk -v title="## $2" '/^```/ { fence = !fence } !fence && /^## / { n++; if ($0 == title) { print n + 1; exit } }' "$1"
}
