// End-to-end test of `driftlint serve` in a real browser: Debian's Chromium,
// headless, driven by playwright-core. Run with `node serve.spec.mjs` (or
// ../e2e/run.sh, which installs what is missing first).
//
// Environment: DRIFTLINT_BIN (default ../target/debug/driftlint),
// CHROMIUM (default /usr/bin/chromium), SCREENSHOT_DIR (default ../docs:
// where serve-screenshot.png and serve-screenshot-200.png are written; CI
// points it at a temporary folder so the committed pictures stay as they are).

import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const bin = process.env.DRIFTLINT_BIN || path.join(root, "target", "debug", "driftlint");
const chromiumPath = process.env.CHROMIUM || "/usr/bin/chromium";
const shots = process.env.SCREENSHOT_DIR || path.join(root, "docs");
const fixture = path.join(root, "fixtures", "hospital-peer-support-worker.md");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

// ---- A tiny test runner: every test runs, failures are listed at the end ----

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function assertEqual(actual, expected, message) {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}\n    expected ${e}\n    actual   ${a}`);
}

// ---- The server ----

function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["serve", "--port", "0"], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no address from driftlint serve within 180 s:\n${err}`)), 180_000);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`driftlint serve exited with ${code}:\n${err}`));
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk) => {
      err += chunk;
      const m = err.match(/driftlint: serving on (http:\/\/127\.0\.0\.1:(\d+)\/) \(Ctrl-C to stop\)/);
      if (m) {
        clearTimeout(timer);
        child.removeAllListeners("exit");
        resolve({ child, url: m[1], stderr: () => err });
      }
    });
  });
}

// ---- Helpers on the page ----

async function checkText(page, text, done = "^(Found|No drift|Could not)") {
  await page.fill("#posting", text);
  await page.getByRole("button", { name: "Check posting" }).click();
  await page.waitForFunction((re) => new RegExp(re).test(document.getElementById("status").textContent), done);
}

async function marks(page) {
  return page.$$eval("#rendered mark.hl", (ms) => ms.map((m) => ({ text: m.textContent, cls: m.className })));
}

function cliFindings(file) {
  let out;
  try {
    out = execFileSync(bin, ["check", "--isolated", "--format", "json", file], { encoding: "utf8" });
  } catch (e) {
    out = e.stdout; // exit 1: findings
  }
  return JSON.parse(out).files[0].findings;
}

// ---- Tests ----

let server;
let context;
let page;
const offsite = [];
const pageErrors = [];
const expectedConsole = []; // console errors a test provokes on purpose, each allowed once

test("page loads, styled, with nothing fetched from elsewhere", async () => {
  await page.goto(server.url);
  assertEqual(await page.title(), "driftlint: check a peer support job posting", "title");
  const bg = await page.$eval("#check", (b) => getComputedStyle(b).backgroundColor);
  assertEqual(bg, "rgb(31, 79, 191)", "app.css is applied to the Check button");
  const live = await page.$eval("#status", (s) => [s.getAttribute("role"), s.getAttribute("aria-live")]);
  assertEqual(live, ["status", "polite"], "status is an aria-live region");
  await checkText(page, "   ", "^Paste a posting");
  assert((await page.textContent("#status")).includes("Paste a posting"), "an empty posting is explained");
});

test("fixture: flagged phrases highlighted by severity, as the CLI finds them", async () => {
  const text = readFileSync(fixture, "utf8");
  await checkText(page, text);
  const status = await page.textContent("#status");
  const expected = cliFindings(fixture);
  assert(!(await page.textContent("#summary")).includes("("), "pasted text carries no file name");
  assert(status.startsWith(`Found ${expected.length} findings`), `status: ${status}`);
  const ms = await marks(page);
  const find = (needle) => ms.find((m) => m.text.includes(needle));
  for (const [needle, sev] of [["Bachelor", "error"], ["Vulnerable Sector Check", "error"], ["restraint", "error"], ["abstinence", "error"]]) {
    const m = find(needle);
    assert(m, `a mark contains "${needle}" (marks: ${ms.map((x) => x.text).join(" | ")})`);
    assert(m.cls.includes(`sev-${sev}`), `"${needle}" is marked ${sev}: ${m.cls}`);
  }
  const warning = find("Registration");
  assert(warning && warning.cls.includes("sev-warning"), "registration 'considered an asset' is a warning");
  // Every finding is highlighted at exactly the text the CLI reports.
  const cards = await page.$$eval("article.finding", (as) => as.length);
  assertEqual(cards, expected.length, "one card per finding");
  const disabled = await page.$$eval("button.quote:disabled", (bs) => bs.length);
  assertEqual(disabled, 0, "every finding's phrase was found in the text");
  const highlighted = ms.map((m) => m.text).join("");
  for (const f of expected) {
    assert(highlighted.includes(f.matched) || text.includes(f.matched), `matched text ${f.matched}`);
  }
  const byMark = await page.$$eval("article.finding", (as) => as.map((a) => a.querySelector("q").textContent));
  assertEqual(byMark.slice().sort(), expected.map((f) => f.matched.replace(/\s+/g, " ")).sort(), "cards quote the CLI's matches");
});

test("findings show citations, rationale, severity, strength and suggested wording", async () => {
  const card = page.locator("article.finding", { hasText: "Bachelor" }).first();
  const text = await card.innerText();
  assert(text.includes("Statement 7"), "cites Statement 7");
  assert(text.includes("Peer Support Drift is a Legal Problem"), "cites the section");
  assert(text.includes("Why it matters"), "has a rationale");
  assert(text.includes("Suggested wording"), "has a suggestion");
  assert(/Error/.test(text) && text.includes("asked as a requirement"), "severity and strength in words");
  const rules = await page.evaluate(() => fetch("/api/rules").then((r) => r.json()));
  const rule = rules.find((r) => r.id === "DL102");
  assert(text.includes(rule.rationale.split("\n")[0].slice(0, 60)), "rationale comes from /api/rules");
  const counts = await page.$$eval("#counts li", (ls) => ls.map((l) => l.textContent));
  assert(counts.some((c) => /^Degrees, diplomas and professional credentials: 2$/.test(c)), `counts: ${counts}`);
  const total = counts.reduce((n, c) => n + Number(c.split(": ").pop()), 0);
  const cards = await page.$$eval("article.finding", (as) => as.length);
  assertEqual(total, cards, "category counts add up");
});

test("keyboard: Tab reaches a mark, Enter moves focus to its finding and back", async () => {
  await page.focus("#copy");
  let active = "";
  for (let i = 0; i < 40 && !active.startsWith("MARK"); i++) {
    await page.keyboard.press("Tab");
    active = await page.evaluate(() => `${document.activeElement.tagName} ${document.activeElement.textContent}`);
  }
  assert(active.startsWith("MARK"), `Tab reached a mark: ${active}`);
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline !== "none", "a focused mark has a visible outline");
  await page.keyboard.press("Enter");
  const card = await page.evaluate(() => ({ tag: document.activeElement.tagName, id: document.activeElement.id, cls: document.activeElement.className }));
  assertEqual(card.tag, "ARTICLE", "Enter on a mark focuses its finding");
  assert(card.cls.includes("is-current"), "the finding is marked current");
  const markText = active.slice(5);
  const quote = await page.$eval(`#${card.id} q`, (q) => q.textContent);
  assert(quote.includes(markText.trim()) || markText.includes(quote), `finding quotes the mark: ${quote} / ${markText}`);
  await page.keyboard.press("Tab");
  const onButton = await page.evaluate(() => document.activeElement.className);
  assertEqual(onButton, "quote", "Tab goes to the finding's 'show in the posting' button");
  await page.keyboard.press("Enter");
  const back = await page.evaluate(() => [document.activeElement.tagName, document.activeElement.classList.contains("is-current")]);
  assertEqual(back, ["MARK", true], "Enter on 'show in the posting' focuses the phrase");
  // Clicking a finding card does the same.
  await page.locator("article.finding", { hasText: "Restraint, seclusion" }).locator("h5").click();
  const clicked = await page.evaluate(() => document.activeElement.textContent);
  assert(/restraint/i.test(clicked), `clicking a finding focuses its phrase: ${clicked}`);
});

test("UTF-8 byte offsets map to the right characters (emoji, curly quotes)", async () => {
  const samples = ["abc", "é", "“curly” ‘quotes’", "😀", "👩🏽‍⚕️ nurse", "a\ud800b", "日本語 text"];
  for (const s of samples) {
    const got = await page.evaluate((str) => {
      const f = window.driftlint.byteIndexer(str);
      const out = [];
      for (let b = 0; b <= new TextEncoder().encode(str).length; b++) out.push(f(b));
      return out;
    }, s);
    const want = [];
    const bytes = Buffer.from(s, "utf8").length;
    for (let b = 0; b <= bytes; b++) {
      const prefix = Buffer.from(s, "utf8").subarray(0, b);
      const decoded = prefix.toString("utf8");
      // A boundary is where the prefix decodes cleanly and re-encodes to itself.
      const clean = Buffer.from(decoded, "utf8").equals(prefix);
      want.push(clean ? decoded.length : -1);
    }
    assertEqual(got, want, `offsets of ${JSON.stringify(s)}`);
  }
  const posting = "# 🌟 Peer Support Worker — “Join us” 👩🏽‍⚕️\n\n## Qualifications\n\n- 😀😀 “Bachelor’s degree in Social Work” required 🎓\n- A satisfactory police record check 🚓 is required\n- Must be 😀 sober for two years\n";
  await checkText(page, posting);
  const ms = await marks(page);
  const cards = await page.$$eval("article.finding", (as) => as.map((a) => a.querySelector("q").textContent));
  assert(cards.length >= 2, `findings: ${cards}`);
  const disabled = await page.$$eval("button.quote:disabled", (bs) => bs.length);
  assertEqual(disabled, 0, "every finding is highlighted");
  const texts = ms.map((m) => m.text);
  assert(texts.some((t) => t.startsWith("Bachelor’s degree")), `marks: ${texts.join(" | ")}`);
  assert(texts.some((t) => /^police/i.test(t)), `marks: ${texts.join(" | ")}`);
  for (const q of cards) assert(texts.join("").includes(q) || posting.includes(q), `card quote ${q} highlighted`);
});

test("opening files: .txt is read as plain text, Word files are refused politely", async () => {
  const body = "PEER SUPPORT WORKER\n\nQUALIFICATIONS\n\nBachelor's degree in social work required.\nClear criminal record check.\n";
  await page.setInputFiles("#file", { name: "posting.txt", mimeType: "text/plain", buffer: Buffer.from(body) });
  await page.waitForFunction(() => document.getElementById("summary").textContent.includes("(posting.txt)"));
  assertEqual(await page.$eval('input[value="plain"]', (r) => r.checked), true, "format guessed from the name");
  assert((await page.textContent("#summary")).includes("(posting.txt)"), "summary names the file");
  assertEqual(await page.inputValue("#posting"), body, "the file's text is shown in the box");
  await page.setInputFiles("#file", { name: "posting.docx", mimeType: "application/octet-stream", buffer: Buffer.from("PK\x03\x04") });
  await page.waitForFunction(() => /not supported yet/.test(document.getElementById("status").textContent));
  await page.setInputFiles("#file", { name: "utf16.md", mimeType: "text/markdown", buffer: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("## Qualifications\n- Bachelor’s degree required\n", "utf16le")]) });
  await page.waitForFunction(() => document.getElementById("summary").textContent.includes("(utf16.md)"));
  assertEqual(await page.$eval('input[value="markdown"]', (r) => r.checked), true, ".md is Markdown");
  const ms = await marks(page);
  assert(ms.some((m) => m.text.startsWith("Bachelor’s")), "UTF-16 file decoded and highlighted");
});

test("server errors are shown in the status line", async () => {
  expectedConsole.push(/status of 400 \(Bad Request\)/);
  await checkText(page, "## Duties\n\u0000 binary");
  const s = await page.textContent("#status");
  assert(/Could not check the posting: cannot read the posting: binary/.test(s), s);
  assert(await page.$eval("#status", (e) => e.classList.contains("is-error")), "shown as an error");
});

test("Copy findings as Markdown", async () => {
  await checkText(page, readFileSync(fixture, "utf8"));
  await page.getByRole("button", { name: "Copy findings as Markdown" }).click();
  await page.waitForFunction(() => /Copied|Could not copy/.test(document.getElementById("status").textContent));
  const status = await page.textContent("#status");
  let text;
  if (status.startsWith("Copied")) {
    text = await page.evaluate(() => navigator.clipboard.readText());
  } else {
    text = await page.inputValue("#copy-text");
  }
  assert(text.startsWith("# driftlint findings"), text.slice(0, 80));
  assert(text.includes("## Degrees, diplomas and professional credentials (2)"), "grouped by category");
  assert(text.includes("Statement 7"), "citations included");
  assert(text.includes("**Suggested wording:**"), "suggestions included");
  assert(text.includes("**Why it matters:**"), "rationale included");
});

test("accessibility: axe-core finds no WCAG 2.1 A/AA violations", async () => {
  // Evaluated through the DevTools protocol: the page's CSP forbids inline scripts.
  await page.evaluate(readFileSync(axePath, "utf8"));
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] }));
  const problems = result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length}) e.g. ${v.nodes[0].html.slice(0, 120)}`);
  assertEqual(problems, [], "axe violations");
});

test("screenshots; 200% zoom keeps one readable column without sideways scrolling", async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator("article.finding", { hasText: "Bachelor" }).first().locator("button.quote").click();
  const wide = await page.$eval(".panes", (p) => getComputedStyle(p).gridTemplateColumns.split(" ").length);
  assertEqual(wide, 2, "two columns at 1280 px");
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    document.getElementById("posting").scrollTop = 0;
  });
  await page.screenshot({ path: path.join(shots, "serve-screenshot.png"), fullPage: true, clip: { x: 0, y: 0, width: 1280, height: 1900 } });
  // 200% zoom of a 1280 px wide window: 640 CSS px at device scale 2, in a
  // browser of its own (the device scale is fixed per browser context).
  const dir = mkdtempSync(path.join(tmpdir(), "driftlint-e2e-zoom-"));
  const zoomed = await chromium.launchPersistentContext(dir, { ...launchOptions, viewport: { width: 640, height: 800 }, deviceScaleFactor: 2 });
  try {
    zoomed.on("request", (r) => offsite.push(...(r.url().startsWith(server.url) || r.url().startsWith("data:") ? [] : [r.url()])));
    const p = zoomed.pages()[0] || (await zoomed.newPage());
    p.setDefaultTimeout(60_000);
    await p.goto(server.url);
    await checkText(p, readFileSync(fixture, "utf8"));
    const layout = await p.evaluate(() => ({
      columns: getComputedStyle(document.querySelector(".panes")).gridTemplateColumns.split(" ").length,
      overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      wideBoxes: [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1).map((e) => e.tagName + "." + e.className).slice(0, 5),
    }));
    assertEqual(layout.columns, 1, "one column at 200%");
    assert(layout.overflow <= 0, `no horizontal scrolling at 200% (overflow ${layout.overflow}px: ${layout.wideBoxes})`);
    await p.evaluate(() => window.scrollTo(0, document.getElementById("results-h").getBoundingClientRect().top + window.scrollY - 8));
    await p.screenshot({ path: path.join(shots, "serve-screenshot-200.png") });
  } finally {
    await zoomed.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test("no request left this computer and the page logged no errors", async () => {
  assertEqual(offsite, [], "requests to other hosts");
  assertEqual(pageErrors, [], "console errors");
});

// ---- Run ----

const launchOptions = {
  executablePath: chromiumPath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

async function main() {
  let passed = 0;
  let failed = 0;
  const userDataDir = mkdtempSync(path.join(tmpdir(), "driftlint-e2e-"));
  try {
    server = await startServer();
    context = await chromium.launchPersistentContext(userDataDir, { ...launchOptions, viewport: { width: 1280, height: 900 } });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: server.url.replace(/\/$/, "") });
    page = context.pages()[0] || (await context.newPage());
    page.setDefaultTimeout(60_000);
    context.on("request", (r) => {
      const u = r.url();
      if (!u.startsWith(server.url) && !u.startsWith("data:") && u !== "about:blank") offsite.push(u);
    });
    page.on("console", (m) => {
      if (m.type() !== "error") return;
      const i = expectedConsole.findIndex((re) => re.test(m.text()));
      if (i >= 0) expectedConsole.splice(i, 1);
      else pageErrors.push(m.text());
    });
    page.on("pageerror", (e) => pageErrors.push(String(e)));
    for (const t of tests) {
      try {
        await t.fn();
        passed++;
        console.log(`ok   - ${t.name}`);
      } catch (e) {
        failed++;
        console.log(`FAIL - ${t.name}\n    ${String(e.stack || e).split("\n").slice(0, 6).join("\n    ")}`);
      }
    }
  } catch (e) {
    console.log(`FAIL - setup: ${e.stack || e}`);
    failed += tests.length - passed - failed || 1;
  } finally {
    if (context) await context.close().catch(() => {});
    if (server) server.child.kill();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main();
