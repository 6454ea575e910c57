// The preview's annotation panel ('build.py serve' only; a built site has none of it).
// Select a passage of an article, press "Annotate selection": the preview says how the quote will
// be written and whether it anchors once, and writes the annotation into content/annotations/.
// Each note gets "Edit" and "Delete". The files change; the preview rebuilds and reloads the page.
(function () {
  "use strict";

  var script = document.currentScript;
  var TOKEN = script ? script.getAttribute("data-token") : "";
  var API = "/_annotate/api";
  var page = /\/articles\/([a-z0-9-]+)\/(?:index\.html)?$/.exec(location.pathname);
  var text = document.querySelector("section.text");
  if (!page || !text || !TOKEN) return;
  var SLUG = page[1];
  var NEW_CLAIM = "\u0000new";

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === "text") node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function codePoints(value) { return Array.from(value).length; }

  function call(action, data) {
    var body = Object.assign({ action: action, slug: SLUG }, data);
    return fetch(API, {
      method: "POST", credentials: "same-origin", cache: "no-store",
      headers: { "Content-Type": "application/json", "X-Annotate-Token": TOKEN },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () {
        return { ok: false, problems: [{ message: "the preview answered " + response.status, hint: "" }] };
      });
    }, function () {
      return { ok: false, problems: [{ message: "the preview does not answer", hint: "is 'build.py serve' still running?" }] };
    });
  }

  // ---------------------------------------------------------------- the selection

  function textWithoutNoteNumbers(fragment) {
    fragment.querySelectorAll("sup.note-ref").forEach(function (sup) { sup.remove(); });
    return fragment.textContent;
  }

  function paragraphOf(node) {
    var element = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    var para = element && element.closest("section.text p.para");
    return para && para.closest(".row[id^='p-']") ? para : null;
  }

  // {paragraph, shown, start, end} in code points of the paragraph as shown (note numbers left out),
  // {problem} for a selection that is not one passage of one paragraph, null for no selection.
  function currentSelection() {
    var selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var para = paragraphOf(range.startContainer), last = paragraphOf(range.endContainer);
    if (!para && !last) return null;
    if (para !== last) return { problem: "A quote lies within one paragraph: select a passage of one paragraph." };
    var before = document.createRange();
    before.setStart(para, 0);
    before.setEnd(range.startContainer, range.startOffset);
    var whole = document.createRange();
    whole.selectNodeContents(para);
    var start = codePoints(textWithoutNoteNumbers(before.cloneContents()));
    var selected = textWithoutNoteNumbers(range.cloneContents());
    if (!selected.trim()) return null;
    return {
      paragraph: parseInt(para.closest(".row").id.slice(2), 10),
      shown: textWithoutNoteNumbers(whole.cloneContents()),
      start: start, end: start + codePoints(selected)
    };
  }

  // ---------------------------------------------------------------- the bar

  var startButton = el("button", { type: "button", id: "annotate-start", disabled: "" }, [document.createTextNode("Annotate selection")]);
  var status = el("p", { id: "annotate-status", role: "status", "aria-live": "polite",
                         text: "Select a passage of the article to annotate it." });
  var bar = el("aside", { id: "annotate-bar", lang: "en", "aria-label": "Annotate (preview only)" }, [startButton, status]);
  document.body.appendChild(bar);
  var chosen = null;

  document.addEventListener("selectionchange", function () {
    if (dialog.open) return;
    var found = currentSelection();
    if (found && found.problem) {
      chosen = null;
      startButton.disabled = true;
      status.textContent = found.problem;
    } else if (found) {
      chosen = found;
      startButton.disabled = false;
      status.textContent = "Selected in paragraph " + found.paragraph + ".";
    }
  });

  // ---------------------------------------------------------------- the dialog

  function field(label, control, hint) {
    var id = control.id;
    return el("div", { class: "annotate-field" }, [
      el("label", { for: id, text: label }), control,
      hint ? el("p", { class: "annotate-hint", id: id + "-hint", text: hint }) : null
    ]);
  }

  function select(id) { return el("select", { id: id }); }
  function input(id) { return el("input", { id: id, type: "text", autocomplete: "off", spellcheck: "false" }); }
  function area(id, rows) { return el("textarea", { id: id, rows: String(rows) }); }

  var controls = {
    theme: select("annotate-theme"), claim: select("annotate-claim"),
    claimId: input("annotate-claim-id"), claimLabel: input("annotate-claim-label"), claimLabelEn: input("annotate-claim-label-en"),
    device: select("annotate-device"), entman: select("annotate-entman"), frame: select("annotate-frame"),
    tags: input("annotate-tags"), id: input("annotate-id"),
    commentary: area("annotate-commentary", 4), gloss: input("annotate-gloss"), commentaryEn: area("annotate-commentary-en", 3)
  };
  controls.commentary.setAttribute("lang", "zh");
  controls.commentary.required = true;
  controls.id.required = true;
  controls.id.setAttribute("aria-describedby", "annotate-id-hint");

  var title = el("h2", { id: "annotate-title" });
  var quote = el("blockquote", { id: "annotate-quote" });
  var anchorInfo = el("p", { id: "annotate-anchor" });
  var contextLine = el("pre", { id: "annotate-context", hidden: "" });
  var problems = el("div", { id: "annotate-problems", role: "alert" });
  var newClaim = el("fieldset", { id: "annotate-new-claim", hidden: "" }, [
    el("legend", { text: "New claim (content/claims/<id>.md; add its sources, verdict and context there)" }),
    field("Claim id", controls.claimId), field("Label (Chinese)", controls.claimLabel), field("Label (English, optional)", controls.claimLabelEn)
  ]);
  var framing = el("fieldset", { id: "annotate-framing", hidden: "" }, [
    el("legend", { text: "Framing" }),
    field("device", controls.device), field("entman", controls.entman), field("frame", controls.frame)
  ]);
  var submit = el("button", { type: "submit", id: "annotate-submit" });
  var cancel = el("button", { type: "button", id: "annotate-cancel", text: "Cancel" });
  var form = el("form", { id: "annotate-form", novalidate: "" }, [
    title,
    el("div", { class: "annotate-quote-box" }, [el("p", { class: "annotate-label", text: "Quote, as it will be written:" }), quote, contextLine, anchorInfo]),
    el("div", { class: "annotate-pair" }, [field("Theme", controls.theme), field("Claim", controls.claim)]),
    newClaim, framing,
    el("div", { class: "annotate-pair" }, [
      field("Id", controls.id, "Lower-case letters, digits and single hyphens; unique in the archive."),
      field("Tags (comma-separated, optional)", controls.tags)
    ]),
    field("Commentary (Chinese, markdown)", controls.commentary),
    field("English gloss (optional)", controls.gloss),
    field("English commentary (optional)", controls.commentaryEn),
    problems,
    el("div", { class: "annotate-buttons" }, [submit, cancel])
  ]);
  var dialog = el("dialog", { id: "annotate-panel", lang: "en", "aria-labelledby": "annotate-title" }, [form]);
  document.body.appendChild(dialog);

  var state = { mode: "add", selection: null, choices: null, idEdited: false, anchors: false };

  function fill(selectElement, options, value) {
    selectElement.textContent = "";
    options.forEach(function (option) {
      selectElement.appendChild(el("option", { value: option[0], text: option[1] }));
    });
    selectElement.value = value || "";
  }

  function fillClaims(value) {
    var theme = controls.theme.value;
    var options = [["", "(no claim)"]];
    state.choices.claims.forEach(function (claim) {
      if (claim.theme === theme) options.push([claim.id, claim.id + " \u2014 " + claim.label]);
    });
    if (state.mode === "add") options.push([NEW_CLAIM, "New claim\u2026"]);
    fill(controls.claim, options, value);
    showParts();
  }

  function showParts() {
    newClaim.hidden = controls.claim.value !== NEW_CLAIM;
    framing.hidden = controls.theme.value !== "framing" && !controls.device.value && !controls.entman.value && !controls.frame.value;
  }

  function setChoices(choices, values) {
    state.choices = choices;
    fill(controls.theme, choices.themes.map(function (t) { return [t.id, t.id + " \u2014 " + (t.title_en || t.title)]; }), values.theme);
    ["device", "entman", "frame"].forEach(function (name) {
      fill(controls[name], [["", "(none)"]].concat(choices[name].map(function (v) { return [v, v]; })), values[name]);
    });
    fillClaims(values.claim);
  }

  function showProblems(list) {
    problems.textContent = "";
    if (!list || !list.length) return;
    var items = el("ul");
    list.forEach(function (problem) {
      items.appendChild(el("li", { text: problem.message + (problem.hint ? " \u2014 fix: " + problem.hint : "") }));
    });
    problems.appendChild(items);
    problems.scrollIntoView({ block: "nearest" });
  }

  function showQuote(text, lang, contexts) {
    quote.textContent = "> " + text;
    quote.setAttribute("lang", lang);
    contextLine.hidden = !contexts.length;
    contextLine.textContent = contexts.map(function (c) { return c.key + ": " + c.text; }).join("\n");
  }

  function open(mode) {
    state.mode = mode;
    state.idEdited = false;
    title.textContent = mode === "add" ? "New annotation" : "Edit annotation";
    submit.textContent = mode === "add" ? "Add" : "Save";
    controls.id.readOnly = mode !== "add";
    showProblems([]);
    dialog.showModal();
    (mode === "add" ? controls.theme : controls.commentary).focus();
  }

  startButton.addEventListener("click", function () {
    if (!chosen) return;
    var selection = chosen;
    status.textContent = "Locating the passage\u2026";
    call("locate", selection).then(function (answer) {
      if (!answer.ok) {
        status.textContent = answer.problems.map(function (p) { return p.message; }).join("; ");
        return;
      }
      state.selection = selection;
      state.anchors = answer.anchors;
      showQuote(answer.quote, answer.lang, answer.context ? [answer.context] : []);
      var where = answer.paragraphs.join(", ");
      if (answer.count === 1) anchorInfo.textContent = "Anchors once (paragraph " + answer.paragraph + ").";
      else if (answer.context) anchorInfo.textContent = "Occurs " + answer.count + " times (paragraphs " + where + "); with '" +
        answer.context.key + ": " + answer.context.text + "' it anchors once, here.";
      else anchorInfo.textContent = "Occurs " + answer.count + " times (paragraphs " + where +
        ") and nothing around it tells them apart: select a longer passage.";
      ["tags", "commentary", "gloss", "commentaryEn", "claimId", "claimLabel", "claimLabelEn"].forEach(function (name) { controls[name].value = ""; });
      controls.id.value = answer.id;
      setChoices(answer.choices, { theme: answer.choices.themes.length ? answer.choices.themes[0].id : "" });
      submit.disabled = !answer.anchors;
      status.textContent = "Selected in paragraph " + selection.paragraph + ".";
      open("add");
    });
  });

  function propose() {
    if (state.mode !== "add" || state.idEdited) return;
    var claim = controls.claim.value === NEW_CLAIM ? controls.claimId.value : controls.claim.value;
    call("propose", { hint: claim || controls.theme.value }).then(function (answer) {
      if (answer.ok && !state.idEdited) controls.id.value = answer.id;
    });
  }

  controls.theme.addEventListener("change", function () { fillClaims(""); propose(); });
  controls.claim.addEventListener("change", function () { showParts(); propose(); });
  controls.claimId.addEventListener("change", propose);
  controls.id.addEventListener("input", function () { state.idEdited = true; });
  cancel.addEventListener("click", function () { dialog.close(); });

  function values() {
    var framingShown = !framing.hidden;
    var claim = controls.claim.value === NEW_CLAIM ? controls.claimId.value.trim() : controls.claim.value;
    var data = {
      id: controls.id.value.trim(), theme: controls.theme.value, claim: claim, tags: controls.tags.value,
      device: framingShown ? controls.device.value : "", entman: framingShown ? controls.entman.value : "",
      frame: framingShown ? controls.frame.value : "",
      commentary: controls.commentary.value, gloss: controls.gloss.value, commentary_en: controls.commentaryEn.value
    };
    if (controls.claim.value === NEW_CLAIM) data.new_claim = { label: controls.claimLabel.value, label_en: controls.claimLabelEn.value };
    return data;
  }

  function written(answer, verb, fragment) {
    dialog.close();
    if (!answer.files.length) { status.textContent = "Nothing changed in " + answer.id + ": no file written."; return; }
    status.textContent = verb + " " + answer.id + " in " + answer.files.join(" and ") + ". The page reloads once the preview has rebuilt.";
    if (fragment) history.replaceState(null, "", "#" + fragment);
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = values();
    submit.disabled = true;
    var request = state.mode === "add" ? call("add", Object.assign(data, state.selection)) : call("edit", data);
    request.then(function (answer) {
      submit.disabled = state.mode === "add" && !state.anchors;
      if (!answer.ok) { showProblems(answer.problems); return; }
      if (state.mode === "add") written(answer, "Added", "a-" + answer.id);
      else written(answer, "Saved", "n-" + answer.id);
    });
  });

  // ---------------------------------------------------------------- the notes

  function edit(ident) {
    call("read", { id: ident }).then(function (answer) {
      if (!answer.ok) { status.textContent = answer.problems.map(function (p) { return p.message; }).join("; "); return; }
      state.selection = null;
      state.anchors = true;
      showQuote(answer.quote, answer.lang, answer.contexts);
      anchorInfo.textContent = "The quote stays as it is; delete the note and annotate again to quote another passage.";
      controls.id.value = answer.id;
      controls.tags.value = answer.tags;
      controls.commentary.value = answer.commentary;
      controls.gloss.value = answer.gloss;
      controls.commentaryEn.value = answer.commentary_en;
      if (!answer.theme && answer.claim) {  // a section may leave its theme to its claim
        var claim = answer.choices.claims.filter(function (c) { return c.id === answer.claim; })[0];
        if (claim) answer.theme = claim.theme;
      }
      setChoices(answer.choices, answer);
      submit.disabled = false;
      open("edit");
    });
  }

  function remove(ident) {
    if (!window.confirm("Delete the annotation " + ident + " from content/annotations/" + SLUG + ".md and .en.md?")) return;
    call("delete", { id: ident }).then(function (answer) {
      if (!answer.ok) { status.textContent = answer.problems.map(function (p) { return p.message; }).join("; "); return; }
      written(answer, "Deleted", "");
    });
  }

  text.querySelectorAll(".note[id^='n-']").forEach(function (note) {
    var ident = note.id.slice(2);
    var editButton = el("button", { type: "button", class: "annotate-edit", "aria-label": "Edit annotation " + ident, text: "Edit" });
    var deleteButton = el("button", { type: "button", class: "annotate-delete", "aria-label": "Delete annotation " + ident, text: "Delete" });
    editButton.addEventListener("click", function () { edit(ident); });
    deleteButton.addEventListener("click", function () { remove(ident); });
    note.appendChild(el("p", { class: "annotate-note-actions", lang: "en" }, [editButton, deleteButton]));
  });
})();
