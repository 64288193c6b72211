#!/usr/bin/env bash
# Walks chapter 7's graph-network and boosting pages as a learner would, in a real terminal
# (tmux): at 120x40 (UTF-8, 256 colours) gnn-leads trained past 90% (read off the readout),
# then relabelled with its probabilities unchanged; boosting trained to its 200 trees with the
# flowchart and the Newton ledger on screen; the trees and then the MLP trained to the end on the
# comparison page, the trees' test RMSE read below the MLP's off the Finished runs panel. Then
# the lab pages at 80x24, and the tree and lead-graph pages in ASCII (TERM=vt100 LANG=C).
#
# Needs a release build (`swift build -c release --product mlcourse`); builds it if missing.
# MLCOURSE_BIN overrides the binary. Captures are kept in $WALK_DIR (default a temp folder).
set -euo pipefail
WALK_NAME=ch7b-walk
source "$(dirname "$0")/lib.sh"
walk_init
home="$(mktemp -d /tmp/mlcourse-ch7b-walk-home.XXXXXX)"
walk_temporaries+=("$home")
started=$SECONDS

# readout NAME: the value the readout shows for metric NAME.
readout() { t capture-pane -p -t walk | grep -oE "$1 +[0-9.e-]+" | head -1 | grep -oE '[0-9.e-]+$' || true; }

# until_stopped NAME SECONDS TEXT: waits for the lab to stop by itself, saying TEXT (its note).
until_stopped() {
  local deadline=$((SECONDS + $2))
  until t capture-pane -p -t walk | grep -qF -- "$3"; do
    [ $SECONDS -ge $deadline ] && { capture "$1"; fail "$1: the lab should stop by itself within $2 s, saying \"$3\""; }
    sleep 0.5
  done
  capture "$1"
}

# ascii_only NAME: the screen holds only ASCII characters.
ascii_only() {
  capture "$1"
  if LC_ALL=C grep -q '[^ -~]' "$captured"; then fail "$1: the screen should hold only ASCII characters"; fi
  echo "  ok  $1: the screen is plain ASCII"
}

echo "== ch7b walk: xterm-256color, UTF-8, 120x40 ($bin, MLCOURSE_HOME=$home)"
start_course 120 40 xterm-256color C.UTF-8
expect start "Chapters"

echo "-- gnn-leads: training past 90%"
goto gnn specialised/10 "A GNN reads the twelve leads" "PAUSED" "step 0" "Lead graph: each lead" "Test accuracy"
keys Space
deadline=$((SECONDS + 60)); accuracy=""
while :; do
  accuracy="$(readout test_accuracy)"
  if [ -n "$accuracy" ] && awk -v a="$accuracy" 'BEGIN { exit !(a >= 0.9) }'; then break; fi
  [ $SECONDS -ge $deadline ] && { capture gnn-accuracy; fail "gnn: test_accuracy should reach 0.90 within 60 s (shows ${accuracy:-nothing})"; }
  sleep 0.5
done
capture gnn-accuracy
echo "  ok  gnn: test_accuracy $accuracy at step $(step_count)"
pause gnn-paused

echo "-- gnn-leads: relabelled"
goto relabel specialised/11 "Relabelling: the test a graph network passes" "PAUSED" "step 0" "Test accuracy (relabelled)"
trains relabel-trains 6 "p moved <="
pause relabel-paused
diff="$(t capture-pane -p -t walk | grep -oE 'p moved <= [0-9.e+-]+' | head -1 | grep -oE '[0-9.e+-]+$' || true)"
[ -n "$diff" ] && awk -v d="$diff" 'BEGIN { exit !(d < 1e-5) }' || fail "relabel: the largest probability change should be below 1e-5 (shows ${diff:-nothing})"
echo "  ok  relabel: largest probability change under relabelling $diff"

echo "-- boosting: 200 trees, flowchart and ledger"
goto boost specialised/15 "Boosting, live" "PAUSED" "step 0" "Training residuals" "Latest tree"
keys Space
until_stopped boost-done 60 "the run is complete"
expect boost-tree "Latest tree (round 200)" "+-yes [1]" "RMS" "test_rmse"
rmse="$(readout test_rmse)"
awk -v r="$rmse" 'BEGIN { exit !(r < 3) }' || fail "boost: test_rmse should be below 3 after 200 trees (shows $rmse)"
echo "  ok  boost: test_rmse $rmse after 200 trees"
goto ledger specialised/16 "Gradient boosting and the Newton step" "Newton ledger" "Feature importance"
keys s s s
expect ledger-steps "step 3" "Newton ledger, node [0]" "G_L^2/(H_L+l)" "gain"
keys ':' 'set node 2' Enter
expect ledger-node2 "Newton ledger, node [2]" '> `-no  [2]'

echo "-- boosting: trees against the MLP"
goto versus specialised/17 "Trees against a neural net" "Finished runs: trees vs MLP" "not run yet"
keys Space
until_stopped versus-trees 60 "the run is complete"
keys ':' 'set model mlp' Enter
expect versus-ask "go ahead? [y/n]"
keys y
expect versus-mlp "step 0" "Test RMSE, % (mlp)"
keys Space
until_stopped versus-mlp-done 120 "has had its 2000 steps"
screen="$(t capture-pane -p -t walk)"
trees_rmse="$(grep -oE 'trees +regress +[0-9.]+ +RMSE [0-9.]+' <<<"$screen" | grep -oE '[0-9.]+$' || true)"
mlp_rmse="$(grep -oE 'mlp +regress +[0-9.]+ +RMSE [0-9.]+' <<<"$screen" | grep -oE '[0-9.]+$' || true)"
[ -n "$trees_rmse" ] && [ -n "$mlp_rmse" ] || { capture versus-table; fail "versus: the Finished runs panel should show both RMSEs"; }
awk -v t="$trees_rmse" -v m="$mlp_rmse" 'BEGIN { exit !(t < m) }' || fail "versus: trees ($trees_rmse) should beat the MLP ($mlp_rmse)"
capture versus-table
echo "  ok  versus: trees test RMSE $trees_rmse, MLP $mlp_rmse, side by side"

echo "-- 80x24: the lab pages"
t resize-window -t walk -x 80 -y 24
goto narrow-gnn specialised/10 "A GNN reads the twelve leads" "PAUSED" "test_accuracy"
trains narrow-gnn-trains 2 "Lead graph: each lead"
pause narrow-gnn-paused
goto narrow-boost specialised/15 "Boosting, live" "PAUSED"
keys s s s
expect narrow-boost-steps "step 3" "Training residuals"
refuse narrow-boost-small "(too small)"
goto narrow-ledger specialised/16 "Gradient boosting and the Newton step" "PAUSED"
keys s s
expect narrow-ledger-steps "step 2" "Latest tree (round 2)"
keys q
expect quit "mlcourse exited with status 0"
end_session

echo "-- ASCII (TERM=vt100 LANG=C), 120x40: the lead graph and the tree"
start_course 120 40 vt100 C
expect ascii-start "Chapters"
goto ascii-gnn specialised/10 "A GNN reads the twelve leads" "PAUSED"
trains ascii-gnn-trains 3 "Lead graph: each lead"
ascii_only ascii-gnn-screen
goto ascii-tree specialised/16 "Gradient boosting and the Newton step" "PAUSED"
keys s s s
expect ascii-tree-steps "step 3" "Latest tree (round 3)" "+-yes [1]" "Newton ledger"
ascii_only ascii-tree-screen
keys q
expect ascii-quit "mlcourse exited with status 0"

echo "ch7b-walk: all $step steps passed in $((SECONDS - started)) s (captures in $WALK_DIR)"
