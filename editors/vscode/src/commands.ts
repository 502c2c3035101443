// The commands of the palette: reindex the corpus, show an entity, restart the server.

import * as vscode from "vscode";
import { ExecuteCommandRequest, WorkspaceSymbolRequest } from "vscode-languageclient/node";
import type { Session } from "./extension.ts";

/** The server's command (SPEC §4; announced in `executeCommandProvider`). */
const SERVER_REINDEX = "dossier.reindex";

// The palette commands' ids differ from the server's: vscode-languageclient registers a VS
// Code command under each id the server announces, and two registrations of one id fail.
export function registerCommands(session: Session): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand("dossier.reindexCorpus", () => reindex(session)),
    vscode.commands.registerCommand("dossier.showEntity", () => showEntity(session)),
    vscode.commands.registerCommand("dossier.restartServer", async () => {
      await session.restart();
      vscode.window.setStatusBarMessage("Dossier: server restarted", 3000);
    }),
  ];
}

async function reindex(session: Session): Promise<void> {
  const client = await session.running();
  if (client === undefined) return;
  await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: "Dossier: reindexing the corpus" },
    async () => {
      try {
        await client.sendRequest(ExecuteCommandRequest.type, { command: SERVER_REINDEX, arguments: [] });
        vscode.window.setStatusBarMessage("Dossier: corpus reindexed", 3000);
      } catch (error) {
        session.output.error(`reindex failed: ${String(error)}`);
        void vscode.window.showErrorMessage(`Dossier: reindexing failed (${String(error)}).`);
      }
    },
  );
}

interface SymbolItem extends vscode.QuickPickItem {
  symbol: vscode.SymbolInformation;
}

/** A QuickPick over `workspace/symbol`, asked again as the user types; opens the choice. */
async function showEntity(session: Session): Promise<void> {
  const client = await session.running();
  if (client === undefined) return;
  const pick = vscode.window.createQuickPick<SymbolItem>();
  pick.title = "Dossier: Show entity";
  pick.placeholder = "Name of a person, organisation, place, event or source";
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;

  let asked = 0;
  let timer: NodeJS.Timeout | undefined;
  const query = async (text: string): Promise<void> => {
    const mine = ++asked;
    pick.busy = true;
    try {
      const found = await client.sendRequest(WorkspaceSymbolRequest.type, { query: text });
      const symbols = (await client.protocol2CodeConverter.asSymbolInformations(found)) ?? [];
      if (mine !== asked) return; // a later query has been sent
      pick.items = symbols.map(toItem);
    } catch (error) {
      session.output.error(`workspace/symbol failed: ${String(error)}`);
    } finally {
      if (mine === asked) pick.busy = false;
    }
  };

  const chosen = new Promise<SymbolItem | undefined>((resolve) => {
    pick.onDidChangeValue((text) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void query(text);
      }, 120);
    });
    pick.onDidAccept(() => {
      // Enter while the items are being replaced can come with no selection: take the
      // active item, and stay open when there is none.
      const item = pick.selectedItems[0] ?? pick.activeItems[0];
      if (item === undefined) return;
      resolve(item);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
    });
  });
  pick.show();
  void query("");
  const item = await chosen;
  clearTimeout(timer);
  pick.dispose();
  if (item === undefined) return;
  const location = item.symbol.location;
  await vscode.window.showTextDocument(location.uri, { selection: location.range, preview: false });
}

function toItem(symbol: vscode.SymbolInformation): SymbolItem {
  const icon = SYMBOL_ICONS.get(symbol.kind) ?? "symbol-misc";
  return {
    label: `$(${icon}) ${symbol.name}`,
    description: symbol.containerName || vscode.SymbolKind[symbol.kind],
    detail: vscode.workspace.asRelativePath(symbol.location.uri),
    symbol,
  };
}

const SYMBOL_ICONS = new Map<vscode.SymbolKind, string>([
  [vscode.SymbolKind.File, "file"],
  [vscode.SymbolKind.Event, "symbol-event"],
  [vscode.SymbolKind.Object, "person"],
  [vscode.SymbolKind.Struct, "organization"],
  [vscode.SymbolKind.Module, "globe"],
  [vscode.SymbolKind.Constant, "symbol-constant"],
]);
