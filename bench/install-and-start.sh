#!/usr/bin/env bash
# Benchmark of a newcomer's first run: clone this repository into a temporary folder, install
# everything with an empty Yarn cache (Node 22 is fetched too when the system Node is older),
# then start the portal with `yarn dev` and time until both servers answer.
#
#   bash bench/install-and-start.sh [repository]     (default: this checkout, committed state)
#
# Prints the measured times; docs/benchmarks.md records them.
set -euo pipefail
source_repo="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
work="$(mktemp -d /tmp/atlas-bench-XXXXXX)"
trap 'pkill -TERM -g "$dev_pgid" 2>/dev/null || true; rm -rf "$work"' EXIT
dev_pgid=0

git clone --quiet "$source_repo" "$work/repo"
cd "$work/repo"
export YARN_GLOBAL_FOLDER="$work/yarn-global" # empty: a cold cache

start=$(date +%s.%N)
# shellcheck source=scripts/bootstrap.sh
. scripts/bootstrap.sh
atlas_bootstrap >"$work/install.log" 2>&1
install_s=$(echo "$(date +%s.%N) - $start" | bc)

app_port=$((20000 + RANDOM % 10000))
backend_port=$((app_port + 1))
cat >"$work/ports.yaml" <<YAML
app: {baseUrl: "http://localhost:$app_port"}
backend:
  baseUrl: "http://localhost:$backend_port"
  listen: {port: $backend_port}
  cors: {origin: "http://localhost:$app_port"}
YAML
start=$(date +%s.%N)
setsid yarn dev --config "$PWD/app-config.yaml" --config "$work/ports.yaml" >"$work/dev.log" 2>&1 &
dev_pgid=$!
until curl -sf "http://localhost:$backend_port/.backstage/health/v1/readiness" >/dev/null &&
  curl -sf "http://localhost:$app_port" >/dev/null; do
  sleep 0.5
  if [ "$(echo "$(date +%s.%N) - $start > 300" | bc)" = 1 ]; then
    echo "the portal did not answer within 300 s" >&2
    tail -20 "$work/dev.log" >&2
    exit 1
  fi
done
start_s=$(echo "$(date +%s.%N) - $start" | bc)

printf 'cold install (clone to installed, empty Yarn cache): %.0f s\n' "$install_s"
printf 'yarn dev until backend and frontend both answer: %.1f s\n' "$start_s"
printf 'node_modules: %s, %s packages\n' "$(du -sh node_modules | cut -f1)" "$(find node_modules -maxdepth 2 -name package.json | wc -l)"
