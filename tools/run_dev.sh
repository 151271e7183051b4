#!/usr/bin/env bash
# `make run`: the web server, the task worker (db_worker) and the scheduler (run_scheduler), together.
# Ctrl-C stops all three; if one of them stops on its own, the others are stopped too.
# Each runs in its own process group (set -m), so stopping one stops its children as well
# (runserver's autoreloader runs the server in a child process).
set -uo pipefail
set -m
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${PORT:-8000}

pids=()
names=()
start() {
  local name=$1
  shift
  "$@" &
  pids+=("$!")
  names+=("$name")
}

stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null
  done
  # Wait for them to finish what they are doing; whatever is still there after 8 s is killed.
  (
    sleep 8
    for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null; done
  ) &
  local killer=$!
  wait "${pids[@]}" 2>/dev/null
  kill -- "-$killer" 2>/dev/null
}
trap 'echo; echo "stopping the web server, the worker and the scheduler"; stop_all; exit 130' INT TERM
trap stop_all EXIT

start "web server" "$PY" manage.py runserver "127.0.0.1:$PORT"
start "worker" "$PY" manage.py db_worker --interval 5 --no-startup-delay
start "scheduler" "$PY" manage.py run_scheduler

# Whichever stops first stops the rest.
wait -n
status=$?
for index in "${!pids[@]}"; do
  if ! kill -0 "${pids[$index]}" 2>/dev/null; then
    echo "the ${names[$index]} stopped (exit $status); stopping the others" >&2
  fi
done
exit "$status"
