// Search with the Pagefind bundle that the build writes under pagefind/. Loaded only by the search
// page, as a same-origin module (the pages' CSP allows no inline script). Without JavaScript the
// form still submits to the same page, whose <noscript> says that search needs JavaScript.
//
// One index serves the three editions (framing/searchrecords.py): each article and theme is one
// record, in Simplified script, with each edition's title as metadata. This page gives Pagefind its
// edition's base URL, so that results link to its own pages, and shows its own titles; the
// Traditional page shows excerpts in Traditional script, a character at a time.
const form = document.querySelector("form.search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const facets = Array.from(form.querySelectorAll("fieldset.facet"));

const HAN = /[\u3400-\u9fff]/;
const HAN_ALL = /[\u3400-\u9fff]/g;
const SCRIPT = form.dataset.script; // zh-Hans, zh-Hant, or "" (the English edition)
let pagefind = null;
let latest = 0;
let simplified = null; // Map of character -> its Simplified form, loaded with the index
let traditional = null; // Map of character -> its Traditional form (the Traditional page's excerpts)

function characterMap(table) {
  const from = Array.from(table.from);
  const to = Array.from(table.to);
  return new Map(from.map((character, i) => [character, to[i]]));
}

async function loadTable(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return characterMap(await response.json());
}

// The table that folds a query to Simplified, and on the Traditional page the one that shows excerpts.
function loadTables() {
  return Promise.all([loadTable(form.dataset.table), form.dataset.excerpts ? loadTable(form.dataset.excerpts) : new Map()]);
}

function convert(text, map) {
  return Array.from(text, (character) => map.get(character) || character).join("");
}

// The filters chosen, as Pagefind takes them: any of the values ticked in a facet, every facet.
function chosen(except) {
  const filters = {};
  for (const facet of facets) {
    const name = facet.dataset.facet;
    const values = Array.from(facet.querySelectorAll("input:checked"), (box) => box.value);
    if (values.length && name !== except) filters[name] = { any: values };
  }
  return filters;
}

// One search: the query as typed and folded to Simplified (the index holds Simplified text), each
// also as single characters where it finds nothing whole (Pagefind 1.4 indexes some two-character
// words, such as 千問, as characters). Returns the pages found, best first, and the count of each
// filter value among them (where two queries find pages, the larger count of the two).
async function searchOnce(query, filters) {
  const queries = query ? [query] : [null];
  if (query && HAN.test(query) && convert(query, simplified) !== query) queries.push(convert(query, simplified));
  const found = new Map();
  const counts = {};
  for (const text of queries) {
    let search = await pagefind.search(text, { filters });
    if (text && !search.results.length && HAN.test(text)) {
      search = await pagefind.search(text.replace(HAN_ALL, " $& ").replace(/\s+/g, " ").trim(), { filters });
    }
    for (const result of search.results) {
      const known = found.get(result.id);
      if (!known) found.set(result.id, result);
      else if (result.score > known.score) found.set(result.id, { ...known, score: result.score });
    }
    for (const [name, values] of Object.entries(search.filters || {})) {
      counts[name] ??= {};
      for (const [value, count] of Object.entries(values)) counts[name][value] = Math.max(counts[name][value] || 0, count);
    }
  }
  return { results: Array.from(found.values()).sort((a, b) => b.score - a.score), counts };
}

// Each facet's counts are those of the pages the query and the other facets' choices find, so that
// a reader sees what ticking one more value in a facet adds.
async function find(query) {
  const filters = chosen(null);
  const main = await searchOnce(query, filters);
  const counts = {};
  for (const facet of facets) {
    const name = facet.dataset.facet;
    counts[name] = name in filters ? (await searchOnce(query, chosen(name))).counts[name] : main.counts[name];
  }
  return { results: main.results, counts };
}

function showCounts(counts) {
  for (const facet of facets) {
    const known = counts ? counts[facet.dataset.facet] || {} : null;
    for (const box of facet.querySelectorAll("input")) {
      const count = known ? known[box.value] || 0 : null;
      box.closest("li").hidden = count === 0 && !box.checked;
      box.labels[0].querySelector(".count").textContent = count === null ? "" : `(${count})`;
    }
  }
}

// Chinese text in an excerpt, as runs (Han characters and CJK punctuation).
const CHINESE_RUNS = /([\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)/;

// An excerpt's text in the page's script; where the excerpt is English (always on the English
// page), each Chinese run marked with its lang.
function textNodes(text, english) {
  if (SCRIPT === "zh-Hant") text = convert(text, traditional);
  if (!english) return [document.createTextNode(text)];
  return text.split(CHINESE_RUNS).filter(Boolean).map((part) => {
    if (!HAN.test(part)) return document.createTextNode(part);
    const span = document.createElement("span");
    span.lang = SCRIPT || "zh-Hans"; // the index holds Chinese text in Simplified script
    span.textContent = part;
    return span;
  });
}

// Pagefind's excerpts are HTML whose only markup is <mark>: keep the text and the marks, nothing
// else. The excerpt is English or Chinese, whichever the match was in (the index holds both): on
// a Chinese page an English one gets lang="en".
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const text = doc.body.firstChild.textContent;
  const english = !SCRIPT || (!isChinese(text) && /[A-Za-z]{3}/.test(text));
  const out = document.createElement("p");
  out.className = "excerpt";
  if (english && SCRIPT) out.lang = "en";
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.append(...textNodes(node.textContent, english));
      out.append(mark);
    } else {
      out.append(...textNodes(node.textContent, english));
    }
  }
  return out;
}

function isChinese(text) {
  const han = (text.match(HAN_ALL) || []).length;
  return han > 0 && han >= (text.match(/[A-Za-z]/g) || []).length;
}

// The result's title in this edition, and its lang where it differs from the page's.
function title(data) {
  if (SCRIPT === "zh-Hant") return [data.meta.title_hant || data.meta.title, ""];
  if (SCRIPT) return [data.meta.title, ""];
  return [data.meta.title_en || data.meta.title, data.meta.title_en_lang || ""];
}

function show(results) {
  const pageLang = document.documentElement.lang;
  list.replaceChildren(...results.map((data) => {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    const [text, lang] = title(data);
    link.href = data.url;
    link.textContent = text || data.url;
    if (lang && lang !== pageLang) link.lang = lang;
    heading.append(link);
    item.append(heading, excerpt(data.excerpt));
    return item;
  }));
}

async function load() {
  const [module, tables] = await Promise.all([import(form.dataset.bundle + "pagefind.js"), loadTables()]);
  // Results link to this edition's pages: the index stores each page's path under the site.
  const options = { language: form.dataset.language, baseUrl: form.dataset.base };
  await module.options(options);
  // A large archive's index is split into shards, merged here (framing/search.py).
  for (const bundle of form.dataset.merged.split(" ").filter(Boolean)) {
    await module.mergeIndex(bundle, options);
  }
  // The facets' counts: Pagefind counts a filter's values among the results once it has loaded them.
  if (facets.length) await module.filters();
  [simplified, traditional] = tables;
  pagefind = module;
}

async function run() {
  const ticket = ++latest;
  const query = input.value.trim();
  if (!query && !Object.keys(chosen(null)).length) {
    status.textContent = "";
    list.replaceChildren();
    showCounts(null);
    return;
  }
  status.textContent = form.dataset.searching;
  try {
    if (!pagefind) await load();
    const found = await find(query);
    const results = await Promise.all(found.results.slice(0, 30).map((r) => r.data()));
    if (ticket !== latest) return;
    show(results);
    showCounts(found.counts);
    status.textContent = results.length
      ? form.dataset.results.replace("{count}", String(found.results.length))
      : form.dataset.none;
  } catch (error) {
    if (ticket !== latest) return;
    list.replaceChildren();
    status.textContent = form.dataset.failed;
    throw error;
  }
}

// The query and the filters chosen are kept in the address (?q=…&theme=…), so that a search can be
// shared, and a page can link to a filtered search.
function remember() {
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  for (const facet of facets) {
    const name = facet.dataset.facet;
    url.searchParams.delete(name);
    for (const box of facet.querySelectorAll("input:checked")) url.searchParams.append(name, box.value);
  }
  history.replaceState(null, "", url);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  remember();
  run();
});

form.addEventListener("change", (event) => {
  if (event.target.type !== "checkbox") return;
  remember();
  run();
});

const given = new URLSearchParams(location.search);
input.value = given.get("q") || "";
for (const facet of facets) {
  const values = new Set(given.getAll(facet.dataset.facet));
  for (const box of facet.querySelectorAll("input")) box.checked = values.has(box.value);
}
if (input.value.trim() || Object.keys(chosen(null)).length) run();
