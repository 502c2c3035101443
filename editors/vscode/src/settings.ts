// The extension's settings turned into the server's `initializationOptions`.
// Pure: no `vscode` import, so the unit tests run under plain Node.

import * as path from "node:path";

/** The server's diagnostic codes, in the order of SPEC §6. */
export const DIAGNOSTIC_CODES = [
  "unknown-source",
  "unknown-locator",
  "misquote",
  "contradicts-source",
  "unsupported-claim",
  "uncited-claim",
] as const;
export type DiagnosticCode = (typeof DIAGNOSTIC_CODES)[number];

export const SEVERITIES = ["error", "warning", "information", "hint", "off"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What `dossier lsp` receives in `initialize` (documented in README.md). */
export interface InitializationOptions {
  corpus: { paths: string[] };
  diagnostics: Partial<Record<DiagnosticCode, Severity>>;
}

/**
 * Reads one setting under `dossier.`, and only when the user set it (in any scope):
 * a default from package.json is `undefined` here, so `dossier.toml` still decides.
 */
export type ReadSetting = (key: string) => unknown;

export interface Translated {
  options: InitializationOptions;
  /** Settings that were ignored, one sentence each, for the output channel. */
  problems: string[];
}

export function initializationOptions(read: ReadSetting, workspaceFolder: string | undefined): Translated {
  const problems: string[] = [];
  const diagnostics: Partial<Record<DiagnosticCode, Severity>> = {};
  for (const code of DIAGNOSTIC_CODES) {
    const value = read(`diagnostics.${code}`);
    if (value === undefined) continue;
    if (isSeverity(value)) {
      diagnostics[code] = value;
    } else {
      problems.push(
        `dossier.diagnostics.${code}: ${JSON.stringify(value)} is not one of ${SEVERITIES.join(", ")}; ignored`,
      );
    }
  }
  return { options: { corpus: { paths: corpusPaths(read("corpus.paths"), workspaceFolder, problems) }, diagnostics }, problems };
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

/** Absolute paths, so the server need not guess what a relative one was relative to. */
function corpusPaths(value: unknown, workspaceFolder: string | undefined, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`dossier.corpus.paths: expected a list of paths, got ${JSON.stringify(value)}; ignored`);
    return [];
  }
  const paths: string[] = [];
  for (const entry of value) {
    if (typeof entry !== "string" || entry.trim() === "") {
      problems.push(`dossier.corpus.paths: ${JSON.stringify(entry)} is not a path; ignored`);
      continue;
    }
    const expanded = expandHome(entry.trim());
    if (path.isAbsolute(expanded)) {
      paths.push(path.normalize(expanded));
    } else if (workspaceFolder !== undefined) {
      paths.push(path.resolve(workspaceFolder, expanded));
    } else {
      problems.push(`dossier.corpus.paths: ${JSON.stringify(entry)} is relative and no folder is open; ignored`);
    }
  }
  return paths;
}

export function expandHome(value: string): string {
  const home = process.env.HOME ?? process.env.USERPROFILE;
  if (home !== undefined && (value === "~" || value.startsWith("~/"))) {
    return path.join(home, value.slice(1));
  }
  return value;
}
