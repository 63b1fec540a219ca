/* kbgen: the "Print this card" button. Delegated, so it survives Material's instant loading. */
document.addEventListener("click", event => {
  if (event.target instanceof Element && event.target.closest("[data-kb-print]")) {
    window.print();
  }
});
