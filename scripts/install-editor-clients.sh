#!/usr/bin/env bash
# Installs what the editor end-to-end tests need: Neovim, Chromium, ripgrep and
# libkrb5-dev from Debian, then code-server 4.100.3 (VS Code 1.100.3, the last one
# that runs on Node 20) into the repo-local, git-ignored .e2e-tools/.
# Safe to re-run: what is already installed is skipped. Each workaround is explained
# by a comment at its step.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rg >/dev/null 2>&1 || need+=(ripgrep)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need+=(libkrb5-dev)   # code-server's kerberos module builds against it
if ((${#need[@]})); then
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q "${need[@]}"
fi

CODE_SERVER_VERSION=4.100.3
TOOLS="$PWD/.e2e-tools"
MARKER="$TOOLS/.code-server-$CODE_SERVER_VERSION-installed"
if [ -f "$MARKER" ] && [ -x "$TOOLS/node_modules/.bin/code-server" ]; then
  echo "code-server $CODE_SERVER_VERSION already installed in .e2e-tools/"
  exit 0
fi

# @vscode/ripgrep's postinstall downloads rg from GitHub and fails the whole install
# offline; it first looks in a cache under os.tmpdir(), so seed that with Debian's rg.
RIPGREP_CACHE="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
case "$(uname -m)" in
  x86_64) RG_TARGET=x86_64-unknown-linux-musl ;;
  aarch64) RG_TARGET=aarch64-unknown-linux-musl ;;
  *) RG_TARGET="" ;;
esac
if [ -n "$RG_TARGET" ]; then
  RG_ARCHIVE="$RIPGREP_CACHE/ripgrep-v13.0.0-10-$RG_TARGET.tar.gz"
  if [ ! -f "$RG_ARCHIVE" ]; then
    mkdir -p "$RIPGREP_CACHE"
    tar czf "$RG_ARCHIVE" -C "$(dirname "$(command -v rg)")" rg
  fi
fi

# A package.json of its own keeps npm from treating .e2e-tools as part of the workspace.
mkdir -p "$TOOLS"
[ -f "$TOOLS/package.json" ] || echo '{ "name": "regnet-e2e-tools", "private": true }' > "$TOOLS/package.json"
# unsafe_perm: as root, code-server's postinstall otherwise exits early.
# yes: node-pty's install runs `npx node-gyp`, which the user npmrc's yes=false would cancel.
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --prefix "$TOOLS" --no-save --no-audit --no-fund "code-server@$CODE_SERVER_VERSION"
touch "$MARKER"
echo "code-server $CODE_SERVER_VERSION installed in .e2e-tools/"
