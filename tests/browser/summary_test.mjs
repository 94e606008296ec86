// Browser test: the summary.md of `record --report-dir` as GitHub shows it.
// Real recordings (a failing job, and one of 2,000 processes); every fenced
// ```mermaid block must stay under GitHub's 50,000-character limit and
// parse and render in the real mermaid library in headless Chromium.
//
//   node summary_test.mjs --proctrace BIN --out DIR
//
// Exits 77 (ctest: skipped) when Chromium or the npm packages are missing.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const proctrace = args.proctrace;
const outDir = args.out || path.join(here, "..", "..", "build", "browser");
const chromiumPath = process.env.PROCTRACE_CHROMIUM || "/usr/bin/chromium";
const skip = (why) => { console.log("SKIP: " + why); process.exit(77); };
if (!proctrace || !fs.existsSync(proctrace)) {
  console.error("usage: summary_test.mjs --proctrace BIN [--out DIR]");
  process.exit(2);
}
if (!fs.existsSync(chromiumPath)) skip(`no Chromium at ${chromiumPath} (apt-get install chromium, or set PROCTRACE_CHROMIUM)`);
const mermaidJs = path.join(here, "node_modules", "mermaid", "dist", "mermaid.min.js");
let chromium;
try {
  ({ chromium } = await import("playwright-core"));
} catch (e) {
  skip("playwright-core is not installed: run scripts/install-deps.sh (npm ci in tests/browser)");
}
if (!fs.existsSync(mermaidJs)) skip("mermaid is not installed: run scripts/install-deps.sh (npm ci in tests/browser)");
fs.mkdirSync(outDir, { recursive: true });

let passed = 0, failed = 0;
function check(ok, what, detail) {
  if (ok) { passed++; return true; }
  failed++;
  console.log(`FAIL: ${what}${detail === undefined ? "" : "\n  " + detail}`);
  return false;
}

// GitHub's reading of fenced blocks: an opening fence of 3+ backticks with
// the info string "mermaid", closed by a fence at least as long.
function mermaidBlocks(md) {
  const blocks = [];
  const lines = md.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})mermaid\s*$/.exec(lines[i]);
    if (!open) continue;
    const body = [];
    let j = i + 1;
    for (; j < lines.length && !new RegExp("^`{" + open[1].length + ",}\\s*$").test(lines[j]); j++) body.push(lines[j]);
    blocks.push(body.join("\n") + "\n");
    i = j;
  }
  return blocks;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), "proctrace-summary-"));
const env = { ...process.env };
delete env.GITHUB_STEP_SUMMARY;
const jobs = {
  failing: "ls /proctrace-no-such-dir; sleep 0.01; exit 3",
  many: "i=0; while [ $i -lt 3000 ]; do /bin/true; i=$((i+1)); done; /bin/false",
};
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false }));
  let n = 0;
  for (const [name, script] of Object.entries(jobs)) {
    const dir = path.join(work, name);
    const r = spawnSync(proctrace, ["record", "-o", path.join(work, name + ".jsonl"), "--report-dir", dir, "--", "sh", "-c", script],
                        { env, encoding: "utf8", stdio: ["ignore", "ignore", "pipe"] });
    check(r.status !== 0, `${name}: the job's failure passes through`, r.stderr);
    const file = path.join(dir, "summary.md");
    if (!check(fs.existsSync(file), `${name}: summary.md written`, r.stderr)) continue;
    const md = fs.readFileSync(file, "utf8");
    fs.copyFileSync(file, path.join(outDir, `summary-${name}.md`));
    const blocks = mermaidBlocks(md);
    check(blocks.length >= 1, `${name}: a mermaid block`);
    for (const chart of blocks) {
      check(chart.length < 50000, `${name}: block of ${chart.length} characters is under GitHub's 50,000`);
      const result = await page.evaluate(async ({ chart, id }) => {
        try {
          await window.mermaid.parse(chart);
          const { svg } = await window.mermaid.render(id, chart);
          const out = document.getElementById("out");
          out.innerHTML = svg;
          return { bars: out.querySelectorAll("rect.task").length };
        } catch (e) {
          return { error: String(e && e.message || e) };
        }
      }, { chart, id: "summary" + n++ });
      if (check(!result.error, `${name}: Mermaid parses and renders the summary's chart`, result.error))
        check(result.bars > 0, `${name}: the chart has bars (${result.bars})`);
      console.log(`${name}: summary ${md.length} bytes, mermaid block ${chart.length} chars, ${result.bars} bars`);
    }
    if (name === "many") {
      check(/processes \(\d+ failed, then the longest\); \d+ are left out/.test(md), "many: the summary says how many bars were left out");
      const svg = await page.$("#out svg");
      if (svg) await svg.screenshot({ path: path.join(outDir, "summary-many.png") });
    }
  }
} finally {
  await browser.close();
  fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
