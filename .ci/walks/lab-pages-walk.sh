#!/usr/bin/env bash
# Walks every lab page of every lesson, in order, in a real terminal (tmux, 120x40, UTF-8, 256
# colours): each page opens with its title and its lab paused, Space trains it for a second and
# the step count grows, the screen shows no error, and Space pauses it again. The chapter walks
# check what each page promises; this one makes sure no lab page is left unwalked, including
# pages added later (the list is read from Lessons/*.md, the same way the course numbers pages).
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=lab-pages-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-lab-pages-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# lab_pages FILE: "LESSON-ID<TAB>PAGE<TAB>TITLE<TAB>LAB" for each page whose lab block trains a lab
# (page 1 is the lesson's opening, before its first "## " heading).
lab_pages() {
  awk -v OFS='\t' '
    NR == 1 && /^---/ { front = 1; next }
    front && /^---/ { front = 0; next }
    front && /^id: / { id = $2; next }
    front { next }
    /^```/ { fence = !fence; if (fence) inlab = ($0 == "```lab"); next }
    !fence && /^## / { n++; title = substr($0, 4); next }
    fence && inlab && /^lab: / && $2 != "none" { print id, n + 1, title, $2 }
  ' "$1"
}

echo "== lab pages walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"
pages=0
for lesson in Lessons/*.md; do
  while IFS=$'\t' read -r id page title lab; do
    # The header and the lesson box may cut a long title: the first 20 characters are enough.
    name="$id-$page"
    goto "$name" "$id/$page" "${title:0:20}"
    # Space trains; a one-step lab such as gradcheck takes its step and stays paused. Either
    # way the step count grows.
    before="$(step_count || true)"
    keys Space
    sleep 1
    after="$(step_count || true)"
    [ "${after:-0}" -gt "${before:-0}" ] || fail "$name: Space should raise the step count (step ${before:-?}, then ${after:-?})"
    refuse "$name-clean" " DIVERGED " "the lab failed"
    pause "$name-paused"
    pages=$((pages + 1))
    echo "  ok  $id page $page ($lab): step ${before:-0} -> $after, $title"
  done < <(lab_pages "$lesson")
done
[ "$pages" -ge 80 ] || fail "only $pages lab pages found in Lessons/*.md; the lesson format may have changed"
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "lab-pages-walk: all $step steps passed ($pages lab pages) in $((SECONDS - started)) s (captures in $WALK_DIR)"
