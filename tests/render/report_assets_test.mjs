// Checks the HTML report's script, style and markup as the files they are
// (src/render/report/), without a browser: the script compiles, every element
// it looks up exists exactly once in the markup, and nothing in the three
// files reaches the network (the report is attached to CI failures and opened
// anywhere, offline). The browser test (tests/browser) runs it for real.
//
//   node report_assets_test.mjs DIR
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: report_assets_test.mjs src/render/report");
  process.exit(2);
}
const read = (name) => fs.readFileSync(path.join(dir, name), "utf8");
const script = read("report.js");
const style = read("report.css");
const body = read("report_body.html");
let failures = 0;

function check(name, fn) {
  try {
    fn();
    console.log("ok   " + name);
  } catch (e) {
    failures++;
    console.log("FAIL " + name + "\n" + e.message);
  }
}

check("report.js compiles as a strict-mode script", () => {
  assert.ok(script.startsWith('"use strict";'), "report.js must open with \"use strict\";");
  new vm.Script(script, { filename: "report.js" });  // throws a SyntaxError with line:column
});

// html.cpp writes the data block; everything else comes from report_body.html.
const writtenByHtmlCpp = new Set(["proctrace-data"]);
check("every id the script looks up is in the markup exactly once", () => {
  const wanted = new Set();
  for (const m of script.matchAll(/(?:\$|getElementById)\("([^"]+)"\)/g)) wanted.add(m[1]);
  assert.ok(wanted.size >= 10, `found only ${wanted.size} id lookups: did the script's $() helper change?`);
  for (const id of wanted) {
    if (writtenByHtmlCpp.has(id)) continue;
    const count = [...body.matchAll(new RegExp(`\\bid="${id}"`, "g"))].length;
    assert.equal(count, 1, `id "${id}" appears ${count} times in report_body.html`);
  }
});

check("nothing reaches the network", () => {
  const network = /\bfetch\s*\(|XMLHttpRequest|WebSocket|EventSource|sendBeacon|\bimport\s*\(|https?:\/\/|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i;
  for (const [name, text] of [["report.js", script], ["report.css", style], ["report_body.html", body]]) {
    // The SVG namespace is a name createElementNS needs, never fetched.
    const lines = text.replaceAll('"http://www.w3.org/2000/svg"', '"svg-namespace"').split("\n");
    lines.forEach((line, i) => assert.ok(!network.test(line), `${name}:${i + 1}: ${line.trim()}`));
  }
  assert.ok(!/<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=/i.test(body), "report_body.html loads a resource");
  assert.ok(!/url\(|@import/i.test(style), "report.css loads a resource");
});

check("report.css has balanced braces", () => {
  let depth = 0;
  style.split("\n").forEach((line, i) => {
    for (const c of line) {
      depth += c === "{" ? 1 : c === "}" ? -1 : 0;
      assert.ok(depth >= 0, `report.css:${i + 1}: '}' without '{'`);
    }
  });
  assert.equal(depth, 0, "report.css: '{' without '}' at the end");
});

process.exit(failures ? 1 : 0);
