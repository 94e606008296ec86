"use strict";
(function () {
  const D = JSON.parse(document.getElementById("proctrace-data").textContent);
  const OUTCOME = [
    { name: "success", color: "#2da44e" },
    { name: "failed", color: "#d1242f" },
    { name: "killed by signal", color: "#e16f24" },
    { name: "exited, status unknown", color: "#8c959f" },
    { name: "running", color: "#0969da" },
    { name: "no exit seen", color: "#a475f9" },
  ];
  const ROW_H = 18, AXIS_H = 26, BAR_H = 12;
  // The critical path's stretches are underlined in this colour.
  const CRIT_COLOR = "#bf3989", CRIT_H = 3;
  // Processes `proctrace why` blames get a strip of this colour at the row's left.
  const CULPRIT_COLOR = "#cf222e", CULPRIT_W = 4;

  // ---- model --------------------------------------------------------------
  const n = D.processes.length;
  const P = new Array(n);
  const children = new Array(n);
  const roots = [];
  for (let i = 0; i < n; i++) {
    const [pid, parent, start, end, outcome, status, firstBar, barCount, cpu, peak, failedExecs] = D.processes[i];
    // cpu (ns) and peak (KiB) are -1 where the recorder did not measure them.
    P[i] = { i, pid, parent, start, end: end < 0 ? D.duration : end, ended: end >= 0, outcome, status,
             bars: D.bars.slice(firstBar, firstBar + barCount), depth: 0, cpu, peak, failedExecs };
    children[i] = null;
  }
  for (let i = 0; i < n; i++) {
    const p = P[i];
    if (p.parent < 0) { roots.push(i); continue; }
    (children[p.parent] || (children[p.parent] = [])).push(i);
  }
  // The critical path (computed by proctrace): each process's stretches on it.
  for (const [i, from, to] of D.critical || []) if (P[i]) (P[i].crit || (P[i].crit = [])).push([from, to]);
  // What `proctrace why` blames each culprit for (the recording's snapshot).
  const culprits = [];
  for (const [i, role] of (D.why && D.why.culprits) || []) if (P[i]) { P[i].culprit = role; culprits.push(i); }
  const critTime = (p) => p.crit ? p.crit.reduce((s, c) => s + c[1] - c[0], 0) : 0;
  // Depths without recursion: parents always come before their children.
  for (let i = 0; i < n; i++) if (P[i].parent >= 0) P[i].depth = P[P[i].parent].depth + 1;
  const commandOf = (p) => {
    for (let k = p.bars.length - 1; k >= 0; k--) if (p.bars[k][3]) return p.bars[k][3];
    return "";
  };
  // The label column names the program by its basename, as the tree view does.
  const shortCommand = (c) => {
    const space = c.indexOf(" "), first = space < 0 ? c : c.slice(0, space);
    const slash = first.lastIndexOf("/");
    return first[0] !== "'" && slash >= 0 && slash < first.length - 1 ? c.slice(slash + 1) : c;
  };
  const labelOf = (p) => {
    const c = shortCommand(commandOf(p));
    const noExec = p.bars.length && p.bars[p.bars.length - 1][2] & 1;
    return p.pid + "  " + (noExec ? "(no exec) " : "") + c;
  };
  let searchText = null;  // built on first search
  // Bars carry the fds their exec inherited (b[4]) where the recorder took
  // them; the toggle shows them on the bars and makes them searchable.
  let showFds = false;
  const fdsOf = (b) => b[4] || "";

  // ---- state --------------------------------------------------------------
  const collapsed = new Uint8Array(n);
  let filter = null;      // Uint8Array of visible processes, or null
  let matches = null;     // Uint8Array of search matches, or null
  let rows = [];
  let selected = -1, hovered = -1;
  const span0 = Math.max(D.duration, 1000);
  let view0 = -span0 * 0.01, view1 = span0 * 1.01;

  function buildRows() {
    const out = [];
    const stack = [];
    for (let r = roots.length - 1; r >= 0; r--) stack.push(roots[r]);
    while (stack.length) {
      const i = stack.pop();
      if (filter && !filter[i]) continue;
      out.push(i);
      const c = children[i];
      if (c && !collapsed[i]) for (let k = c.length - 1; k >= 0; k--) stack.push(c[k]);
    }
    rows = out;
    rowOf = null;
    spacer.style.height = Math.max(0, AXIS_H + rows.length * ROW_H + 4 - canvas.clientHeight) + "px";
  }
  let rowOf = null;
  function rowIndex(i) {
    if (!rowOf) { rowOf = new Int32Array(n).fill(-1); rows.forEach((p, r) => { rowOf[p] = r; }); }
    return rowOf[i];
  }

  // ---- formatting ---------------------------------------------------------
  function fmtDuration(ns) {
    if (ns >= 60e9) {
      const s = Math.round(ns / 1e9), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
      return (h ? h + " h " : "") + m + " min " + r + " s";
    }
    if (ns >= 1e9) return (ns / 1e9).toFixed(2) + " s";
    if (ns >= 1e6) return (ns / 1e6).toFixed(1) + " ms";
    if (ns >= 1e3) return (ns / 1e3).toFixed(0) + " µs";
    return ns + " ns";
  }
  // Memory as the tree view writes it: KiB, MiB, GiB (binary units).
  function fmtKib(kib) {
    if (kib >= 1048576) return (kib / 1048576).toFixed(1) + " GiB";
    if (kib >= 1024) return Math.round(kib / 1024) + " MiB";
    return kib + " KiB";
  }
  function fmtTick(t, step) {
    if (step >= 1e9) {
      const s = Math.round(t / 1e9);
      if (span0 >= 60e9) {
        const h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = String(s % 60).padStart(2, "0");
        return h ? h + ":" + String(m).padStart(2, "0") + ":" + r : m + ":" + r;
      }
      return s + " s";
    }
    const unit = step >= 1e6 ? [1e6, "ms"] : step >= 1e3 ? [1e3, "µs"] : [1, "ns"];
    const digits = Math.max(0, Math.ceil(-Math.log10(step / unit[0]) - 1e-9));
    return (t / unit[0]).toFixed(digits) + " " + unit[1];
  }
  function fmtWall(ns) {
    if (D.wall_start_ms === null) return "";
    const d = new Date(D.wall_start_ms + ns / 1e6);
    return d.toLocaleString(undefined, { hour12: false }) + "." + String(d.getMilliseconds()).padStart(3, "0");
  }

  // ---- page chrome --------------------------------------------------------
  const $ = (id) => document.getElementById(id);
  const el = (tag, props, ...kids) => {
    const e = document.createElement(tag);
    if (props) Object.assign(e, props);
    for (const k of kids) e.append(k);
    return e;
  };
  const timeline = $("timeline"), canvas = $("canvas"), spacer = $("spacer"), tooltip = $("tooltip");
  const ctx = canvas.getContext("2d");
  $("title").textContent = D.command || D.title;
  {
    let failed = 0;
    for (const p of P) if (p.outcome === 1 || p.outcome === 2) failed++;
    const s = $("summary");
    s.append(el("b", { textContent: n.toLocaleString() }), " processes · ",
             el("b", { textContent: failed.toLocaleString() }), " failed · ",
             el("b", { textContent: fmtDuration(D.duration) }));
    if (D.root_status !== null) s.append(" · exit status ", el("b", { textContent: String(D.root_status) }));
    if (D.wall_start_ms !== null) s.append(" · started " + fmtWall(0));
    if (D.host) s.append(" · on " + D.host);
    if (D.backend) s.append(" · " + D.backend);
    if (D.lost) s.append(" · ", el("span", { className: "warn", textContent: D.lost + " events lost: the tree may be incomplete" }));
    const marks = [{ name: "critical path (underlined)", color: CRIT_COLOR }];
    if (culprits.length) marks.push({ name: "why: culprit (left strip)", color: CULPRIT_COLOR });
    for (const o of [...OUTCOME, ...marks]) {
      const sw = el("span", { textContent: o.name });
      sw.style.setProperty("--c", o.color);
      $("legend").append(sw);
    }
  }

  // ---- drawing ------------------------------------------------------------
  let labelW = 360, dpr = 1, drawPending = false;
  function layout() {
    dpr = window.devicePixelRatio || 1;
    // Small recordings get a short timeline; large ones most of the window.
    timeline.style.height = Math.max(160, Math.min(window.innerHeight * 0.7, AXIS_H + n * ROW_H + 6)) + "px";
    const w = timeline.clientWidth, h = timeline.clientHeight;
    canvas.style.height = h + "px";
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    labelW = Math.min(420, Math.max(180, Math.round(w * 0.32)));
    buildRows();
    draw();
    drawConcurrency();
  }
  function requestDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => { drawPending = false; draw(); });
  }
  const tx = (t) => labelW + (t - view0) / (view1 - view0) * (canvas.width / dpr - labelW - 8);
  const tAt = (x) => view0 + (x - labelW) / (canvas.width / dpr - labelW - 8) * (view1 - view0);
  function niceStep(span, px) {
    const target = span / Math.max(1, px / 110);
    const p = Math.pow(10, Math.floor(Math.log10(target)));
    for (const m of [1, 2, 5, 10]) if (m * p >= target) return m * p;
    return 10 * p;
  }
  function clipText(text, maxW) {
    if (ctx.measureText(text).width <= maxW) return text;
    let lo = 0, hi = text.length;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ctx.measureText(text.slice(0, mid) + "…").width <= maxW) lo = mid; else hi = mid - 1;
    }
    return lo ? text.slice(0, lo) + "…" : "";
  }
  function draw() {
    const W = canvas.width / dpr, H = canvas.height / dpr;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, W, H);
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const top = timeline.scrollTop;
    const first = Math.floor(top / ROW_H), offset = top - first * ROW_H;
    const step = niceStep(view1 - view0, W - labelW);
    // grid
    ctx.strokeStyle = "#eaeef2";
    ctx.beginPath();
    for (let t = Math.ceil(view0 / step) * step; t <= view1; t += step) {
      const x = Math.round(tx(t)) + 0.5;
      ctx.moveTo(x, AXIS_H); ctx.lineTo(x, H);
    }
    ctx.stroke();
    for (let r = first, y = AXIS_H - offset; r < rows.length && y < H; r++, y += ROW_H) drawRow(rows[r], r, y, W);
    // axis and label header on top of the rows
    ctx.fillStyle = "#f6f8fa";
    ctx.fillRect(0, 0, W, AXIS_H);
    ctx.strokeStyle = "#d0d7de";
    ctx.beginPath(); ctx.moveTo(0, AXIS_H - 0.5); ctx.lineTo(W, AXIS_H - 0.5);
    ctx.moveTo(labelW - 0.5, 0); ctx.lineTo(labelW - 0.5, H); ctx.stroke();
    ctx.fillStyle = "#656d76";
    ctx.textAlign = "left";
    ctx.fillText(rows.length.toLocaleString() + " of " + n.toLocaleString() + " processes", 8, AXIS_H / 2);
    ctx.save();
    ctx.beginPath(); ctx.rect(labelW, 0, W - labelW, AXIS_H); ctx.clip();
    for (let t = Math.ceil(view0 / step) * step; t <= view1; t += step) ctx.fillText(fmtTick(t, step), tx(t) + 4, AXIS_H / 2);
    ctx.restore();
  }
  function drawRow(i, r, y, W) {
    const p = P[i];
    if (i === selected) { ctx.fillStyle = "#dbeafe"; ctx.fillRect(0, y, W, ROW_H); }
    else if (matches && matches[i]) { ctx.fillStyle = "#fff3b0"; ctx.fillRect(0, y, W, ROW_H); }
    else if (i === hovered) { ctx.fillStyle = "#f3f4f6"; ctx.fillRect(0, y, W, ROW_H); }
    else if (r & 1) { ctx.fillStyle = "#fafbfc"; ctx.fillRect(0, y, W, ROW_H); }
    const mid = y + ROW_H / 2;
    if (p.culprit) { ctx.fillStyle = CULPRIT_COLOR; ctx.fillRect(0, y, CULPRIT_W, ROW_H); }
    // label column: indentation shows the parent, a triangle folds children
    const indent = 6 + Math.min(p.depth, 30) * 12;
    ctx.textAlign = "left";
    if (children[i]) {
      ctx.fillStyle = "#57606a";
      ctx.fillText(collapsed[i] ? "▸" : "▾", indent, mid);
    }
    ctx.fillStyle = OUTCOME[p.outcome].color;
    ctx.fillRect(indent + 12, mid - 4, 8, 8);
    ctx.fillStyle = "#1f2328";
    ctx.fillText(clipText(labelOf(p), labelW - indent - 30), indent + 24, mid);
    // timeline: a thin line for the whole life, a bar per exec
    ctx.save();
    ctx.beginPath(); ctx.rect(labelW, y, W - labelW, ROW_H); ctx.clip();
    const color = OUTCOME[p.outcome].color;
    ctx.fillStyle = color;
    ctx.globalAlpha = 0.35;
    const lx0 = tx(p.start), lx1 = Math.max(tx(p.end), lx0 + 1);
    ctx.fillRect(lx0, mid - 1, lx1 - lx0, 2);
    ctx.globalAlpha = 1;
    for (const b of p.bars) {
      const x0 = tx(b[0]), x1 = Math.max(tx(b[1]), x0 + 2);
      if (x1 < labelW || x0 > W) continue;
      ctx.globalAlpha = b[2] & 1 ? 0.45 : 1;
      ctx.fillStyle = color;
      ctx.fillRect(x0, mid - BAR_H / 2, x1 - x0, BAR_H);
      ctx.globalAlpha = 1;
      if (b[2] & 2) {  // still running: an open end
        ctx.fillStyle = "#ffffff";
        ctx.fillText("›", x1 - 7, mid);
      }
      const from = Math.max(x0, labelW) + 3, room = Math.min(x1, W) - from - 3;
      const text = showFds && fdsOf(b) ? "fds: " + fdsOf(b) : b[3];
      if (room > 30 && text) {
        ctx.fillStyle = b[2] & 1 ? "#1f2328" : "#ffffff";
        ctx.fillText(clipText(text, room), from, mid + 0.5);
      }
    }
    if (p.crit) {
      ctx.fillStyle = CRIT_COLOR;
      for (const [a, b] of p.crit) {
        const x0 = tx(a), x1 = Math.max(tx(b), x0 + 2);
        if (x1 >= labelW && x0 <= W) ctx.fillRect(x0, mid + BAR_H / 2, x1 - x0, CRIT_H);
      }
    }
    ctx.restore();
  }

  // ---- processes working over time ---------------------------------------
  // An area graph of D.concurrency.steps ([time, count], each count holding
  // until the next step), as cargo --timings draws it. Each pixel column
  // shows the most processes working in its time slice, so a brief peak
  // stays visible however long the recording.
  const SVG_NS = "http://www.w3.org/2000/svg";
  const svgEl = (tag, attrs, text) => {
    const e = document.createElementNS(SVG_NS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  };
  function drawConcurrency() {
    const C = D.concurrency, svg = $("concurrency-graph");
    if (!C || !C.steps.length) { svg.hidden = true; return; }
    const W = Math.max(240, Math.round(svg.clientWidth || 800)), H = 140;
    const left = 40, right = 10, top = 10, bottom = 22, plotW = W - left - right, plotH = H - top - bottom;
    const peak = Math.max(1, C.peak);
    const x = (t) => left + t / span0 * plotW;
    const y = (v) => top + (1 - v / peak) * plotH;
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.dataset.peak = String(C.peak);
    const kids = [];
    const tick = Math.max(1, Math.ceil(peak / 4));
    for (let v = 0; v <= peak; v += tick) {
      kids.push(svgEl("line", { class: "grid", x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      if (v !== peak) kids.push(svgEl("text", { x: left - 6, y: y(v) + 4, "text-anchor": "end" }, String(v)));
    }
    kids.push(svgEl("line", { class: "grid", x1: left, x2: W - right, y1: y(peak), y2: y(peak) }));
    kids.push(svgEl("text", { id: "concurrency-peak", x: left - 6, y: y(peak) + 4, "text-anchor": "end" }, String(C.peak)));
    const cols = new Int32Array(Math.ceil(plotW)).fill(-1);
    const S = C.steps;
    for (let k = 0; k < S.length; k++) {
      const to = k + 1 < S.length ? S[k + 1][0] : D.duration;
      const c0 = Math.max(0, Math.floor(x(S[k][0]) - left));
      const c1 = Math.min(cols.length - 1, Math.max(c0, Math.ceil(x(to) - left) - 1));
      for (let c = c0; c <= c1; c++) if (S[k][1] > cols[c]) cols[c] = S[k][1];
    }
    let d = "M" + left + " " + y(0);
    for (let c = 0; c < cols.length; c++) {
      const v = Math.max(0, cols[c]);
      d += "L" + (left + c) + " " + y(v) + "L" + (left + c + 1) + " " + y(v);
    }
    d += "L" + (left + cols.length) + " " + y(0) + "Z";
    kids.push(svgEl("path", { class: "area", d }));
    kids.push(svgEl("text", { x: left, y: H - 6 }, "0"));
    kids.push(svgEl("text", { x: W - right, y: H - 6, "text-anchor": "end" }, fmtDuration(D.duration)));
    svg.replaceChildren(...kids);
  }
  {
    const C = D.concurrency, s = $("concurrency-summary");
    if (C && C.steps.length) {
      s.append("On average ", el("b", { textContent: C.average.toFixed(2) }), " processes working, peak ",
               el("b", { textContent: String(C.peak) }), "; one at a time (serial) for ",
               el("b", { textContent: fmtDuration(C.serial) }),
               C.busy ? " (" + Math.round(C.serial * 100 / C.busy) + "% of the time)" : "",
               ". A process waiting for its children does not count.");
    } else {
      $("concurrency-title").hidden = true;
    }
  }

  // ---- interaction --------------------------------------------------------
  function hit(ev) {
    const rect = canvas.getBoundingClientRect();
    const x = ev.clientX - rect.left, y = ev.clientY - rect.top;
    if (y < AXIS_H) return { x, y, axis: true };
    const r = Math.floor((y - AXIS_H + timeline.scrollTop) / ROW_H);
    if (r < 0 || r >= rows.length) return { x, y };
    const i = rows[r], p = P[i];
    let bar = null;
    if (x >= labelW) {
      for (const b of p.bars) {
        const x0 = tx(b[0]), x1 = Math.max(tx(b[1]), x0 + 2);
        if (x >= x0 - 2 && x <= x1 + 2) bar = b;
      }
    }
    const toggle = x < labelW && children[i] && x < 6 + Math.min(p.depth, 30) * 12 + 12;
    return { x, y, row: r, i, bar, toggle };
  }
  function showTooltip(ev, h) {
    const p = P[h.i];
    const b = h.bar || p.bars[p.bars.length - 1];
    const status = el("span", { className: "status", textContent: p.status });
    status.style.color = OUTCOME[p.outcome].color;
    tooltip.replaceChildren(
      el("div", null, el("b", { textContent: "pid " + p.pid }), "  ", status,
         p.parent >= 0 ? el("span", { className: "k", textContent: "  ·  parent " + P[p.parent].pid }) : ""),
      el("div", { className: "cmd", textContent: b ? (b[3] || "(command unknown)") + (b[2] & 1 ? "   (no exec: parent's program)" : "") : "(command unknown)" }));
    const lines = [];
    if (b) lines.push(["this exec", "+" + fmtDuration(b[0]) + " for " + fmtDuration(b[1] - b[0]) + (b[2] & 2 ? " (still running)" : "")]);
    lines.push(["process", "+" + fmtDuration(p.start) + " for " + fmtDuration(p.end - p.start) + (p.ended ? "" : p.outcome === 4 ? " (still running)" : " (no exit seen)")]);
    if (D.wall_start_ms !== null) lines.push(["started", fmtWall(b ? b[0] : p.start)]);
    const execs = p.bars.filter((x) => !(x[2] & 1)).length;
    if (execs > 1) lines.push(["execs", String(execs)]);
    if (p.cpu >= 0) lines.push(["cpu", fmtDuration(p.cpu)]);
    if (p.peak >= 0) lines.push(["peak memory", fmtKib(p.peak)]);
    if (p.failedExecs) lines.push(["failed execs", String(p.failedExecs)]);
    if (b && fdsOf(b)) lines.push(["inherited fds", fdsOf(b)]);
    if (children[h.i]) lines.push(["children", String(children[h.i].length)]);
    if (p.culprit) lines.push(["why", p.culprit]);
    if (p.crit) lines.push(["critical path", fmtDuration(critTime(p)) + " of the end time waited on this process"]);
    for (const [k, v] of lines) tooltip.append(el("div", null, el("span", { className: "k", textContent: k + ": " }), v));
    tooltip.hidden = false;
    const tw = tooltip.offsetWidth, th = tooltip.offsetHeight;
    let left = ev.clientX + 14, top = ev.clientY + 14;
    if (left + tw > window.innerWidth - 4) left = Math.max(4, ev.clientX - tw - 14);
    if (top + th > window.innerHeight - 4) top = Math.max(4, ev.clientY - th - 14);
    tooltip.style.left = left + "px";
    tooltip.style.top = top + "px";
  }
  function zoomAt(t, factor) {
    let a = t - (t - view0) * factor, b = t + (view1 - t) * factor;
    if (b - a < 1000) { const c = (a + b) / 2; a = c - 500; b = c + 500; }
    const maxSpan = span0 * 1.5;
    if (b - a > maxSpan) { a = -span0 * 0.01; b = a + maxSpan; }
    view0 = a; view1 = b;
    requestDraw();
  }
  function pan(dt) { view0 += dt; view1 += dt; requestDraw(); }
  function fit() { view0 = -span0 * 0.01; view1 = span0 * 1.01; requestDraw(); }

  let drag = null;
  canvas.addEventListener("mousedown", (ev) => {
    const h = hit(ev);
    if (h.x >= labelW) { drag = { x: ev.clientX, moved: false }; canvas.classList.add("dragging"); }
  });
  window.addEventListener("mouseup", () => { if (drag) canvas.classList.remove("dragging"); setTimeout(() => { drag = null; }, 0); });
  window.addEventListener("mousemove", (ev) => {
    if (drag && ev.buttons & 1) {
      const dx = ev.clientX - drag.x;
      if (Math.abs(dx) > 2) drag.moved = true;
      drag.x = ev.clientX;
      pan(-dx / (canvas.width / dpr - labelW - 8) * (view1 - view0));
      tooltip.hidden = true;
    }
  });
  canvas.addEventListener("mousemove", (ev) => {
    if (drag && ev.buttons & 1) return;
    const h = hit(ev);
    const i = h.i === undefined ? -1 : h.i;
    if (i !== hovered) { hovered = i; requestDraw(); }
    if (i >= 0) showTooltip(ev, h); else tooltip.hidden = true;
  });
  canvas.addEventListener("mouseleave", () => { hovered = -1; tooltip.hidden = true; requestDraw(); });
  canvas.addEventListener("click", (ev) => {
    if (drag && drag.moved) return;
    const h = hit(ev);
    if (h.i === undefined) return;
    if (h.toggle) { collapsed[h.i] ^= 1; buildRows(); }
    selected = h.i;
    requestDraw();
  });
  canvas.addEventListener("dblclick", (ev) => {
    const h = hit(ev);
    if (!h.bar) return;
    const len = Math.max(h.bar[1] - h.bar[0], 1000);
    view0 = h.bar[0] - len * 0.1; view1 = h.bar[1] + len * 0.1;
    requestDraw();
  });
  timeline.addEventListener("wheel", (ev) => {
    if (ev.ctrlKey || ev.metaKey) {
      ev.preventDefault();
      const rect = canvas.getBoundingClientRect();
      zoomAt(tAt(Math.max(labelW, ev.clientX - rect.left)), Math.exp(ev.deltaY * 0.002));
    } else if (ev.shiftKey || Math.abs(ev.deltaX) > Math.abs(ev.deltaY)) {
      ev.preventDefault();
      const d = ev.shiftKey && !ev.deltaX ? ev.deltaY : ev.deltaX;
      pan(d / (canvas.width / dpr - labelW - 8) * (view1 - view0));
    }
  }, { passive: false });
  timeline.addEventListener("scroll", () => { tooltip.hidden = true; requestDraw(); });
  timeline.addEventListener("keydown", (ev) => {
    const mid = (view0 + view1) / 2;
    if (ev.key === "+" || ev.key === "=") zoomAt(mid, 0.5);
    else if (ev.key === "-") zoomAt(mid, 2);
    else if (ev.key === "0") fit();
    else if (ev.key === "ArrowLeft") pan(-(view1 - view0) * 0.2);
    else if (ev.key === "ArrowRight") pan((view1 - view0) * 0.2);
    else return;
    ev.preventDefault();
  });
  $("zoom-in").onclick = () => zoomAt((view0 + view1) / 2, 0.5);
  $("zoom-out").onclick = () => zoomAt((view0 + view1) / 2, 2);
  $("fit").onclick = fit;
  $("expand-all").onclick = () => { collapsed.fill(0); buildRows(); requestDraw(); };
  $("collapse-all").onclick = () => { for (let i = 0; i < n; i++) collapsed[i] = children[i] && P[i].parent >= 0 ? 1 : 0; buildRows(); requestDraw(); };

  // Brings process i into view: unfolds its ancestors, scrolls to its row and
  // widens the time range if needed.
  function reveal(i) {
    if (filter && !filter[i]) { filter = null; $("only-matches").checked = false; $("only-failures").checked = false; }
    for (let a = P[i].parent; a >= 0; a = P[a].parent) collapsed[a] = 0;
    buildRows();
    const r = rowIndex(i);
    timeline.scrollTop = Math.max(0, r * ROW_H - (timeline.clientHeight - AXIS_H) / 2);
    const p = P[i];
    if (p.start < view0 || p.end > view1) {
      const len = Math.max(p.end - p.start, (view1 - view0) * 0.5);
      view0 = p.start - len * 0.1; view1 = p.start + len * 1.1;
    }
    selected = i;
    requestDraw();
  }

  // ---- search and filters -------------------------------------------------
  function withAncestors(marks) {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (!marks[i]) continue;
      for (let a = i; a >= 0 && !out[a]; a = P[a].parent) out[a] = 1;
    }
    return out;
  }
  function applyFilters() {
    let f = null;
    if ($("only-failures").checked) {
      const m = new Uint8Array(n);
      for (let i = 0; i < n; i++) m[i] = P[i].outcome === 1 || P[i].outcome === 2 || P[i].outcome === 5 ? 1 : 0;
      f = withAncestors(m);
    }
    if ($("only-matches").checked && matches) {
      const m = withAncestors(matches);
      if (f) for (let i = 0; i < n; i++) f[i] &= m[i]; else f = m;
    }
    filter = f;
    buildRows();
    requestDraw();
  }
  let searchTimer = 0;
  function runSearch() {
    const q = $("search").value.trim().toLowerCase();
    if (!q) { matches = null; $("matches").textContent = ""; applyFilters(); return; }
    if (!searchText) searchText = P.map((p) => (p.bars.map((b) => showFds ? b[3] + "\n" + fdsOf(b) : b[3]).join("\n")).toLowerCase());
    const m = new Uint8Array(n);
    let count = 0;
    for (let i = 0; i < n; i++) {
      if (String(P[i].pid) === q || searchText[i].includes(q)) { m[i] = 1; count++; }
    }
    matches = m;
    $("matches").textContent = count.toLocaleString() + (count === 1 ? " match" : " matches");
    applyFilters();
  }
  $("search").addEventListener("input", () => { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 120); });
  $("search").addEventListener("keydown", (ev) => {
    if (ev.key !== "Enter") return;
    clearTimeout(searchTimer);
    runSearch();
    if (!matches) return;
    const from = selected >= 0 ? selected : -1;
    for (let k = 1; k <= n; k++) {
      const i = (from + k + n) % n;
      if (matches[i]) { reveal(i); break; }
    }
  });
  $("only-matches").onchange = applyFilters;
  $("only-failures").onchange = applyFilters;
  if (D.fds) {
    $("fds-toggle").hidden = false;
    $("show-fds").onchange = () => {
      showFds = $("show-fds").checked;
      searchText = null;
      if ($("search").value.trim()) runSearch(); else requestDraw();
    };
  }

  // ---- tables -------------------------------------------------------------
  function tableRow(tbody, i, cells) {
    const p = P[i];
    const tr = el("tr");
    for (const [cls, text] of cells) {
      const td = el("td", { className: cls, textContent: text });
      if (cls === "status") td.style.color = OUTCOME[p.outcome].color;
      tr.append(td);
    }
    tr.onclick = () => { reveal(i); timeline.scrollIntoView({ block: "nearest" }); };
    tbody.append(tr);
  }
  {
    const failed = [];
    for (let i = 0; i < n; i++) if (P[i].outcome === 1 || P[i].outcome === 2) failed.push(i);
    const tbody = $("failures").tBodies[0];
    const LIMIT = 200;
    for (const i of failed.slice(0, LIMIT)) {
      const p = P[i];
      tableRow(tbody, i, [["num", String(p.pid)], ["status", p.status], ["num", fmtDuration(p.end - p.start)], ["cmd", commandOf(p)]]);
    }
    if (failed.length > LIMIT) tbody.append(el("tr", null, el("td", { colSpan: 4, className: "more", textContent: "and " + (failed.length - LIMIT) + " more (tick “only failures” above)" })));
    $("failures-title").textContent = failed.length ? "Failures (" + failed.length.toLocaleString() + ")" : "Failures: none";
    if (!failed.length) $("failures").hidden = true;
  }
  {
    // The 50 largest by the column clicked (wall time at first). CPU and
    // peak memory show only when the recorder measured them.
    const measured = P.some((p) => p.cpu >= 0 || p.peak >= 0);
    const anyFailedExec = P.some((p) => p.failedExecs > 0);
    const COLUMNS = {
      duration: { title: "Slowest processes", of: (p) => p.end - p.start, text: (p) => fmtDuration(p.end - p.start), shown: true },
      cpu: { title: "Processes by CPU time", of: (p) => p.cpu, text: (p) => p.cpu < 0 ? "—" : fmtDuration(p.cpu), shown: measured },
      peak: { title: "Processes by peak memory", of: (p) => p.peak, text: (p) => p.peak < 0 ? "—" : fmtKib(p.peak), shown: measured },
      failedExecs: { title: "Processes by failed execs", of: (p) => p.failedExecs, text: (p) => String(p.failedExecs), shown: anyFailedExec },
    };
    const table = $("slowest");
    const shown = [];
    for (const th of table.tHead.rows[0].cells) {
      const key = th.dataset.sort;
      if (!key) continue;
      if (!COLUMNS[key].shown) { th.hidden = true; continue; }
      shown.push(key);
      if (measured || anyFailedExec) {
        th.className = "sortable";
        th.title = "Sort by " + th.textContent;
        th.onclick = () => fill(key);
      }
    }
    function fill(key) {
      const of = COLUMNS[key].of;
      const order = Array.from({ length: n }, (_, i) => i).filter((i) => key === "duration" || of(P[i]) > 0);
      order.sort((a, b) => of(P[b]) - of(P[a]) || a - b);
      const tbody = table.tBodies[0];
      tbody.replaceChildren();
      for (const i of order.slice(0, 50)) {
        const p = P[i];
        tableRow(tbody, i, [...shown.map((k) => ["num", COLUMNS[k].text(p)]), ["num", String(p.pid)], ["status", p.status], ["cmd", commandOf(p)]]);
      }
      $("slowest-title").textContent = COLUMNS[key].title;
      for (const th of table.tHead.rows[0].cells) th.classList.toggle("sorted", th.dataset.sort === key);
    }
    fill("duration");
  }

  {
    const onPath = [];
    for (let i = 0; i < n; i++) if (P[i].crit) onPath.push(i);
    onPath.sort((a, b) => critTime(P[b]) - critTime(P[a]));
    const total = onPath.reduce((s, i) => s + critTime(P[i]), 0);
    const tbody = $("critical").tBodies[0];
    for (const i of onPath.slice(0, 20)) {
      const p = P[i];
      tableRow(tbody, i, [["num", fmtDuration(critTime(p))], ["num", String(p.pid)], ["status", p.status], ["cmd", commandOf(p)]]);
    }
    if (onPath.length > 20) tbody.append(el("tr", null, el("td", { colSpan: 4, className: "more", textContent: "and " + (onPath.length - 20) + " more (underlined in the timeline)" })));
    if (onPath.length) $("critical-title").textContent = "Critical path: " + onPath.length.toLocaleString() + " processes, " + fmtDuration(total) + " (longest first; underlined in the timeline)";
    else { $("critical-title").hidden = true; $("critical").hidden = true; }
  }

  if (D.why) {
    // The answer first: why's headline, then its culprits (click: find in the timeline).
    $("why").hidden = false;
    $("why-title").textContent = "Why: " + D.why.verdict;
    $("why-headline").textContent = D.why.headline.join("\n");
    const tbody = $("culprits").tBodies[0];
    for (const i of culprits) {
      const p = P[i];
      tableRow(tbody, i, [["num", String(p.pid)], ["status", p.status], ["role", p.culprit], ["cmd", commandOf(p)]]);
    }
    if (!culprits.length) $("culprits").hidden = true;
  }

  window.addEventListener("resize", layout);
  layout();
  // For tests and the curious: the page's model.
  window.proctraceReport = {
    processes: P, rows: () => rows, reveal, view: () => [view0, view1],
    // Where process i's row and time t are drawn, in CSS pixels of the canvas.
    rowTop: (i) => { const r = rowIndex(i); return r < 0 ? -1 : AXIS_H + r * ROW_H - timeline.scrollTop; },
    xOf: tx, geometry: { ROW_H, BAR_H, CRIT_H, CRIT_COLOR, CULPRIT_W, CULPRIT_COLOR },
  };
})();
