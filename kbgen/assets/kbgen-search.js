/* kbgen: what happens in Material's search box, as events other scripts can listen to.

   kb:search       {query, found, retried}   once the results for a query have settled (the agent
                                              stopped typing for a moment); `found` is the number
                                              of results shown, `retried` whether kbgen retried the
                                              query with looser words
   kb:search-open  {query, location, rank}   when the agent opens a result (rank counts from 1)

   Nothing here sends anything anywhere: the inbox script (kbgen-inbox.js) listens when the site
   has an inbox. */
(() => {
  if (window.kbSearchEvents) return;
  window.kbSearchEvents = true;
  const SETTLE_MS = 1200;
  let timer = null;
  let lastSent = "";

  const input = () => document.querySelector(".md-search__input");
  const items = () => document.querySelectorAll(".md-search-result__list > .md-search-result__item");
  const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

  function settled() {
    const box = input();
    const query = box ? box.value.trim() : "";
    if (!query || query === lastSent) return;
    lastSent = query;
    const retried = (box.dataset.kbRetriedFrom || "") !== "";
    emit("kb:search", {
      query: retried ? box.dataset.kbRetriedFrom : query,
      found: items().length,
      retried,
    });
  }

  function watch() {
    const result = document.querySelector(".md-search-result");
    if (!result || result.dataset.kbWatched) return;
    result.dataset.kbWatched = "1";
    new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(settled, SETTLE_MS);
    }).observe(result, { childList: true, subtree: true, characterData: true });
  }

  document.addEventListener("click", event => {
    const link = event.target instanceof Element && event.target.closest(".md-search-result__link");
    if (!link) return;
    const box = input();
    const all = [...document.querySelectorAll(".md-search-result__link")];
    const url = new URL(link.href, location.href);
    emit("kb:search-open", {
      query: box ? (box.dataset.kbRetriedFrom || box.value.trim()) : "",
      location: url.pathname,
      rank: all.indexOf(link) + 1,
    });
  }, true);

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(watch);
  else document.addEventListener("DOMContentLoaded", watch);
  watch();
})();
