#!/usr/bin/env bash
# Runs every test: installs what is missing (as scripts/dev.sh does, plus Chromium for the
# browser tests), then type check, lint, unit tests and the end-to-end tests in Chromium.
# Ends with one line "N passed, N failed" summed over all of them; exits non-zero on any failure.
#
#   scripts/test.sh            everything
#   scripts/test.sh unit       type check, lint and unit tests only
#   scripts/test.sh e2e        end-to-end tests only
set -uo pipefail
# shellcheck source=scripts/bootstrap.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bootstrap.sh"

what="${1:-all}"
results="$ATLAS_ROOT/test-results"
passed=0
failed=0

summary() {
  printf '\n%s passed, %s failed\n' "$passed" "$failed"
}

if ! atlas_bootstrap; then
  atlas_log "Installing the toolchain or dependencies failed"
  failed=1
  summary
  exit 1
fi
cd "$ATLAS_ROOT" || exit 1
mkdir -p "$results"

# Tests that commit to temporary repositories need an identity; a fresh CI machine has none.
if ! git config user.name >/dev/null; then
  export GIT_AUTHOR_NAME="Mini-Atlas Tests" GIT_AUTHOR_EMAIL="tests@mini-atlas.dev"
  export GIT_COMMITTER_NAME="Mini-Atlas Tests" GIT_COMMITTER_EMAIL="tests@mini-atlas.dev"
fi

ensure_chromium() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$path" ] && return 0
  atlas_log "Chromium is missing; installing Debian's chromium package"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y chromium >/dev/null 2>&1 ||
    { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y chromium >/dev/null 2>&1; }
  [ -x "$path" ] || { atlas_log "Could not install Chromium at $path (set CHROMIUM_PATH)"; return 1; }
}

# A single check (type check, lint) counts as one test.
check() {
  local name="$1"
  shift
  atlas_log "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); atlas_log "$name FAILED"; fi
}

# A jest run counts its tests, read from its JSON report.
jest_suite() {
  local name="$1" report="$results/$2.json"
  shift 2
  atlas_log "$name"
  rm -f "$report"
  "$@" --json --outputFile="$report"
  local status=$?
  if [ -f "$report" ]; then
    local counts
    # a suite that cannot even run (syntax error, failing setup) counts as one failure
    counts=$(node -e '
      const r = require(process.argv[1]);
      console.log(r.numPassedTests, r.numFailedTests + r.numRuntimeErrorTestSuites);
    ' "$report")
    passed=$((passed + ${counts% *}))
    failed=$((failed + ${counts#* }))
    [ "$status" -ne 0 ] && [ "${counts#* }" -eq 0 ] && failed=$((failed + 1))
  else
    atlas_log "$name produced no report"
    failed=$((failed + 1))
  fi
}

if [ "$what" = all ] || [ "$what" = unit ]; then
  check "Type check (yarn tsc)" yarn tsc
  check "Lint (yarn lint)" yarn lint
  CI=true jest_suite "Unit and integration tests (yarn test)" unit yarn test
fi
if [ "$what" = all ] || [ "$what" = e2e ]; then
  if ensure_chromium; then
    CI=true jest_suite "End-to-end tests in Chromium (yarn test:e2e)" e2e yarn test:e2e
  else
    failed=$((failed + 1))
  fi
fi

summary
[ "$failed" -eq 0 ]
