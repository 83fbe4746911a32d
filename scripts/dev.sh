#!/usr/bin/env bash
# Runs the portal: installs what is missing, then `yarn dev` (backend on :7007, frontend on :3000).
set -euo pipefail
# shellcheck source=scripts/bootstrap.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bootstrap.sh"
atlas_bootstrap
cd "$ATLAS_ROOT"
exec yarn dev "$@"
