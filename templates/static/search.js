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
      const module = await import(form.dataset.bundle + "pagefind.js");
      // The edition's own index (the English edition's is segmented as Chinese: see framing/search.py).
      await module.options({ language: form.dataset.language });
      pagefind = module;
    }
    let search = await pagefind.search(query);
    if (!search.results.length && HAN.test(query)) {
      // Pagefind 1.4 indexes some two-character words (千問) as single characters, and then finds
      // nothing for the word typed whole: look for its characters instead.
      search = await pagefind.search(query.replace(HAN_ALL, " $& ").replace(/\s+/g, " ").trim());
    }
    const results = await Promise.all(search.results.slice(0, 30).map((r) => r.data()));
    if (ticket !== latest) return;
    show(results);
    status.textContent = results.length
      ? form.dataset.results.replace("{count}", String(search.results.length))
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
