// Browser test: proctrace's Mermaid charts through the real mermaid library,
// and its HTML report, in real headless Chromium.
//
//   node render_test.mjs --proctrace BIN --fixtures DIR --out DIR
//
// For every fixture recording: the chart must parse and render, have one bar
// per exec segment (counted here from the recording itself, independently of
// proctrace), and each bar's label must contain its command with its leading
// arguments intact. The HTML report must load without console errors or
// network requests and answer hover and search. Screenshots go to --out.
// Exits 77 (ctest: skipped) when Chromium or the npm packages are missing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const args = Object.fromEntries(
  process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith("--") ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const proctrace = args.proctrace;
const fixtures = args.fixtures || path.join(here, "..", "fixtures");
const outDir = args.out || path.join(here, "..", "..", "build", "browser");
const chromiumPath = process.env.PROCTRACE_CHROMIUM || "/usr/bin/chromium";

function skip(why) {
  console.log("SKIP: " + why);
  process.exit(77);
}
if (!proctrace || !fs.existsSync(proctrace)) {
  console.error("usage: render_test.mjs --proctrace BIN [--fixtures DIR] [--out DIR]");
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

// ---- what the recording says, computed without proctrace -----------------
// Replays the events in time order: a Fork starts a new process (a reused pid
// is a new process), every successful exec is one bar, and a process that
// never exec'd is drawn as one bar too.
function expectedBars(jsonl) {
  const events = [];
  jsonl.split("\n").forEach((line, n) => {
    if (!line.trim()) return;
    const obj = JSON.parse(line);
    const [kind] = Object.keys(obj);
    // Snapshot lines describe live processes, not lifecycle events.
    if (kind === "Meta" || kind === "Stats" || kind === "Snapshot") return;
    events.push({ kind, n, ...obj[kind] });
  });
  events.sort((a, b) => a.timestamp - b.timestamp || a.n - b.n);
  const live = new Map();
  const all = [];
  const get = (pid) => {
    if (!live.has(pid)) { const p = { pid, execs: [] }; live.set(pid, p); all.push(p); }
    return live.get(pid);
  };
  const argvOf = (e) => {
    const a = e.cmdline ?? e.args;
    if (Array.isArray(a)) return a;
    return typeof a === "string" ? a.split(" ").filter(Boolean) : [];
  };
  for (const e of events) {
    if (e.kind === "Fork") {
      get(e.parent_pid);
      const p = { pid: e.child_pid, execs: [] };
      live.set(e.child_pid, p);
      all.push(p);
    } else if (e.kind === "Exec" || e.kind === "ExecFull") {
      // The original proctrace's later files: ExecArgs written just before
      // the Exec of the same attempt wait for it.
      const p = get(e.pid);
      let argv = argvOf(e);
      if (!argv.length && p.pending) argv = p.pending;
      p.pending = null;
      p.execs.push(argv);
      p.execAt = e.timestamp;
    } else if (e.kind === "ExecArgs") {
      // Of several ExecArgs of one exec, the longest argv wins (a tie: the later).
      const p = get(e.pid);
      const argv = argvOf(e);
      const longer = (a, b) => (!a || b.join(" ").length >= a.join(" ").length ? b : a);
      if (p.execs.length && e.timestamp === p.execAt) p.execs[p.execs.length - 1] = longer(p.execs[p.execs.length - 1], argv);
      else p.pending = longer(p.pending, argv);
    } else if (e.kind === "BadExec") {
      get(e.pid).pending = null;  // the attempt failed: its arguments ran nothing
    } else if (e.kind === "Exit") {
      get(e.pid);
      live.delete(e.pid);
    } else {
      get(e.pid);
    }
  }
  const bars = [];
  for (const p of all) {
    if (p.execs.length) for (const argv of p.execs) bars.push({ pid: p.pid, argv });
    else bars.push({ pid: p.pid, argv: null });
  }
  return { bars, processes: all.length };
}

// Arguments that a label shows verbatim: printable, short, no quote or
// backslash (those are shell-quoted), no store hash (elided on purpose).
const verbatim = (a) => a.length > 0 && a.length <= 40 && !/['\\\x00-\x1f\x7f]/.test(a) && !/[0-9a-z]{32}-/.test(a);
const basename = (s) => s.replace(/\/+$/, "").split("/").pop();

// ---- Mermaid ---------------------------------------------------------------
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const recordings = [];
  for (const dir of ["recordings", "render"]) {
    const d = path.join(fixtures, dir);
    if (!fs.existsSync(d)) continue;
    for (const f of fs.readdirSync(d).sort()) if (f.endsWith(".jsonl")) recordings.push(path.join(d, f));
  }
  check(recordings.length > 0, "fixture recordings found in " + fixtures);
  const hasSpecial = recordings.some((r) => /"[^"]*: # ; \\" < > é/.test(fs.readFileSync(r, "utf8")));
  check(hasSpecial, "a fixture recording has an argv with : # ; \" < > é");

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(String(e)));
  await page.setContent('<!DOCTYPE html><html><body><div id="out"></div></body></html>');
  await page.addScriptTag({ path: mermaidJs });
  await page.evaluate(() => window.mermaid.initialize({ startOnLoad: false }));

  let chartNo = 0;
  for (const rec of recordings) {
    const name = path.basename(path.dirname(rec)) + "/" + path.basename(rec, ".jsonl");
    const chart = execFileSync(proctrace, ["render", "-d", "mermaid", rec], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
    const expected = expectedBars(fs.readFileSync(rec, "utf8"));
    const result = await page.evaluate(async ({ chart, id }) => {
      try {
        await window.mermaid.parse(chart);
        const { svg } = await window.mermaid.render(id, chart);
        const out = document.getElementById("out");
        out.innerHTML = svg;
        const bars = out.querySelectorAll("rect.task").length;
        const labels = [...out.querySelectorAll("text")]
          .filter((t) => /\btaskText/.test(t.getAttribute("class") || ""))
          .map((t) => t.textContent.trim());
        return { bars, labels };
      } catch (e) {
        return { error: String(e && e.message || e) };
      }
    }, { chart, id: "chart" + chartNo++ });
    if (!check(!result.error, `${name}: Mermaid parses and renders the chart`, result.error)) continue;
    check(result.bars === expected.bars.length, `${name}: one bar per exec segment`,
          `${result.bars} bars drawn, ${expected.bars.length} expected`);
    check(result.labels.length === result.bars, `${name}: every bar has a label`);
    // Match each expected bar to a distinct label that names its command and
    // shows its leading arguments intact.
    const pool = [...result.labels];
    for (const bar of expected.bars) {
      let want;
      if (!bar.argv) want = (l) => l.includes("[no exec]") || /^pid \d+/.test(l);
      else if (!bar.argv.length) want = () => true;
      else {
        const parts = [basename(bar.argv[0])];
        let width = parts[0].length;
        for (const a of bar.argv.slice(1)) {
          width += a.length + 3;
          if (width > 60 || !verbatim(a)) break;
          parts.push(a);
        }
        want = (l) => l.startsWith(parts[0]) && parts.every((p) => l.includes(p));
      }
      const at = pool.findIndex(want);
      const what = bar.argv ? JSON.stringify(bar.argv).slice(0, 120) : `pid ${bar.pid} (no exec)`;
      if (check(at >= 0, `${name}: a label shows ${what}`, "labels: " + JSON.stringify(pool))) pool.splice(at, 1);
    }
    if (name === "recordings/make" || name === "recordings/special_argv") {
      const svg = await page.$("#out svg");
      await svg.screenshot({ path: path.join(outDir, "mermaid-" + path.basename(rec, ".jsonl") + ".png") });
    }
  }
  // The labels of the special argv, character for character.
  const special = recordings.find((r) => r.endsWith("recordings/special_argv.jsonl"));
  if (special) {
    const chart = execFileSync(proctrace, ["render", "-d", "mermaid", special], { encoding: "utf8" });
    const labels = await page.evaluate(async (chart) => {
      const { svg } = await window.mermaid.render("special", chart);
      const out = document.getElementById("out");
      out.innerHTML = svg;
      return [...out.querySelectorAll("text")].map((t) => t.textContent);
    }, chart);
    check(labels.some((l) => l.includes(`': # ; " < > é'`)), "special_argv: ': # ; \" < > é' survives intact", JSON.stringify(labels));
    check(labels.some((l) => l.includes("'https://example.com/a:b#c'")), "special_argv: the URL survives intact", JSON.stringify(labels));
  }
  // --critical-path: Mermaid draws exactly the bars of the processes that
  // `proctrace critical-path` names as crit (its critText class on the label),
  // and without the option a build that did not fail has none.
  {
    const rec = path.join(fixtures, "build", "small-build.jsonl");
    const crit = JSON.parse(execFileSync(proctrace, ["critical-path", "--json", rec], { encoding: "utf8" }));
    const want = [...new Set(crit.steps.filter((s) => s.pid !== null && s.own_ns > 0).map((s) => s.command))].sort();
    const critLabels = async (chart, id) => page.evaluate(async ({ chart, id }) => {
      const { svg } = await window.mermaid.render(id, chart);
      const out = document.getElementById("out");
      out.innerHTML = svg;
      return {
        labels: [...out.querySelectorAll("text")].filter((t) => /\bcritText/.test(t.getAttribute("class") || ""))
          .map((t) => t.textContent.trim()),
        rects: [...out.querySelectorAll("rect.task")].filter((r) => /\bcrit/.test(r.getAttribute("class") || "")).length,
      };
    }, { chart, id });
    const marked = await critLabels(execFileSync(proctrace, ["render", "-d", "mermaid", "--critical-path", rec], { encoding: "utf8" }), "critical");
    await (await page.$("#out svg")).screenshot({ path: path.join(outDir, "mermaid-critical-path.png") });
    check(want.length >= 3, "small-build: the critical path has several processes", JSON.stringify(want));
    check(JSON.stringify([...marked.labels].sort()) === JSON.stringify(want),
          "mermaid --critical-path: the crit bars are the critical path's processes",
          `crit ${JSON.stringify(marked.labels)}, path ${JSON.stringify(want)}`);
    check(marked.rects === want.length, "mermaid --critical-path: one crit bar per process on the path", String(marked.rects));
    const plain = await critLabels(execFileSync(proctrace, ["render", "-d", "mermaid", rec], { encoding: "utf8" }), "plain");
    check(plain.rects === 0 && plain.labels.length === 0, "mermaid without --critical-path: no crit bar in a passing build",
          JSON.stringify(plain));
  }
  check(pageErrors.length === 0, "no page errors while rendering charts", pageErrors.join("\n"));
  await page.close();

  // ---- HTML report ---------------------------------------------------------
  for (const want of ["make", "killed", "special_argv", "resources", "inherited_fds"]) {
    const rec = recordings.find((r) => r.endsWith(`recordings/${want}.jsonl`));
    if (!rec) continue;
    const html = path.join(outDir, `report-${want}.html`);
    execFileSync(proctrace, ["render", "-d", "html", rec, "-o", html]);
    const expected = expectedBars(fs.readFileSync(rec, "utf8"));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [], requests = [];
    page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") errors.push(m.type() + ": " + m.text()); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => requests.push(r.url()));
    const url = "file://" + html;
    await page.goto(url);
    await page.waitForFunction(() => window.proctraceReport !== undefined, null, { timeout: 30000 });
    const info = await page.evaluate(() => ({
      rows: window.proctraceReport.rows().length,
      processes: window.proctraceReport.processes.length,
      slowest: document.querySelectorAll("#slowest tbody tr").length,
      title: document.getElementById("title").textContent,
    }));
    check(info.processes === expected.processes, `report ${want}: one process per forked or exec'd pid`,
          `${info.processes} vs ${expected.processes}`);
    check(info.rows === info.processes, `report ${want}: every process has a timeline row`);
    check(info.slowest === Math.min(50, info.processes), `report ${want}: slowest-processes table filled`);
    if (want === "resources") {
      // CPU and peak memory columns appear when measured; clicking "peak
      // memory" sorts by it: sort held the 40 MB line.
      const columns = await page.evaluate(() =>
        [...document.querySelectorAll("#slowest thead th")].filter((th) => !th.hidden).map((th) => th.textContent));
      check(JSON.stringify(columns) === JSON.stringify(["duration", "cpu", "peak memory", "failed execs", "pid", "status", "command"]),
            "report resources: cpu, peak memory and failed execs columns shown", JSON.stringify(columns));
      await page.click("#slowest thead th[data-sort=peak]");
      const top = await page.evaluate(() => {
        const cells = document.querySelector("#slowest tbody tr").cells;
        return { peak: cells[2].textContent, command: cells[6].textContent, title: document.getElementById("slowest-title").textContent };
      });
      check(top.command === "sort" && /^4\d MiB$/.test(top.peak) && top.title === "Processes by peak memory",
            "report resources: sorted by peak memory, sort first", JSON.stringify(top));
    } else if (want === "make") {
      const hidden = await page.evaluate(() =>
        [...document.querySelectorAll("#slowest thead th")].filter((th) => th.hidden).map((th) => th.textContent));
      check(hidden.includes("cpu") && hidden.includes("peak memory"),
            "report make: a recording without usage has no cpu or peak memory column", JSON.stringify(hidden));
      check(await page.evaluate(() => document.getElementById("fds-toggle").hidden),
            "report make: no inherited-fds toggle without fd tables");
    } else if (want === "inherited_fds") {
      // The pipe from sleep to cat, read from the recording itself: sleep's
      // fd 1 and cat's fd 0 name it. With the toggle on, searching it finds
      // exactly those two; off, fds are not searched.
      const execs = fs.readFileSync(rec, "utf8").split("\n").filter((l) => l.includes('"Exec"')).map((l) => JSON.parse(l).Exec);
      const sleep = execs.find((e) => e.cmdline[0] === "sleep"), cat = execs.find((e) => e.cmdline[0] === "cat");
      const pipe = sleep.fds.find((f) => f.fd === 1).target;
      check(/^pipe:\[\d+\]$/.test(pipe) && cat.fds.find((f) => f.fd === 0).target === pipe,
            "report inherited_fds: the recording names one pipe from sleep to cat", pipe);
      const search = async (q) => {
        await page.fill("#search", q);
        await page.press("#search", "Enter");
        return page.evaluate(() => document.getElementById("matches").textContent);
      };
      check(await page.evaluate(() => !document.getElementById("fds-toggle").hidden), "report inherited_fds: the toggle is offered");
      const off = await search(pipe);
      check(/^0 matches/.test(off), "report inherited_fds: fds are not searched while the toggle is off", off);
      await page.check("#show-fds");
      const on = await search(pipe);
      check(/^2 matches/.test(on), "report inherited_fds: with the toggle on, the pipe finds its two holders", on);
      const catBar = await page.evaluate((pid) => {
        const p = window.proctraceReport.processes.find((q) => q.pid === pid);
        return p.bars[p.bars.length - 1][4] || "";
      }, cat.pid);
      check(catBar.startsWith("0 r " + pipe + " · 1 w /dev/null · 2 w /dev/null · 3 r ") && catBar.endsWith("/input"),
            "report inherited_fds: cat's bar lists its fds with access and target", catBar);
      await page.fill("#search", "");
      await page.waitForFunction(() => document.getElementById("matches").textContent === "", null, { timeout: 5000 });
    }
    // Hover the first row's bar: the tooltip names the pid and the command.
    const box = await page.locator("#canvas").boundingBox();
    const firstBar = await page.evaluate(() => {
      const p = window.proctraceReport.processes[window.proctraceReport.rows()[0]];
      return { pid: p.pid, t: (p.bars[0][0] + p.bars[0][1]) / 2 };
    });
    const x = await page.evaluate((t) => {
      const c = document.getElementById("canvas");
      const [v0, v1] = window.proctraceReport.view();
      const labelW = Math.min(420, Math.max(180, Math.round(c.clientWidth * 0.32)));
      return labelW + (t - v0) / (v1 - v0) * (c.clientWidth - labelW - 8);
    }, firstBar.t);
    await page.mouse.move(box.x + x, box.y + 26 + 9);
    const tip = await page.evaluate(() => { const t = document.getElementById("tooltip"); return t.hidden ? "" : t.textContent; });
    check(tip.includes("pid " + firstBar.pid), `report ${want}: hovering a bar shows its pid and command`, tip);
    if (want === "inherited_fds")
      check(tip.includes("inherited fds: 0 r /dev/null · 1 w pipe:["), "report inherited_fds: the tooltip lists the bar's inherited fds", tip);
    // Search: a pid finds exactly that process.
    await page.fill("#search", String(firstBar.pid));
    await page.waitForFunction(() => document.getElementById("matches").textContent !== "", null, { timeout: 5000 });
    const matches = await page.evaluate(() => document.getElementById("matches").textContent);
    check(/^[1-9]/.test(matches), `report ${want}: searching the root's pid finds it`, matches);
    await page.fill("#search", "");
    await page.waitForFunction(() => document.getElementById("matches").textContent === "", null, { timeout: 5000 });
    await page.mouse.move(box.x + x, box.y + 26 + 9);
    await page.screenshot({ path: path.join(outDir, `report-${want}.png`), fullPage: true });
    check(errors.length === 0, `report ${want}: no console errors`, errors.join("\n"));
    const foreign = requests.filter((r) => r !== url);
    check(foreign.length === 0, `report ${want}: no network requests`, foreign.join("\n"));
    await page.close();
  }

  // ---- HTML report: build analyses ------------------------------------------
  // A make -j2 build: the concurrency graph must peak where `proctrace stats`
  // says, and every process on `proctrace critical-path` must be underlined in
  // the critical-path colour where the path runs through it, and no other.
  {
    const rec = path.join(fixtures, "build", "small-build.jsonl");
    const html = path.join(outDir, "report-small-build.html");
    execFileSync(proctrace, ["render", "-d", "html", rec, "-o", html]);
    const stats = JSON.parse(execFileSync(proctrace, ["stats", "--json", rec], { encoding: "utf8" }));
    const crit = JSON.parse(execFileSync(proctrace, ["critical-path", "--json", rec], { encoding: "utf8" }));
    const critPids = new Set(crit.steps.filter((s) => s.pid !== null && s.own_ns > 0).map((s) => s.pid));
    check(critPids.size >= 3, "small-build: the critical path has several processes", JSON.stringify(crit));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.goto("file://" + html);
    await page.waitForFunction(() => window.proctraceReport !== undefined, null, { timeout: 30000 });
    const graph = await page.evaluate(() => {
      const svg = document.getElementById("concurrency-graph");
      if (!svg || svg.hidden) return null;
      const area = svg.querySelector("path.area");
      // The highest point the area reaches, against the peak's grid line.
      const ys = [...area.getAttribute("d").matchAll(/L[-\d.]+ ([-\d.]+)/g)].map((m) => Number(m[1]));
      const peakLabel = document.getElementById("concurrency-peak");
      return { peak: svg.dataset.peak, label: peakLabel.textContent, top: Math.min(...ys),
               peakY: Number(peakLabel.getAttribute("y")) - 4, width: svg.getBoundingClientRect().width };
    });
    if (check(graph !== null, "small-build: the report has a concurrency graph")) {
      const want = String(stats.concurrency.peak);
      check(graph.peak === want && graph.label === want, "small-build: the graph's maximum is the peak parallelism",
            `graph ${graph.peak} / label ${graph.label}, stats ${want}`);
      check(Math.abs(graph.top - graph.peakY) < 0.01, "small-build: the area reaches the peak line",
            `top ${graph.top}, peak line ${graph.peakY}`);
      check(graph.width > 300, "small-build: the graph spans the page", String(graph.width));
    }
    // Pixel colours under each process's row: the underline band sits in the
    // bottom CRIT_H pixels of the row, at the middle of each path stretch.
    const marks = await page.evaluate(() => {
      const R = window.proctraceReport, g = R.geometry;
      const canvas = document.getElementById("canvas"), ctx = canvas.getContext("2d");
      const dpr = canvas.width / canvas.clientWidth;
      const pixel = (x, y) => [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data].slice(0, 3);
      const crit = [parseInt(g.CRIT_COLOR.slice(1, 3), 16), parseInt(g.CRIT_COLOR.slice(3, 5), 16), parseInt(g.CRIT_COLOR.slice(5, 7), 16)];
      const same = (a, b) => a.every((v, k) => Math.abs(v - b[k]) <= 2);
      return R.processes.map((p) => {
        const y = R.rowTop(p.i) + g.ROW_H - 1.5;
        // Sample each stretch on the path, or the middle of the process's life.
        const at = p.crit ? p.crit.map(([a, b]) => (a + b) / 2) : [(p.start + p.end) / 2];
        return { pid: p.pid, flagged: !!p.crit, underlined: at.map((t) => same(pixel(R.xOf(t), y), crit)) };
      });
    });
    for (const m of marks) {
      const want = critPids.has(m.pid);
      check(m.flagged === want, `small-build: pid ${m.pid} is ${want ? "" : "not "}on the critical path in the report`);
      check(m.underlined.every((u) => u === want), `small-build: pid ${m.pid} is ${want ? "" : "not "}underlined`,
            JSON.stringify(m.underlined));
    }
    const table = await page.evaluate(() => document.querySelectorAll("#critical tbody tr").length);
    check(table === critPids.size, "small-build: the critical-path table lists each process on the path", `${table} rows`);
    await page.screenshot({ path: path.join(outDir, "report-small-build.png"), fullPage: true });
    check(errors.length === 0, "small-build report: no console errors", errors.join("\n"));
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`screenshots in ${outDir}`);
console.log(`browser: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
