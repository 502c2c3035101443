// The pure parts of the extension: settings → initializationOptions, finding the server, its log.
// Run by `npm run test:unit` (Node's test runner; Node strips the types).

import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { parseLine } from "../../src/log.ts";
import { findServer } from "../../src/server.ts";
import { initializationOptions } from "../../src/settings.ts";

const folder = path.join(os.tmpdir(), "briefs");

function translate(settings: Record<string, unknown>) {
  return initializationOptions((key) => settings[key], folder);
}

test("nothing set: empty paths and no severities, so dossier.toml decides", () => {
  assert.deepEqual(translate({}), { options: { corpus: { paths: [] }, diagnostics: {} }, problems: [] });
});

test("severities that were set are sent under their codes", () => {
  const { options, problems } = translate({
    "diagnostics.uncited-claim": "warning",
    "diagnostics.misquote": "off",
    "diagnostics.unknown-source": "hint",
  });
  assert.deepEqual(options.diagnostics, { "unknown-source": "hint", misquote: "off", "uncited-claim": "warning" });
  assert.deepEqual(problems, []);
});

test("a severity outside the enum is dropped with a message", () => {
  const { options, problems } = translate({ "diagnostics.misquote": "fatal", "diagnostics.unknown-locator": 3 });
  assert.deepEqual(options.diagnostics, {});
  assert.equal(problems.length, 2);
  assert.match(problems[0] ?? "", /dossier\.diagnostics\.unknown-locator: 3 is not one of error, warning/);
});

test("corpus paths become absolute, relative ones from the workspace folder", () => {
  const absolute = path.join(os.tmpdir(), "archive");
  const { options, problems } = translate({ "corpus.paths": ["sources", "./a/../notes", absolute, "", 7] });
  assert.deepEqual(options.corpus.paths, [path.join(folder, "sources"), path.join(folder, "notes"), absolute]);
  assert.equal(problems.length, 2);
});

test("relative corpus paths with no folder open are dropped", () => {
  const { options, problems } = initializationOptions((key) => (key === "corpus.paths" ? ["sources"] : undefined), undefined);
  assert.deepEqual(options.corpus.paths, []);
  assert.match(problems[0] ?? "", /no folder is open/);
});

test("the server: the setting, then PATH; only executable files count", () => {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "dossier-bin-"));
  try {
    const server = path.join(bin, "dossier");
    assert.equal(findServer("", undefined, { PATH: bin }, "linux").kind, "missing");
    fs.writeFileSync(server, "#!/bin/sh\n", { mode: 0o644 });
    assert.equal(findServer("", undefined, { PATH: bin }, "linux").kind, "missing");
    fs.chmodSync(server, 0o755);
    assert.deepEqual(findServer("", undefined, { PATH: `/nonexistent${path.delimiter}${bin}` }, "linux"), {
      kind: "found",
      path: server,
    });
    assert.deepEqual(findServer("dossier", bin, { PATH: "" }, "linux"), { kind: "found", path: server });
    const missing = findServer(path.join(bin, "nope"), undefined, { PATH: bin }, "linux");
    if (missing.kind !== "missing") assert.fail(`found ${missing.path}`);
    assert.match(missing.reason, /dossier\.server\.path is ".*nope", which is not an executable file/);
    assert.equal(findServer("", undefined, { PATH: path.dirname(bin) }, "linux").kind, "missing");
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
});

test("server log lines keep their level", () => {
  assert.deepEqual(parseLine("dossier lsp: info: indexed 1 sources"), { level: "info", message: "indexed 1 sources" });
  assert.deepEqual(parseLine("dossier lsp: warning: cannot read a.txt: not UTF-8"), {
    level: "warn",
    message: "cannot read a.txt: not UTF-8",
  });
  assert.deepEqual(parseLine("dossier lsp: error: boom"), { level: "error", message: "boom" });
  assert.deepEqual(parseLine("thread 'main' panicked"), { level: "info", message: "thread 'main' panicked" });
});
