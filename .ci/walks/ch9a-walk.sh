#!/usr/bin/env bash
# Walks chapter 9's unsupervised lab pages (issue 16) as a learner would, in a real terminal
# (tmux): at 120x40 (UTF-8, 256 colours) the K-means page (beats, k 5) trained until the lab
# stops by itself, the seeding page, the rings page (purity read off the readout, at most 0.6),
# both PCA pages (components found, then k changed live), and the two VAE pages (beta 1 trained
# until its reconstruction error is under PCA's, read off the screen; beta 0); then the K-means and PCA pages at
# 80x24, and the K-means page in ASCII (TERM=vt100 LANG=C).
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch9a-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch9a-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# runs_out NAME SECONDS TEXT...: Space, then the lab must stop by itself (FINISHED) within
# SECONDS, showing TEXT.
runs_out() {
  local name="$1" seconds="$2"; shift 2
  keys Space
  expect_wait="$seconds" expect "$name" "FINISHED" "$@"
  echo "  ok  $name: stopped by itself at step $(step_count)"
}

# readout NAME: the value the readout shows for metric NAME.
readout() { t capture-pane -p -t walk | grep -oE "$1 +[0-9.]+" | head -1 | grep -oE '[0-9.]+$' || true; }

echo "== ch9a walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- kmeans: beats, k 5, to the end"
goto kmeans paradigms/$(lesson_page Lessons/09-paradigms.md "K-means") "K-means" "PAUSED" "step 0" "Clusters: beats (PCA map), starting centres" \
  "Inertia per iteration" "Score"
runs_out kmeans-settled 20 "settled" "Score: settled, no point moved" "purity (hidden classes)" "assignments stopped changing"
purity="$(readout purity)"; iterations="$(readout iterations)"
[ -n "$purity" ] && [ -n "$iterations" ] || fail "kmeans: the readout should show purity and iterations"
echo "  ok  kmeans: settled after $iterations iterations, purity $purity"

echo "-- kmeans: seeding and the elbow"
goto seeding paradigms/$(lesson_page Lessons/09-paradigms.md "Choosing K and the first centres") "Choosing K and the first centres" "PAUSED" "step 0" "Elbow: settled inertia against k"
runs_out seeding-settled 20 "k=1" "k=7" "random"

echo "-- kmeans: nested rings"
goto rings paradigms/$(lesson_page Lessons/09-paradigms.md "Limitation: round clusters") "Limitation: round clusters" "PAUSED" "step 0" "Clusters: the rings"
runs_out rings-settled 20 "settled" "Clusters: the rings, iteration"
purity="$(readout purity)"
awk -v p="$purity" 'BEGIN { exit !(p != "" && p <= 0.6) }' || fail "rings: purity should be at most 0.6 (shows ${purity:-nothing})"
echo "  ok  rings: purity $purity"

echo "-- pca: the components"
goto pca paradigms/$(lesson_page Lessons/09-paradigms.md "PCA") "PCA" "PAUSED" "step 0" "Principal components: not found yet"
runs_out pca-found 20 "Explained variance %" "Test beats on PC1 and PC2" "PC1" "explained_variance_2"
echo "  ok  pca: explained_variance_2 $(readout explained_variance_2)"
goto rebuild paradigms/$(lesson_page Lessons/09-paradigms.md "Rebuilding a beat from a few numbers") "Rebuilding a beat" "PAUSED" "step 0"
runs_out rebuild-found 20 "rebuilt from k=2" "reconstruction_mse"
two="$(readout reconstruction_mse)"
keys ':' 'set k 10' Enter
expect rebuild-k10 "rebuilt from k=10"
ten="$(readout reconstruction_mse)"
awk -v a="$two" -v b="$ten" 'BEGIN { exit !(b < a) }' || fail "rebuild: k 10 should rebuild better than k 2 ($two, then $ten)"
echo "  ok  rebuild: reconstruction_mse $two with k 2, $ten with k 10"

echo "-- vae: beta 1, then beta 0"
goto vae paradigms/$(lesson_page Lessons/09-paradigms.md "The variational autoencoder") "The variational autoencoder" "PAUSED" "step 0" "Latent map: test beats' codes" \
  "VAE against PCA, 2 numbers a beat"
keys Space
expect vae-started "TRAINING"
sleep 12
pause vae-paused
mse="$(readout reconstruction_mse)"; pca="$(t capture-pane -p -t walk | grep -oE 'PCA with 2 components +[0-9.]+' | grep -oE '[0-9.]+$' || true)"
awk -v a="$mse" -v b="$pca" 'BEGIN { exit !(a != "" && b != "" && a < b) }' \
  || fail "vae: reconstruction_mse should fall below PCA's with 2 components (shows ${mse:-nothing} and ${pca:-nothing}) at step $(step_count)"
capture vae-trained
echo "  ok  vae: reconstruction_mse $mse under PCA's $pca at step $(step_count)"
goto vae-beta0 paradigms/$(lesson_page Lessons/09-paradigms.md "Limitation and fix: the KL term") "Limitation and fix: the KL term" "PAUSED" "step 0" "beta 0"
keys Space
expect vae-beta0-started "TRAINING"
sleep 5
pause vae-beta0-paused
capture vae-beta0-trained
echo "  ok  vae-beta0: kl $(readout kl) at step $(step_count)"

echo "-- 80x24: the kmeans and pca pages"
t resize-window -t walk -x 80 -y 24
goto narrow-kmeans paradigms/$(lesson_page Lessons/09-paradigms.md "K-means") "PAUSED" "step 0" "Clusters: beats"
runs_out narrow-kmeans-settled 20 "settled"
refuse narrow-window "(too small)"
goto narrow-pca paradigms/$(lesson_page Lessons/09-paradigms.md "PCA") "PAUSED" "step 0"
runs_out narrow-pca-found 20 "Explained variance"
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "-- ASCII (TERM=vt100 LANG=C), 120x40: the kmeans page"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii paradigms/$(lesson_page Lessons/09-paradigms.md "K-means") "K-means" "PAUSED"
runs_out ascii-settled 20 "settled"
capture ascii-screen
if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "ascii: the screen should hold only ASCII characters"; fi
echo "  ok  ascii: the screen is plain ASCII"
keys q
expect ascii-quit "mlcourse exited with status 0"

echo "ch9a-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
