#!/usr/bin/env bash
# End-to-end tests of Dossier in Emacs 28 + eglot (Debian emacs-nox, elpa-eglot,
# elpa-markdown-mode; installed when missing), in batch: once with markdown-mode and once
# with text-mode (Emacs 28 has no Markdown mode of its own). Also checks that the Emacs Lisp
# snippets in editors/README.md read.
#
# Builds target/release/dossier when it is missing or older than the sources; every Emacs runs
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

bin="$repo/target/release/dossier"
if [ ! -x "$bin" ] || [ -n "$(find src Cargo.toml Cargo.lock seeds data -newer "$bin" -print -quit 2>/dev/null)" ]; then
  log "building $bin (cargo build --release)"
  cargo build --release --locked --quiet >&2 || { echo "0 passed, 1 failed"; exit 1; }
fi

have() { compgen -G "$1" >/dev/null; }
if ! command -v emacs >/dev/null || ! have '/usr/share/emacs/site-lisp/elpa/eglot-*' ||
  ! have '/usr/share/emacs/site-lisp/elpa/markdown-mode-*'; then
  log "installing Debian emacs-nox elpa-eglot elpa-markdown-mode"
  apt_install emacs-nox elpa-eglot elpa-markdown-mode
fi

work="$(mktemp -d /tmp/dossier-emacs-test.XXXXXX)"
trap 'rm -rf "$work"' EXIT
results="$work/results"
: >"$results"

# run LABEL MODE: one batch Emacs on a fresh copy of the fixture brief.
run() {
  local label="$1" mode="$2" dir="$work/$1"
  mkdir -p "$dir/home"
  cp "$repo/editors/test/fixtures/brief.md" "$dir/brief.md"
  local before status started
  before="$(wc -l <"$results")"
  started="$(date +%s%N)"
  (
    cd "$dir" &&
      HOME="$dir/home" PATH="$repo/target/release:$PATH" DOSSIER_EMACS_DIR="$repo/editors/emacs" \
        DOSSIER_TEST_OUT="$results" DOSSIER_TEST_LABEL="$label" DOSSIER_TEST_MODE="$mode" \
        timeout -k 5 60 emacs --batch -l "$here/e2e.el" >"$dir/emacs.log" 2>&1 </dev/null
  )
  status=$?
  if [ "$status" -ne 0 ]; then
    local why="exit status $status"
    [ "$status" -eq 124 ] && why="timed out after 60 s"
    echo "FAIL $label: Emacs run -- $why; $(tail -c 400 "$dir/emacs.log" | tr '\n' ' ')" >>"$results"
  elif [ "$(wc -l <"$results")" -eq "$before" ]; then
    echo "FAIL $label: Emacs run recorded no checks; $(tail -c 400 "$dir/emacs.log" | tr '\n' ' ')" >>"$results"
  fi
  log "$label: $((($(date +%s%N) - started) / 1000000)) ms"
}

if command -v emacs >/dev/null; then
  run emacs-markdown-mode markdown
  run emacs-text-mode text
  # The README's Emacs Lisp snippets read (syntax) and dossier.el byte-compiles cleanly.
  emacs --batch --eval '
(with-temp-buffer
  (insert-file-contents (pop command-line-args-left))
  (let ((n 0) (bad nil))
    (while (re-search-forward "^```elisp$" nil t)
      (setq n (1+ n))
      (let ((beg (1+ (point)))
            (end (progn (re-search-forward "^```$") (match-beginning 0))))
        (condition-case err
            (let ((block (buffer-substring-no-properties beg end)) (pos 0))
              (while (string-match-p "[^[:space:]]" (substring block pos))
                (setq pos (cdr (read-from-string block pos)))))
          (error (push (format "%S" err) bad)))))
    (princ (cond ((zerop n) "FAIL snippets: Emacs Lisp blocks read -- no elisp block in editors/README.md\n")
                 (bad (format "FAIL snippets: Emacs Lisp blocks read -- %s\n" (mapconcat (function identity) bad " | ")))
                 (t (format "ok snippets: %d Emacs Lisp blocks read\n" n))))))' \
    "$repo/editors/README.md" >>"$results" 2>"$work/read.log" ||
    echo "FAIL snippets: Emacs Lisp blocks read -- $(tail -c 300 "$work/read.log" | tr '\n' ' ')" >>"$results"
  cp "$repo/editors/emacs/dossier.el" "$work/dossier.el"
  if emacs --batch --eval '(setq byte-compile-error-on-warn t)' -f batch-byte-compile "$work/dossier.el" \
    >"$work/compile.log" 2>&1; then
    echo "ok emacs: dossier.el byte-compiles without warnings" >>"$results"
  else
    echo "FAIL emacs: dossier.el byte-compiles without warnings -- $(tail -c 400 "$work/compile.log" | tr '\n' ' ')" >>"$results"
  fi
else
  echo "FAIL emacs: Emacs is not installed" >>"$results"
fi

cat "$results"
passed="$(grep -c '^ok ' "$results")"
failed="$(grep -c '^FAIL ' "$results")"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
