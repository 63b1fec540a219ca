/* kbgen: no dead ends in Material's search box, and what happens there as events.

   When a query finds nothing, it is searched again with its words made fuzzy ("yeling~1"), the
   box still showing what the agent typed; if that finds nothing either, the results offer the
   situations ("What is happening on your call?") and the phrasebook, the first of them one
   ArrowDown away.

   Events other scripts can listen to:

   kb:search       {query, found, retried}   once the results for a query have settled (the agent
                                              stopped typing for a moment); `found` is the number
                                              of results shown (0 when no page fits it well and
                                              the results are only the closest), `retried`
                                              whether kbgen retried the query with looser words
   kb:search-open  {query, location, rank}   when the agent opens a result (rank counts from 1)

   Nothing here sends anything anywhere: the inbox script (kbgen-inbox.js) listens when the site
   has an inbox. */
(() => {
  if (window.kbSearchEvents) return;
  window.kbSearchEvents = true;
  const REACT_MS = 250;  // a query's results are in: retry it or offer help
  const REPORT_MS = 1200;  // the agent stopped typing: tell listeners
  let reactTimer = null;
  let reportTimer = null;
  let lastSent = "";
  const QUERY = 2;  // Material's SearchMessageType.QUERY
  const config = document.getElementById("__config");
  // the site's root, once, before instant navigation changes what "relative" means
  const root = new URL(config ? JSON.parse(config.textContent).base || "." : ".", location.href);

  const input = () => document.querySelector(".md-search__input");
  const retried = new Set();  // queries already searched again with fuzzy words

  /* The query with each word of four letters or more made fuzzy (one or two edits). */
  function fuzzy(query) {
    return query.split(/\s+/).filter(w => /^[\p{L}'’-]{4,}$/u.test(w))
      .map(w => `${w.replace(/['’-]/g, "")}~${w.length >= 8 ? 2 : 1}`).join(" ");
  }

  /* Let Material's search worker answer `query` while the box keeps showing what the agent
     typed. The worker is the one partials/search.html caught being made; Material renders its
     answer as its own, and does not search the box's text again when the focus moves. */
  function searchFor(box, query, shown) {
    const worker = window.kbSearchWorker;
    if (worker) return worker.postMessage({ type: QUERY, data: query });
    box.value = query;  // a theme without the partial: ask through the box itself
    box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    box.value = shown;
  }

  function note(text) {
    const meta = document.querySelector(".md-search-result__meta");
    if (meta && meta.textContent !== text) meta.textContent = text;
  }

  function situations() {
    const data = document.getElementById("kb-search-help");
    return data ? JSON.parse(data.textContent) : null;
  }

  /* Nothing at all: offer the situations and the phrasebook instead of an empty panel. */
  function offerHelp(query) {
    const help = situations();
    const list = document.querySelector(".md-search-result__list");
    if (!help || !list) return;
    if (list.querySelector(".kb-search-help")) return;
    note(`Nothing found for “${query}”. What is happening on your call?`);
    const item = (title, path, text) => {
      const li = document.createElement("li");
      li.className = "md-search-result__item kb-search-help";
      const a = Object.assign(document.createElement("a"), {
        className: "md-search-result__link", href: path, tabIndex: -1 });
      const article = document.createElement("article");
      article.className = "md-search-result__article md-typeset";
      const h1 = Object.assign(document.createElement("h1"), { textContent: title });
      article.append(h1);
      if (text) article.append(Object.assign(document.createElement("p"), { textContent: text }));
      a.append(article);
      li.append(a);
      return li;
    };
    const path = p => new URL(p, root).href;
    list.replaceChildren(
      ...help.situations.map(s => item(s.title, path(s.path), s.summary)),
      item(help.phrasebook.title, path(help.phrasebook.path), help.phrasebook.summary),
    );
  }
  const items = () => [...document.querySelectorAll(".md-search-result__list > .md-search-result__item")];
  const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

  const found = () => items().filter(i => !i.classList.contains("kb-search-help")).length;

  /* The results of a query are in: nothing? search again with fuzzy words, then offer help.
     Our own changes to the results come back here: both steps happen once per query. */
  function react() {
    const box = input();
    const query = box ? box.value.trim() : "";
    if (!query) return;
    const count = found();
    // the words alone found nothing (the semantic layer's closest pages may be shown): a typo?
    const last = window.kbSemantic && window.kbSemantic.last;
    const lexical = last && last.query.trim() === query ? last.lexical : count;
    if (!lexical && !retried.has(query)) {
      retried.add(query);
      const loose = fuzzy(query);
      if (loose) return searchFor(box, loose, box.value);  // comes back with its results
    }
    if (!count) offerHelp(query);
    else if (weak(query)) note(`No page on this yet — closest:`);
    else if (retried.has(query)) note(`No exact match for “${query}”: close matches.`);
  }

  /* Whether the semantic layer found no page that fits this query well (kbgen-semantic.js). */
  function weak(query) {
    const last = window.kbSemantic && window.kbSemantic.last;
    return Boolean(last && last.weak && last.query.trim() === query.trim());
  }

  function report() {
    const box = input();
    const query = box ? box.value.trim() : "";
    if (!query || query === lastSent) return;
    lastSent = query;
    // a query no page fits is a gap, whatever closest pages it shows
    emit("kb:search", { query, found: weak(query) ? 0 : found(), retried: retried.has(query) });
  }

  function watch() {
    const result = document.querySelector(".md-search-result");
    if (!result || result.dataset.kbWatched) return;
    result.dataset.kbWatched = "1";
    new MutationObserver(() => {
      clearTimeout(reactTimer);
      clearTimeout(reportTimer);
      reactTimer = setTimeout(react, REACT_MS);
      reportTimer = setTimeout(report, REPORT_MS);
    }).observe(result, { childList: true, subtree: true, characterData: true });
  }

  document.addEventListener("click", event => {
    const link = event.target instanceof Element && event.target.closest(".md-search-result__link");
    if (!link) return;
    const box = input();
    const all = [...document.querySelectorAll(".md-search-result__link")];
    const url = new URL(link.href, location.href);
    emit("kb:search-open", {
      query: box ? box.value.trim() : "",
      location: url.pathname,
      rank: all.indexOf(link) + 1,
    });
  }, true);

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(watch);
  else document.addEventListener("DOMContentLoaded", watch);
  watch();
})();
