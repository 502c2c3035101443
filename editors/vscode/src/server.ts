// Where the `dossier` binary is: the `dossier.server.path` setting, else `dossier` on PATH.
// No `vscode` import: unit-tested under plain Node.

import * as fs from "node:fs";
import * as path from "node:path";
import { expandHome } from "./settings.ts";

export type Found = { kind: "found"; path: string } | { kind: "missing"; reason: string };

export interface Environment {
  PATH?: string;
  PATHEXT?: string;
}

/**
 * `configured` is the setting (empty when unset); a relative path is taken from the first
 * workspace folder. Only an executable regular file counts.
 */
export function findServer(
  configured: string,
  workspaceFolder: string | undefined,
  env: Environment = process.env,
  platform: NodeJS.Platform = process.platform,
): Found {
  const setting = configured.trim();
  if (setting !== "") {
    let candidate = expandHome(setting);
    if (!path.isAbsolute(candidate) && workspaceFolder !== undefined) {
      candidate = path.resolve(workspaceFolder, candidate);
    }
    return isExecutable(candidate, platform)
      ? { kind: "found", path: candidate }
      : { kind: "missing", reason: `dossier.server.path is ${JSON.stringify(setting)}, which is not an executable file` };
  }
  const names = platform === "win32" ? windowsNames(env.PATHEXT) : ["dossier"];
  for (const directory of (env.PATH ?? "").split(path.delimiter)) {
    if (directory === "") continue;
    for (const name of names) {
      const candidate = path.join(directory, name);
      if (isExecutable(candidate, platform)) return { kind: "found", path: candidate };
    }
  }
  return { kind: "missing", reason: "no `dossier` on PATH and dossier.server.path is not set" };
}

function windowsNames(pathext: string | undefined): string[] {
  const extensions = (pathext ?? ".EXE;.CMD;.BAT").split(";").filter((e) => e !== "");
  return extensions.map((extension) => `dossier${extension.toLowerCase()}`);
}

function isExecutable(candidate: string, platform: NodeJS.Platform): boolean {
  try {
    if (!fs.statSync(candidate).isFile()) return false;
    if (platform !== "win32") fs.accessSync(candidate, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
