/* kbgen: the "Print this card" button. Delegated, so it survives Material's instant loading. */
document.addEventListener("click", event => {
  if (event.target instanceof Element && event.target.closest("[data-kb-print]")) {
    window.print();
  }
});

/* Stories from the floor: filter the list by technique and situation (?technique=… works too). */
(() => {
  function setUp() {
    const list = document.querySelector(".kb-stories");
    const selects = [...document.querySelectorAll("[data-kb-filter]")];
    if (!list || !selects.length || list.dataset.kbReady) return;
    list.dataset.kbReady = "1";
    const count = document.querySelector(".kb-story-filter__count");
    const params = new URLSearchParams(location.search);
    const apply = () => {
      let shown = 0;
      const items = [...list.children];
      for (const item of items) {
        const visible = selects.every(select =>
          !select.value || (item.dataset[select.dataset.kbFilter] || "").split(" ").includes(select.value));
        item.hidden = !visible;
        shown += visible ? 1 : 0;
      }
      if (count) count.textContent = `Showing ${shown} of ${items.length} stories.`;
    };
    for (const select of selects) {
      const wanted = params.get(select.dataset.kbFilter);
      if (wanted && [...select.options].some(o => o.value === wanted)) select.value = wanted;
      select.addEventListener("change", apply);
    }
    apply();
  }
  if (window.document$ && typeof window.document$.subscribe === "function")
    window.document$.subscribe(setUp);
  else document.addEventListener("DOMContentLoaded", setUp);
})();

/* Material's "Copied to clipboard" notice, read out by screen readers too: a live region
   that is there before it first changes. */
(() => {
  const announce = () => {
    const notice = document.querySelector(".md-dialog__inner");
    if (notice) {
      notice.setAttribute("role", "status");
      notice.setAttribute("aria-live", "polite");
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", announce);
  else announce();
})();
