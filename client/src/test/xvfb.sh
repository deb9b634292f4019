#!/usr/bin/env bash
# Starts or stops the virtual X display the GUI tests (and the screenshot tour) draw on.
#   xvfb.sh start :97 PIDFILE   |   xvfb.sh stop :97 PIDFILE
# Without Xvfb installed it says so and succeeds: the GUI tests then report themselves as skipped.
# (.ci/run installs Xvfb: apt-get install xvfb.)
set -u
action=$1 display=$2 pidfile=$3
number=${display#:}
case "$action" in
  start)
    if ! command -v Xvfb >/dev/null 2>&1; then
      echo "xvfb.sh: Xvfb is not installed; GUI tests will be skipped (apt-get install xvfb)"
      exit 0
    fi
    if [ -S "/tmp/.X11-unix/X$number" ] && [ -f "/tmp/.X$number-lock" ] && kill -0 "$(tr -d ' ' < "/tmp/.X$number-lock")" 2>/dev/null; then
      echo "xvfb.sh: display $display is already running"
      exit 0
    fi
    rm -f "/tmp/.X$number-lock" "/tmp/.X11-unix/X$number"
    mkdir -p "$(dirname "$pidfile")"
    Xvfb "$display" -screen 0 1400x1000x24 -nolisten tcp >/dev/null 2>&1 &
    echo $! > "$pidfile"
    for _ in $(seq 1 100); do
      [ -S "/tmp/.X11-unix/X$number" ] && { echo "xvfb.sh: display $display is up"; exit 0; }
      sleep 0.1
    done
    echo "xvfb.sh: Xvfb did not come up on $display"
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then
      kill "$(cat "$pidfile")" 2>/dev/null
      rm -f "$pidfile"
    fi
    exit 0
    ;;
esac
