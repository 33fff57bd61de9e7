// cchc review page: keyboard review of flagged figures. Plain JS, no build step.
// Every decision is sent to the server, which checks it exactly as `cchc review apply` does.
"use strict";

const figs = Array.from(document.querySelectorAll(".fig"));
const msg = document.getElementById("message");
const reviewerBox = document.getElementById("reviewer");
const filterBox = document.getElementById("filter");
const UNDO_KEY = "cchc-undo:" + location.pathname;
let current = -1;

reviewerBox.value = localStorage.getItem("cchc-reviewer") || "";
reviewerBox.addEventListener("change", () => localStorage.setItem("cchc-reviewer", reviewerBox.value.trim()));

function say(text, ok) {
  msg.textContent = text;
  msg.className = ok ? "ok" : "error";
}

function open(fig) { return !fig.classList.contains("done") && !fig.classList.contains("hidden"); }

function focusFig(i, keyboard = true) {
  if (current >= 0 && figs[current]) figs[current].classList.remove("current");
  current = i;
  if (i < 0 || !figs[i]) return;
  figs[i].classList.add("current");
  if (keyboard) figs[i].focus({ preventScroll: true });
  figs[i].scrollIntoView({ block: "nearest" });
}

function step(dir) {
  for (let i = current + dir; i >= 0 && i < figs.length; i += dir) {
    if (open(figs[i])) { focusFig(i); return; }
  }
}

function nextOpen() {
  for (let i = current + 1; i < figs.length; i++) if (open(figs[i])) return focusFig(i);
  for (let i = 0; i < figs.length; i++) if (open(figs[i])) return focusFig(i);
}

function cycle(fig, dir) {
  const items = Array.from(fig.querySelectorAll(".choices li[data-id]"));
  if (!items.length) return;
  let i = items.findIndex((li) => li.classList.contains("selected"));
  items.forEach((li) => li.classList.remove("selected"));
  i = (i + dir + items.length) % items.length;
  items[i].classList.add("selected");
}

function verdict(fig, notIndicator) {
  const value = fig.querySelector(".corrected").value.trim();
  const typed = fig.querySelector(".iid").value.trim();
  const item = { row_key: fig.dataset.key, corrected_value: value };
  if (notIndicator) return { ...item, decision: "not_indicator" };
  const selected = fig.querySelector(".choices li.selected");
  const chosen = typed || (selected ? selected.dataset.id : "");
  if (!chosen) return null;
  if (chosen === fig.dataset.proposed) return { ...item, decision: "accept", proposed_indicator: chosen };
  return { ...item, decision: "choose", indicator_id: chosen };
}

async function post(url, body) {
  const res = await fetch(url, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
  let data;
  try { data = await res.json(); } catch (e) { data = { ok: false, message: await res.text() }; }
  return data;
}

function undoStack() { return JSON.parse(sessionStorage.getItem(UNDO_KEY) || "[]"); }
function saveUndo(stack) { sessionStorage.setItem(UNDO_KEY, JSON.stringify(stack)); }

function setCounts(dOpen, dDecided) {
  const o = document.getElementById("n-open"), d = document.getElementById("n-decided");
  o.textContent = Number(o.textContent) + dOpen;
  d.textContent = Number(d.textContent) + dDecided;
}

async function decide(targets, items) {
  const reviewer = reviewerBox.value.trim();
  localStorage.setItem("cchc-reviewer", reviewer);
  const data = await post("/api/decide", { reviewer, items });
  if (!data.ok) {
    say(data.message, false);
    for (const p of data.problems || []) {
      const fig = figs.find((f) => f.dataset.key === p.row_key);
      if (fig) { fig.classList.add("refused"); fig.querySelector(".status").textContent = p.problem + " — " + p.fix; }
    }
    return false;
  }
  const byKey = new Map((data.decisions || []).map((d) => [d.row_key, d]));
  for (const fig of targets) {
    const d = byKey.get(fig.dataset.key);
    fig.classList.remove("refused");
    fig.classList.add("done");
    fig.querySelector(".status").textContent = d
      ? `${d.decision}${d.indicator_id ? " " + d.indicator_id : ""}${d.corrected_value ? " = " + d.corrected_value : ""} (${d.reviewer})`
      : "decided";
  }
  const stack = undoStack();
  stack.push((data.decisions || []).map((d) => ({ row_key: d.row_key, decided_at: d.decided_at, reviewer: d.reviewer })));
  saveUndo(stack);
  setCounts(-targets.length, targets.length);
  document.getElementById("bulk-n").textContent = bulkTargets().length;
  say(data.message, true);
  return true;
}

async function decideCurrent(notIndicator) {
  const fig = figs[current];
  if (!fig || !open(fig)) return;
  const item = verdict(fig, notIndicator);
  if (!item) { say("No indicator selected: press i to type one, or x if this is not an indicator.", false); return; }
  if (await decide([fig], [item])) nextOpen();
}

async function undo() {
  const stack = undoStack();
  const last = stack.pop();
  if (!last) { say("Nothing to undo in this window.", false); return; }
  const data = await post("/api/undo", { reviewer: reviewerBox.value.trim(), items: last });
  if (!data.ok) { say(data.message, false); return; }
  saveUndo(stack);
  let missing = false;
  for (const entry of last) {
    const i = figs.findIndex((f) => f.dataset.key === entry.row_key);
    if (i < 0) { missing = true; continue; }
    figs[i].classList.remove("done");
    figs[i].querySelector(".status").textContent = "undone";
    focusFig(i);
  }
  setCounts(last.length, -last.length);
  document.getElementById("bulk-n").textContent = bulkTargets().length;
  say(data.message, true);
  if (missing) location.reload();
}

function applyFilter() {
  const terms = filterBox.value.toLowerCase().split(/\s+/).filter(Boolean);
  for (const fig of figs) {
    const hit = terms.every((t) => fig.dataset.search.includes(t));
    fig.classList.toggle("hidden", !hit);
  }
  for (const doc of document.querySelectorAll(".doc")) {
    doc.classList.toggle("hidden", !doc.querySelector(".fig:not(.hidden)"));
  }
  document.getElementById("bulk-n").textContent = bulkTargets().length;
}

function bulkTargets() { return figs.filter((f) => open(f) && f.dataset.proposed); }

document.getElementById("bulk").addEventListener("click", async () => {
  const targets = bulkTargets();
  if (!targets.length) { say("No open figure with a proposed indicator is shown.", false); return; }
  await decide(targets, targets.map((f) => ({
    row_key: f.dataset.key, decision: "accept", proposed_indicator: f.dataset.proposed })));
  applyFilter();
  nextOpen();
});
document.getElementById("undo").addEventListener("click", undo);
filterBox.addEventListener("input", applyFilter);
filterBox.addEventListener("search", applyFilter);  // Escape clears a search box without an input event

for (const [i, fig] of figs.entries()) {
  // a click in one of its boxes makes the figure current but leaves the typing there
  fig.addEventListener("click", (ev) => focusFig(i, !(ev.target instanceof HTMLInputElement)));
  for (const li of fig.querySelectorAll(".choices li[data-id]")) {
    li.addEventListener("click", () => {
      fig.querySelectorAll(".choices li").forEach((x) => x.classList.remove("selected"));
      li.classList.add("selected");
    });
  }
}

document.addEventListener("keydown", async (ev) => {
  const t = ev.target;
  if (t instanceof HTMLInputElement) {
    if (ev.key === "Escape") { t.blur(); if (current >= 0) figs[current].focus(); }
    if (ev.key === "Enter" && t.closest(".fig")) { ev.preventDefault(); t.blur(); await decideCurrent(false); }
    return;
  }
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const fig = figs[current];
  switch (ev.key) {
    case "j": case "ArrowDown": ev.preventDefault(); step(1); break;
    case "k": case "ArrowUp": ev.preventDefault(); step(-1); break;
    case "a": case "Enter": ev.preventDefault(); await decideCurrent(false); break;
    case "n": if (fig) cycle(fig, 1); break;
    case "N": if (fig) cycle(fig, -1); break;
    case "x": ev.preventDefault(); await decideCurrent(true); break;
    case "c": if (fig) { ev.preventDefault(); fig.querySelector(".corrected").focus(); } break;
    case "i": if (fig) { ev.preventDefault(); fig.querySelector(".iid").focus(); } break;
    case "u": ev.preventDefault(); await undo(); break;
    case "/": ev.preventDefault(); filterBox.focus(); break;
  }
});

applyFilter();
nextOpen();
