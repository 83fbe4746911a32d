# shellcheck shell=bash
# Source this file (". scripts/env.sh") to put this checkout's Node and Yarn on your PATH, so that
# `yarn dev`, `yarn test` and `yarn atlas` work directly in your shell after a first bootstrap.
# shellcheck source=scripts/bootstrap.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bootstrap.sh"
atlas_ensure_node && atlas_ensure_yarn
