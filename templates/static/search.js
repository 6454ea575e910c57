// Search with the Pagefind bundle that the build writes under pagefind/. Loaded only by the search
// page, as a same-origin module (the pages' CSP allows no inline script). Without JavaScript the
// form still submits to the same page, whose <noscript> says that search needs JavaScript.
const form = document.querySelector("form.search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");

const HAN = /[\u3400-\u9fff]/;
const HAN_ALL = /[\u3400-\u9fff]/g;
let pagefind = null;
let latest = 0;
let simplified = null; // Map of character -> its Simplified form, loaded with the index

// Every index holds each page's text in Simplified script too (framing/search.py), so a query
// folded to Simplified finds a passage whatever script it was typed in.
async function loadTable() {
  const response = await fetch(form.dataset.table);
  if (!response.ok) throw new Error(`${form.dataset.table}: ${response.status}`);
  const table = await response.json();
  const from = Array.from(table.from);
  const to = Array.from(table.to);
  return new Map(from.map((character, i) => [character, to[i]]));
}

function fold(query) {
  return Array.from(query, (character) => simplified.get(character) || character).join("");
}

// The query as typed and folded to Simplified, each also as single characters where it finds
// nothing whole (Pagefind 1.4 indexes some two-character words, such as 千問, as characters);
// the pages found, best first, each with the excerpt of the first query that found it.
async function find(query) {
  const queries = [query];
  if (HAN.test(query) && fold(query) !== query) queries.push(fold(query));
  const found = new Map();
  for (const text of queries) {
    let search = await pagefind.search(text);
    if (!search.results.length && HAN.test(text)) {
      search = await pagefind.search(text.replace(HAN_ALL, " $& ").replace(/\s+/g, " ").trim());
    }
    for (const result of search.results) {
      const known = found.get(result.id);
      if (!known) found.set(result.id, result);
      else if (result.score > known.score) found.set(result.id, { ...known, score: result.score });
    }
  }
  return Array.from(found.values()).sort((a, b) => b.score - a.score);
}

// Pagefind's excerpts are HTML whose only markup is <mark>: keep the text and the marks, nothing else.
function excerptNodes(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const out = document.createDocumentFragment();
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      out.append(mark);
    } else {
      out.append(document.createTextNode(node.textContent));
    }
  }
  return out;
}

function isChinese(text) {
  const han = (text.match(HAN_ALL) || []).length;
  return han > 0 && han >= (text.match(/[A-Za-z]/g) || []).length;
}

function show(results) {
  list.replaceChildren(...results.map((data) => {
    const item = document.createElement("li");
    const heading = document.createElement("h2");
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    if (data.meta.title_lang && data.meta.title_lang !== document.documentElement.lang) link.lang = data.meta.title_lang;
    heading.append(link);
    const excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    excerpt.append(excerptNodes(data.excerpt));
    // On English pages an excerpt is English or Chinese, whichever the match was in.
    if (document.documentElement.lang === "en" && isChinese(excerpt.textContent)) {
      excerpt.lang = data.meta.title_lang && data.meta.title_lang.startsWith("zh") ? data.meta.title_lang : "zh-Hans";
    }
    item.append(heading, excerpt);
    return item;
  }));
}

async function run(query) {
  const ticket = ++latest;
  query = query.trim();
  if (!query) {
    status.textContent = "";
    list.replaceChildren();
    return;
  }
  status.textContent = form.dataset.searching;
  try {
    if (!pagefind) {
      const [module, table] = await Promise.all([import(form.dataset.bundle + "pagefind.js"), loadTable()]);
      // The edition's own index (the English edition's is segmented as Chinese: see framing/search.py).
      await module.options({ language: form.dataset.language });
      // A large archive's index is split into shards, merged here (framing/search.py).
      for (const bundle of form.dataset.merged.split(" ").filter(Boolean)) {
        await module.mergeIndex(bundle, { language: form.dataset.language });
      }
      simplified = table;
      pagefind = module;
    }
    const found = await find(query);
    const results = await Promise.all(found.slice(0, 30).map((r) => r.data()));
    if (ticket !== latest) return;
    show(results);
    status.textContent = results.length
      ? form.dataset.results.replace("{count}", String(found.length))
      : form.dataset.none;
  } catch (error) {
    if (ticket !== latest) return;
    list.replaceChildren();
    status.textContent = form.dataset.failed;
    throw error;
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URLSearchParams(location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
