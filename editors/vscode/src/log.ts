// The server's stderr into the "Dossier" output channel, each line at its own level.
// `dossier lsp` writes `dossier lsp: LEVEL: message` (LEVEL: info, warning, error, …);
// vscode-languageclient would otherwise log every stderr line as an error.

import type { Readable } from "node:stream";
import * as readline from "node:readline";

export type Level = "trace" | "debug" | "info" | "warn" | "error";

/** The level and the message of one line of the server's stderr. */
export function parseLine(line: string): { level: Level; message: string } {
  const match = /^dossier(?: lsp)?: (trace|debug|info|warning|warn|error): (.*)$/s.exec(line);
  if (match === null) return { level: "info", message: line };
  const word = match[1] ?? "info";
  const level: Level = word === "warning" ? "warn" : (word as Level);
  return { level, message: match[2] ?? "" };
}

export interface Channel {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function pipeServerLog(input: Readable, channel: Channel): void {
  readline
    .createInterface({ input, crlfDelay: Infinity, terminal: false })
    .on("line", (line) => {
      const { level, message } = parseLine(line);
      channel[level](message);
    });
}
