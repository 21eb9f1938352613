#!/usr/bin/env bash
# Make sure a Docker daemon answers: use a running one; otherwise, as root on Debian, install
# docker.io when dockerd is missing and start dockerd in the background (its log in
# ${TMPDIR:-/tmp}/daikiri-dockerd.log, its pid in /run/daikiri-dockerd.pid, so only a daemon
# this script started is ever stopped: `bash scripts/docker-daemon.sh --stop`).
# Exit status 0 when a daemon answers, 1 (with the reason on stderr) when none can be had.
set -euo pipefail
say() { printf '[docker] %s\n' "$*" >&2; }
PIDFILE=/run/daikiri-dockerd.pid

if [[ "${1:-}" == "--stop" ]]; then
  if [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; then
    kill "$(cat "$PIDFILE")" && rm -f "$PIDFILE" && say "stopped the daemon this project started"
  fi
  exit 0
fi
answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if command -v docker >/dev/null && answers; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  say "no Docker daemon answers, and only root starts one here (start Docker yourself)"
  exit 1
fi
if ! command -v dockerd >/dev/null; then
  say "installing Debian's docker.io"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    docker.io debootstrap >/dev/null || { say "could not install docker.io"; exit 1; }
fi
say "starting dockerd"
log="${TMPDIR:-/tmp}/daikiri-dockerd.log"
nohup dockerd >"$log" 2>&1 &
echo $! > "$PIDFILE"
for _ in $(seq 1 60); do
  if answers; then say "dockerd answers (log: $log)"; exit 0; fi
  kill -0 "$(cat "$PIDFILE")" 2>/dev/null || break
  sleep 0.5
done
say "dockerd did not start: $(tail -3 "$log" 2>/dev/null | tr '\n' ' ')"
exit 1
