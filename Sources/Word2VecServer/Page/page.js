// The page's behaviour: every answer comes from the server's JSON routes, so what the page shows is
// what a script calling the same routes gets.
"use strict";

const config = JSON.parse(document.getElementById("config").textContent);
const $ = (id) => document.getElementById(id);
let model = config.models.length ? config.models[0].name : "";

/// GETs or POSTs a route; resolves with the JSON answer, or rejects with the answer's `error` field
/// (4xx) or the status when the body is not JSON.
async function call(path, body) {
  const url = new URL(path, location.href);
  if (model) url.searchParams.set("model", model);
  const options = body === undefined ? {} :
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const response = await fetch(url, options);
  let answer = null;
  try { answer = await response.json(); } catch (_) { /* not JSON: reported by status below */ }
  if (!response.ok || answer === null) {
    throw new Error(answer && answer.error ? answer.error : `${url.pathname}: HTTP ${response.status}`);
  }
  if (answer.error) throw new Error(answer.error);
  return answer;
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function topCount() {
  const value = parseInt($("top").value, 10);
  return Number.isFinite(value) ? Math.min(Math.max(value, 1), 100) : 12;
}

/// Fills an <ol class="ranking"> with neighbours: each item carries the word and the score as the
/// server sent them (data-word, data-score), which the browser test compares with /v1/similar.
function showRanking(list, neighbours) {
  list.replaceChildren();
  const best = Math.max(1e-9, ...neighbours.map((n) => n.score));
  for (const n of neighbours) {
    const item = element("li", { "data-word": n.word, "data-score": String(n.score) });
    const link = element("a", { class: "word", href: "?q=" + encodeURIComponent(n.word), title: n.word }, n.word);
    link.addEventListener("click", (event) => { event.preventDefault(); search(n.word); });
    const bar = element("span", { class: "bar" });
    const fill = element("span");
    fill.style.width = `${Math.max(0, Math.min(1, n.score / best)) * 100}%`;
    bar.append(fill);
    item.append(link, bar, element("span", { class: "score" }, Number(n.score).toFixed(3)));
    list.append(item);
  }
  list.dataset.state = neighbours.length ? "done" : "empty";
}

function setStatus(text, isError) {
  $("status").textContent = text;
  $("status").className = isError ? "error" : "";
}

let searchCount = 0;

/// Shows the neighbours and the map of `word`, and puts it in the address (?q=word) so that the
/// view can be linked and reloaded.
async function search(word) {
  word = word.trim();
  if (!word) return;
  const mine = ++searchCount;
  hideSuggestions();
  $("word").value = word;
  $("query-word").textContent = word;
  $("neighbours-hint").hidden = true;
  $("neighbours").dataset.state = "loading";
  setStatus(`Looking up ${word}…`);
  const address = new URL(location.href);
  address.searchParams.set("q", word);
  history.replaceState(null, "", address);
  const top = topCount();
  const neighbours = call(`/v1/similar?positive=${encodeURIComponent(word)}&top=${top}`);
  const map = call(`/v1/map?word=${encodeURIComponent(word)}&top=${top}`);
  try {
    const answer = await neighbours;
    if (mine !== searchCount) return;
    showRanking($("neighbours"), answer.neighbours);
    setStatus(answer.oov ? `${answer.oov.join(", ")}: not in the vocabulary; answered from subwords` : "");
  } catch (error) {
    if (mine !== searchCount) return;
    $("neighbours").replaceChildren();
    $("neighbours").dataset.state = "error";
    setStatus(error.message, true);
  }
  try {
    const answer = await map;
    if (mine !== searchCount) return;
    drawMap(answer);
  } catch (error) {
    if (mine !== searchCount) return;
    $("map").dataset.state = "error";
    $("map").replaceChildren(element("p", { class: "empty error" }, error.message));
  }
}

const svgNS = "http://www.w3.org/2000/svg";
function svgElement(tag, attributes, text) {
  const node = document.createElementNS(svgNS, tag);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

/// Draws the server's layout (/v1/map): marker centres and label boxes are already placed, in SVG
/// units of a width x height canvas, so the page only turns them into elements.
function drawMap(answer) {
  $("map-method").textContent = `${answer.method.toUpperCase()} of ${answer.points.length} unit vectors`;
  const svg = svgElement("svg", { viewBox: `0 0 ${answer.width} ${answer.height}`, role: "img",
                                  "aria-label": `map of the neighbours of ${answer.word}` });
  const leaders = svgElement("g", {}), markers = svgElement("g", {}), labels = svgElement("g", {});
  // Nearer neighbours are drawn stronger: the map's distances are a projection, the scores are not.
  const scores = answer.points.slice(1).map((p) => p.score);
  const low = Math.min(...scores), span = Math.max(...scores) - low || 1;
  answer.points.forEach((point, i) => {
    const query = i === 0;
    const box = point.label;
    if (box.leader) {
      const tx = Math.min(Math.max(point.x, box.x), box.x + box.width);
      const ty = Math.min(Math.max(point.y, box.y), box.y + box.height);
      leaders.append(svgElement("line", { x1: point.x, y1: point.y, x2: tx, y2: ty }));
    }
    markers.append(svgElement("circle", { cx: point.x, cy: point.y, r: query ? 5.5 : 4.2, class: query ? "query" : "",
                                          "fill-opacity": query ? 1 : (0.4 + 0.6 * (point.score - low) / span).toFixed(2) }));
    const x = box.anchor === "start" ? box.x : box.anchor === "middle" ? box.x + box.width / 2 : box.x + box.width;
    const label = svgElement("text", { x, y: box.y + answer.fontSize * 0.8, "text-anchor": box.anchor,
                                       class: query ? "query" : "", "data-word": point.word }, point.word);
    if (point.score !== undefined && point.score !== null) {
      label.append(svgElement("title", {}, `${point.word}: ${Number(point.score).toFixed(3)}`));
    }
    label.addEventListener("click", () => search(point.word));
    labels.append(label);
  });
  svg.append(leaders, markers, labels);
  $("map").replaceChildren(svg);
  $("map").dataset.state = "done";
}

// Completion: suggestions from /v1/complete as the word is typed; arrows move, Enter or a click picks.
let suggestionTimer = 0;
let suggestionCount = 0;
let selected = -1;

function hideSuggestions() {
  $("suggestions").hidden = true;
  $("suggestions").replaceChildren();
  selected = -1;
}

function highlight(index) {
  const items = [...$("suggestions").children];
  selected = items.length ? (index + items.length) % items.length : -1;
  items.forEach((item, i) => item.setAttribute("aria-selected", String(i === selected)));
}

async function suggest(prefix) {
  const mine = ++suggestionCount;
  if (!prefix) { hideSuggestions(); return; }
  let answer;
  try {
    answer = await call(`/v1/complete?prefix=${encodeURIComponent(prefix)}&top=8`);
  } catch (_) {
    return;  // A failed completion must not get in the way of typing.
  }
  if (mine !== suggestionCount || $("word").value !== prefix) return;
  const list = $("suggestions");
  list.replaceChildren();
  for (const word of answer.words) {
    if (word === prefix && answer.words.length === 1) break;
    const item = element("li", { role: "option", "data-word": word });
    item.append(element("b", {}, word.slice(0, prefix.length)), document.createTextNode(word.slice(prefix.length)));
    item.addEventListener("mousedown", (event) => { event.preventDefault(); search(word); });
    list.append(item);
  }
  selected = -1;
  list.hidden = list.children.length === 0;
}

$("word").addEventListener("input", () => {
  clearTimeout(suggestionTimer);
  const prefix = $("word").value;
  suggestionTimer = setTimeout(() => suggest(prefix), 60);
});
$("word").addEventListener("keydown", (event) => {
  const open = !$("suggestions").hidden;
  if (event.key === "ArrowDown" && open) { event.preventDefault(); highlight(selected + 1); }
  else if (event.key === "ArrowUp" && open) { event.preventDefault(); highlight(selected - 1); }
  else if (event.key === "Escape") { hideSuggestions(); }
  else if (event.key === "Enter" && open && selected >= 0) {
    event.preventDefault();
    search($("suggestions").children[selected].dataset.word);
  }
});
$("word").addEventListener("blur", () => setTimeout(hideSuggestions, 150));
$("search").addEventListener("submit", (event) => {
  event.preventDefault();
  clearTimeout(suggestionTimer);
  suggestionCount++;
  search($("word").value);
});

$("analogy").addEventListener("submit", async (event) => {
  event.preventDefault();
  const [a, b, c] = ["a", "b", "c"].map((k) => $(`analogy-${k}`).value.trim());
  const list = $("analogy-results");
  $("analogy-error").hidden = true;
  list.dataset.state = "loading";
  try {
    const answer = await call(`/v1/analogy?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}` +
                              `&c=${encodeURIComponent(c)}&top=${topCount()}`);
    showRanking(list, answer.neighbours);
  } catch (error) {
    list.replaceChildren();
    list.dataset.state = "error";
    $("analogy-error").textContent = error.message;
    $("analogy-error").hidden = false;
  }
});

$("recommend").addEventListener("submit", async (event) => {
  event.preventDefault();
  const items = $("history").value.split(/[\s,]+/).filter((item) => item.length > 0);
  const list = $("recommendations");
  $("recommend-error").hidden = true;
  list.dataset.state = "loading";
  try {
    showRanking(list, (await call("/v1/recommend", { history: items, top: topCount() })).neighbours);
  } catch (error) {
    list.replaceChildren();
    list.dataset.state = "error";
    $("recommend-error").textContent = error.message;
    $("recommend-error").hidden = false;
  }
});

function describeModel() {
  const info = config.models.find((m) => m.name === model);
  $("model-info").textContent = info
    ? `${info.name}: ${info.rows.toLocaleString("en")} words × ${info.dimension} dimensions` +
      (info.subwords ? ", subwords" : "")
    : "no model";
}

if (config.models.length > 1) {
  for (const m of config.models) $("model").append(element("option", { value: m.name }, m.name));
  $("model-choice").hidden = false;
}
const requested = new URLSearchParams(location.search);
if (requested.get("model") && config.models.some((m) => m.name === requested.get("model"))) {
  model = requested.get("model");
}
$("model").value = model;
$("model").addEventListener("change", () => {
  model = $("model").value;
  const address = new URL(location.href);
  address.searchParams.set("model", model);
  history.replaceState(null, "", address);
  describeModel();
  if ($("word").value.trim()) search($("word").value);
});
describeModel();
if (requested.get("q")) search(requested.get("q"));
