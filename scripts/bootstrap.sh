# shellcheck shell=bash
# Sourced by scripts/dev.sh and scripts/test.sh. Makes sure this checkout has what it needs:
#   - Node 22+ (the system Node when it is new enough, otherwise one fetched from the npm
#     registry into .tools/node, which is git-ignored);
#   - Yarn 4 through corepack, pinned by "packageManager" in package.json;
#   - the workspace dependencies (yarn install).
# It changes nothing outside this checkout except Yarn's own package cache.

ATLAS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ATLAS_TOOLS="$ATLAS_ROOT/.tools"

atlas_log() { printf '[mini-atlas] %s\n' "$*" >&2; }

atlas_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

atlas_ensure_node() {
  if [ "$(atlas_node_major)" -ge 22 ]; then
    return 0
  fi
  local os arch pkg dir
  case "$(uname -s)" in
    Linux) os=linux ;;
    Darwin) os=darwin ;;
    *) atlas_log "Unsupported OS $(uname -s): install Node 22 or newer yourself."; return 1 ;;
  esac
  case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) atlas_log "Unsupported CPU $(uname -m): install Node 22 or newer yourself."; return 1 ;;
  esac
  pkg="node-$os-$arch"
  dir="$ATLAS_TOOLS/node/node_modules/$pkg"
  if [ ! -x "$dir/bin/node" ]; then
    command -v npm >/dev/null 2>&1 || { atlas_log "npm is needed to fetch Node 22."; return 1; }
    atlas_log "System Node is $(node -v 2>/dev/null || echo missing); fetching Node 22 ($pkg) into .tools/node"
    npm install --silent --no-audit --no-fund --no-save --prefix "$ATLAS_TOOLS/node" "$pkg@22" || return 1
  fi
  export PATH="$dir/bin:$PATH"
  # native modules (better-sqlite3) must build against this Node's headers, not the system one's
  export npm_config_nodedir="$dir"
}

atlas_ensure_yarn() {
  local registry
  registry="$(npm config get registry 2>/dev/null | sed 's#/$##')"
  export COREPACK_NPM_REGISTRY="${COREPACK_NPM_REGISTRY:-${registry:-https://registry.npmjs.org}}"
  export COREPACK_DEFAULT_TO_LATEST=0
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export PATH="$ATLAS_TOOLS/bin:$PATH"
  if [ ! -x "$ATLAS_TOOLS/bin/yarn" ]; then
    mkdir -p "$ATLAS_TOOLS/bin"
    corepack enable --install-directory "$ATLAS_TOOLS/bin" yarn || return 1
  fi
}

atlas_ensure_deps() {
  local stamp="$ATLAS_ROOT/node_modules/.atlas-install-stamp"
  # skip the install when nothing changed since the last successful one
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ATLAS_ROOT/yarn.lock" ] &&
    [ -z "$(find "$ATLAS_ROOT" -maxdepth 3 -name package.json -not -path '*/node_modules/*' -newer "$stamp" 2>/dev/null)" ]; then
    return 0
  fi
  atlas_log "Installing dependencies (yarn install)"
  (cd "$ATLAS_ROOT" && yarn install ${CI:+--immutable}) || return 1
  touch "$stamp"
}

atlas_bootstrap() {
  atlas_ensure_node && atlas_ensure_yarn && atlas_ensure_deps
}
