// Drives a real VS Code (code-server) in Chromium with playwright-core: opens the fixture
// workspace, opens the brief from the Explorer, hovers an entity, completes a citation key,
// runs the Dossier commands (screenshots on the way), then points dossier.server.path at nothing
// and expects the error message with its link to the install instructions. Started by e2e.sh, which serves
// code-server and reads the lines this prints: `PASS name` or `FAIL name: why`.
//
// Environment: E2E_URL (code-server's address), E2E_FOLDER (the workspace folder),
// E2E_SCREENSHOT (where the PNG goes), E2E_CHROMIUM (default /usr/bin/chromium).

import * as fs from "node:fs";
import * as path from "node:path";
import { chromium } from "playwright-core";

const url = required("E2E_URL");
const folder = required("E2E_FOLDER");
const screenshotPath = required("E2E_SCREENSHOT");
const executablePath = process.env.E2E_CHROMIUM || "/usr/bin/chromium";

const results = [];
let screenshotTaken = false;

/** Saves what the page shows now; `main` marks the picture e2e.sh checks for. */
async function screenshot(file, main) {
  await page.screenshot({ path: file }).then(
    () => {
      if (main) screenshotTaken = true;
    },
    (error) => {
      log(`screenshot ${file} failed: ${String(error)}`);
    },
  );
}

function required(name) {
  const value = process.env[name];
  if (!value) {
    console.error(`e2e.mjs: ${name} is not set`);
    process.exit(2);
  }
  return value;
}

function log(message) {
  console.error(`e2e.mjs: ${message}`);
}

/** Runs one check; a failure is recorded and the run goes on to the next check. */
async function check(name, body) {
  const started = Date.now();
  try {
    await body();
    results.push(`PASS ${name}`);
    console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    const why = String(error instanceof Error ? error.message : error).split("\n")[0];
    results.push(`FAIL ${name}`);
    // What the page showed when the check failed, for the log.
    const slug = name.replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "").toLowerCase();
    await screenshot(path.join(path.dirname(screenshotPath), `failed-${slug}.png`), false);
    console.log(`FAIL ${name}: ${why}`);
  }
}

/** Polls `probe` until it returns a truthy value or `ms` passes; returns the last value. */
async function until(ms, probe, what) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // Root in a container: Chromium's sandbox needs user namespaces it may not have.
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  timeout: 60_000,
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(30_000);
page.on("pageerror", (error) => {
  log(`page error: ${error.message}`);
});

try {
  await check("workbench opens the folder", async () => {
    await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: "domcontentloaded" });
    await page.locator(".monaco-workbench").waitFor({ timeout: 60_000 });
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "brief.md" }).waitFor({ timeout: 60_000 });
  });

  await check("brief opens from the Explorer", async () => {
    await page.locator(".explorer-folders-view .monaco-list-row", { hasText: "brief.md" }).click();
    await page.locator(".monaco-editor .view-line", { hasText: "Putin" }).first().waitFor();
  });

  await check("hover on Putin shows Vladimir Putin", async () => {
    const point = await page.evaluate((word) => {
      // The middle of the word's first rendered occurrence (Monaco splits lines into spans).
      for (const line of document.querySelectorAll(".monaco-editor .view-line")) {
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = (node.textContent ?? "").indexOf(word);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + word.length);
          const box = range.getBoundingClientRect();
          return { x: box.left + box.width / 2, y: box.top + box.height / 2 };
        }
      }
      return null;
    }, "Putin");
    if (!point) throw new Error("the word Putin is not on screen");
    const { x, y } = point;
    // The server may still be starting: move away and back until a hover with text appears.
    const text = await until(
      60_000,
      async () => {
        await page.mouse.move(x, y + 200);
        await page.mouse.move(x, y, { steps: 4 });
        const hover = page.locator(".monaco-hover:not(.hidden)", { hasText: "Vladimir Putin" });
        try {
          await hover.first().waitFor({ timeout: 4_000 });
        } catch {
          return "";
        }
        return hover.first().innerText();
      },
      "a hover containing 'Vladimir Putin'",
    );
    log(`hover: ${text.replace(/\s+/g, " ").slice(0, 160)}`);
    // The picture: the brief with the hover card open.
    await screenshot(screenshotPath, true);
  });

  await check("completion after [@ lists berman2023", async () => {
    await page.mouse.move(0, 0);
    await page.keyboard.press("Escape");
    // Focus the editor, then go to the end of the brief and start a new paragraph.
    await page.locator(".monaco-editor .view-line", { hasText: "drones" }).first().click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("Tehran bought drones [@", { delay: 30 });
    const widget = page.locator(".suggest-widget.visible");
    const listed = async () => {
      if (!(await widget.isVisible())) return "";
      const text = await widget.innerText();
      return text.includes("berman2023") ? text : "";
    };
    let text;
    try {
      text = await until(4_000, listed, "the suggest widget after typing [@");
    } catch {
      // No trigger character from the server (or it was not ready): ask explicitly.
      text = await until(
        30_000,
        async () => {
          if (!(await widget.isVisible())) await page.keyboard.press("Control+Space");
          await new Promise((resolve) => setTimeout(resolve, 750));
          return listed();
        },
        "a suggest widget listing berman2023 (Ctrl+Space)",
      );
    }
    log(`suggestions: ${text.replace(/\s+/g, " ").slice(0, 160)}`);
    await screenshot(path.join(path.dirname(screenshotPath), "completion.png"), false);
  });

  await check("Dossier: Show entity opens the source", async () => {
    await page.keyboard.press("Escape");
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(">Dossier: Show entity");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Dossier: Show entity" }).first().waitFor();
    await page.keyboard.press("Enter");
    await page.locator(".quick-input-widget .quick-input-title", { hasText: "Show entity" }).waitFor();
    await input.fill("Primakov");
    const row = page.locator(".quick-input-list .monaco-list-row", { hasText: "Primakov" }).first();
    await row.waitFor();
    // The picker asks the server again as the value changes; let that answer land.
    await page.waitForTimeout(500);
    await row.waitFor();
    await page.keyboard.press("Enter");
    // The chosen entity's passage opens in an editor of its own (a source, not the brief).
    let seen = "";
    try {
      await until(
        20_000,
        async () => {
          const title = await page.locator(".tabs-container .tab.active").first().innerText().catch(() => "");
          const lines = await page.locator(".editor-instance .monaco-editor .view-lines").last().innerText().catch(() => "");
          seen = `tab ${JSON.stringify(title.trim())}, text ${JSON.stringify(lines.replace(/\s+/g, " ").slice(0, 80))}`;
          return !title.includes("brief.md") && lines.includes("Primakov");
        },
        "an editor on the source with Primakov",
      );
    } catch (error) {
      throw new Error(`${String(error instanceof Error ? error.message : error)}; saw ${seen}`, { cause: error });
    }
  });

  await check("Dossier: Reindex corpus", async () => {
    await page.keyboard.press("F1");
    const input = page.locator(".quick-input-widget input");
    await input.waitFor();
    await input.fill(">Dossier: Reindex corpus");
    await page.locator(".quick-input-list .monaco-list-row", { hasText: "Dossier: Reindex corpus" }).first().waitFor();
    await page.keyboard.press("Enter");
    await page.locator(".statusbar", { hasText: "corpus reindexed" }).waitFor({ timeout: 20_000 });
  });

  await check("a missing server is reported, with the install instructions", async () => {
    const settingsPath = path.join(folder, ".vscode", "settings.json");
    const settings = JSON.parse(fs.readFileSync(settingsPath, "utf8"));
    settings["dossier.server.path"] = path.join(folder, "no-such-dossier");
    // VS Code watches the file: the extension sees the change and restarts the server.
    fs.writeFileSync(settingsPath, JSON.stringify(settings, null, 2));
    const toast = page.locator(".notification-toast", { hasText: "cannot find the language server" });
    await toast.waitFor({ timeout: 30_000 });
    await toast.locator(".monaco-button", { hasText: "Install instructions" }).click();
    await page.locator(".tabs-container .tab", { hasText: /readme\.md/i }).waitFor({ timeout: 20_000 });
  });
} finally {
  if (!screenshotTaken) await screenshot(screenshotPath, true);
  await browser.close().catch(() => undefined);
}

log(`screenshot: ${screenshotPath}`);
process.exit(results.some((line) => line.startsWith("FAIL")) ? 1 : 0);
