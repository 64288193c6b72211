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

# keys KEY...: types into the walk's pane, then gives the screen a moment to answer.
keys() { t send-keys -t walk "$@"; sleep 0.15; }

# The step count on the status line ("step 123").
step_count() { t capture-pane -p -t walk | grep -oE 'step [0-9]+' | tail -1 | grep -oE '[0-9]+'; }
