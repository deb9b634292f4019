#!/usr/bin/env bash
# Starts or stops the virtual X display the GUI tests (and the screenshot tour) draw on.
#   xvfb.sh start :97 PIDFILE [REQUIRED]   |   xvfb.sh stop :97 PIDFILE
# Without Xvfb installed it says so; it then fails if REQUIRED is true (CI: -Dgui.required=true,
# or the screenshot tour), and otherwise succeeds, the GUI tests reporting themselves skipped.
# (.ci/run installs Xvfb: apt-get install xvfb.)
set -u
action=$1 display=$2 pidfile=$3 required=${4:-false}
number=${display#:}
case "$action" in
  start)
    if ! command -v Xvfb >/dev/null 2>&1; then
      if [ "$required" = true ]; then
        echo "xvfb.sh: Xvfb is not installed, and the GUI must be drawn here (apt-get install xvfb)" >&2
        exit 1
      fi
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
