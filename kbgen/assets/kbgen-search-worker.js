/* kbgen: Material's search worker, fetching its own search index.

   Material's page fetches search_index.json, parses it and posts it to its search worker, all on
   the page's main thread, which at page load is busy drawing the page and taking the agent's
   first keys. This worker fetches the index itself as soon as it starts (gzipped: a seventh of
   the bytes from a server that does not compress), builds Material's search over it and says it
   is ready. The page's own request is pointed at the index without its documents
   (search_config.json, see partials/search.html), and its setup message changes nothing here.
   Material's worker runs unchanged: it is loaded here and handed every other message.

   Started by partials/search.html as
   kbgen-search-worker.js?worker=<Material's worker>&index=<search_index.json>&suggest=<0|1> */
(() => {
  const params = new URL(location.href).searchParams;
  const material = new URL(params.get("worker"));
  const SETUP = 0;  // Material's SearchMessageType.SETUP
  const text = indexText(params.get("index"));  // on its way while Material's worker loads

  // Material's worker loads its language scripts relative to its own address
  const importOwn = self.importScripts.bind(self);
  self.importScripts = (...urls) => importOwn(...urls.map(url => new URL(url, material).href));

  let materialListener = null;
  const listen = self.addEventListener.bind(self);
  self.addEventListener = (type, listener, options) => {
    if (type === "message" && materialListener === null) materialListener = listener;
    else listen(type, listener, options);
  };
  self.importScripts(material.href);
  self.addEventListener = listen;

  /* The index's JSON text: the gzipped copy, unzipped (unless the server did), else the plain. */
  async function indexText(url) {
    if (typeof DecompressionStream !== "undefined") {
      try {
        const response = await fetch(`${url}.gz`);
        if (!response.ok) throw new Error(response.statusText);
        const bytes = await response.arrayBuffer();
        const [first, second] = new Uint8Array(bytes, 0, 2);
        if (first !== 0x1f || second !== 0x8b) return new TextDecoder().decode(bytes);  // unzipped
        const unzip = new DecompressionStream("gzip");
        return new Response(new Blob([bytes]).stream().pipeThrough(unzip)).text();
      } catch (error) {
        console.warn(`kbgen: ${url}.gz could not be read (${error}); reading ${url}`);
      }
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.statusText}`);
    return response.text();
  }

  const options = { suggest: params.get("suggest") === "1" };
  const ready = text.then(async text => {
    const { config, docs } = JSON.parse(text);
    await materialListener({ data: { type: SETUP, data: { config, docs, options } } });
    // kbgen's fields (kb_terms…) are searched, never shown: once indexed, Material need not
    // highlight them in every result, nor send them to the page
    for (const doc of docs) {
      for (const name of Object.keys(doc)) if (name.startsWith("kb_")) delete doc[name];
    }
  });
  ready.catch(error => console.error(`kbgen: the search index could not be loaded: ${error}`));

  listen("message", event => {
    if (event.data && event.data.type === SETUP) return;  // the page's: this worker has its own
    ready.then(() => materialListener(event));
  });
})();
