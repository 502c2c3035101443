// Entry point: starts `dossier lsp` for Markdown files and registers the Dossier commands.
// The client's lifecycle lives in `Session`; what the commands do is in commands.ts.

import * as vscode from "vscode";
import { LanguageClient, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";
import { registerCommands } from "./commands.ts";
import { pipeServerLog } from "./log.ts";
import { findServer } from "./server.ts";
import { initializationOptions } from "./settings.ts";

export const SECTION = "dossier";

/** One language client at a time; `restart` replaces it with one built from fresh settings. */
export class Session implements vscode.Disposable {
  private client: LanguageClient | undefined;
  private queue: Promise<void> = Promise.resolve();

  private readonly context: vscode.ExtensionContext;
  readonly output: vscode.LogOutputChannel;

  constructor(context: vscode.ExtensionContext, output: vscode.LogOutputChannel) {
    this.context = context;
    this.output = output;
  }

  /** The running client (once a start under way has ended), or `undefined` after telling the user. */
  async running(): Promise<LanguageClient | undefined> {
    await this.queue;
    if (this.client?.isRunning()) return this.client;
    void vscode.window.showWarningMessage("Dossier: the language server is not running.", "Restart server").then(
      (choice) => {
        if (choice !== undefined) void this.restart();
      },
    );
    return undefined;
  }

  /** Stops the client (if any) and starts a new one; calls are serialised. */
  restart(): Promise<void> {
    this.queue = this.queue.then(async () => {
      await this.stop();
      await this.start();
    });
    return this.queue;
  }

  private async start(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const config = vscode.workspace.getConfiguration(SECTION);
    const found = findServer(config.get<string>("server.path") ?? "", folder);
    if (found.kind === "missing") {
      this.output.error(`cannot start the server: ${found.reason}`);
      void this.reportMissing(found.reason);
      return;
    }
    const { options, problems } = initializationOptions((key) => explicitValue(config, key), folder);
    for (const problem of problems) this.output.warn(`setting ${problem}`);
    this.output.info(`starting ${found.path} lsp; initializationOptions ${JSON.stringify(options)}`);

    const serverOptions: ServerOptions = {
      command: found.path,
      args: ["lsp"],
      options: folder === undefined ? {} : { cwd: folder },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: "file", language: "markdown" },
        { scheme: "untitled", language: "markdown" },
      ],
      initializationOptions: options,
      outputChannel: this.output,
      stdioOptions: {
        stdout: (input, channel) => {
          pipeServerLog(input, channel);
        },
        stderr: (input, channel) => {
          pipeServerLog(input, channel);
        },
      },
    };
    const client = new LanguageClient("dossier", "Dossier", serverOptions, clientOptions);
    this.client = client;
    try {
      await client.start();
    } catch (error) {
      this.output.error(`the server did not start: ${String(error)}`);
      void vscode.window.showErrorMessage(`Dossier: the language server did not start (${String(error)}).`, "Show log").then(
        (choice) => {
          if (choice !== undefined) this.output.show();
        },
      );
    }
  }

  private async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client === undefined) return;
    try {
      if (client.needsStop()) await client.stop(2000);
      await client.dispose();
    } catch (error) {
      this.output.error(`stopping the server: ${String(error)}`);
    }
  }

  private async reportMissing(reason: string): Promise<void> {
    const install = "Install instructions";
    const settings = "Open settings";
    const choice = await vscode.window.showErrorMessage(
      `Dossier: cannot find the language server (${reason}). Install dossier (cargo install --path . in its repository) or set dossier.server.path.`,
      install,
      settings,
    );
    if (choice === install) {
      await vscode.commands.executeCommand("markdown.showPreview", await this.readme());
    } else if (choice === settings) {
      await vscode.commands.executeCommand("workbench.action.openSettings", "dossier.server.path");
    }
  }

  /** The extension's README (its Install section); `vsce` stores it as `readme.md`. */
  private async readme(): Promise<vscode.Uri> {
    for (const name of ["readme.md", "README.md"]) {
      const uri = vscode.Uri.joinPath(this.context.extensionUri, name);
      try {
        await vscode.workspace.fs.stat(uri);
        return uri.with({ fragment: "install" });
      } catch {
        // try the next spelling
      }
    }
    return vscode.Uri.joinPath(this.context.extensionUri, "README.md");
  }

  /** Stops the server for good (on deactivation), after any restart under way. */
  shutdown(): Promise<void> {
    this.queue = this.queue.then(() => this.stop());
    return this.queue;
  }

  dispose(): void {
    void this.shutdown();
  }
}

/** The value the user set in any scope, or `undefined`: package.json defaults are not sent. */
function explicitValue(config: vscode.WorkspaceConfiguration, key: string): unknown {
  const inspected = config.inspect(key);
  if (inspected === undefined) return undefined;
  return inspected.workspaceFolderValue ?? inspected.workspaceValue ?? inspected.globalValue;
}

let session: Session | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel("Dossier", { log: true });
  session = new Session(context, output);
  context.subscriptions.push(output, session, ...registerCommands(session));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      // The server takes its settings once, in `initialize`: a change needs a new server.
      if (event.affectsConfiguration(SECTION)) {
        output.info("settings changed; restarting the server");
        void session?.restart();
      }
    }),
  );
  await session.restart();
}

export function deactivate(): Promise<void> | undefined {
  const current = session;
  session = undefined;
  return current?.shutdown();
}
