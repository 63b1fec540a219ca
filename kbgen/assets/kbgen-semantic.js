/* kbgen: the search box's semantic layer, fused with Material's lexical ranking.

   The build stores, for each word of a large English vocabulary (and for idioms), the pages it
   points to and how strongly (kbgen/search/semantic.py, search/kb_semantic.json). Here a query's
   pages are the sums of its words' numbers, averaged over its meaningful words; the lexical
   results and these are merged by reciprocal rank, an exact title always first. When neither
   finds a page that fits well, the result says so (`kb.weak`): kbgen-search.js then shows
   "No page on this yet — closest:" and reports the query as a gap.

   From a web server the data is fetched gzipped; from a folder (file://), where nothing can be
   fetched, it is loaded as a script (search/kb_semantic.js). partials/search.html hands every
   result of Material's search worker to window.kbSemantic.fuse(query, result). */
(() => {
  if (window.kbSemantic) return;
  const own = document.currentScript ? document.currentScript.src : location.href;
  const folder = new URL("../../search/", own);
  const RRF = 8;  // reciprocal rank fusion's constant: rank 1 counts 1/9, rank 2 1/10…
  const LEXICAL = 1.0;
  const SEMANTIC = 1.0;
  const SEMANTIC_PAGES = 8;  // the semantic layer's best pages that may join the results

  function loadScript(url) {
    return new Promise((resolve, reject) => {
      const script = Object.assign(document.createElement("script"), { src: url });
      script.onload = () => resolve(window.__kbSemantic);
      script.onerror = () => reject(new Error(`${url} did not load`));
      document.head.append(script);
    });
  }

  async function fetchJson(url) {
    if (typeof DecompressionStream !== "undefined") {
      try {
        const response = await fetch(`${url}.gz`);
        if (!response.ok) throw new Error(response.statusText);
        const bytes = await response.arrayBuffer();
        const [first, second] = new Uint8Array(bytes, 0, 2);
        if (first !== 0x1f || second !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        const unzip = new DecompressionStream("gzip");
        return JSON.parse(await new Response(new Blob([bytes]).stream().pipeThrough(unzip)).text());
      } catch (error) {
        console.warn(`kbgen: ${url}.gz could not be read (${error}); reading ${url}`);
      }
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: ${response.statusText}`);
    return response.json();
  }

  const data = (location.protocol === "file:"
    ? loadScript(new URL("kb_semantic.js", folder).href)
    : fetchJson(new URL("kb_semantic.json", folder).href)
  ).then(prepare).catch(error => {
    console.warn(`kbgen: search works without its semantic layer (${error})`);
    return null;
  });

  function prepare(raw) {
    if (!raw || raw.format !== 1) throw new Error("no semantic data of a known format");
    return {
      ...raw,
      stop: new Set(raw.stop),
      forms: raw.forms.map(([pattern, replacement]) => [new RegExp(pattern), replacement]),
      longest: Math.max(1, ...Object.keys(raw.phrases).map(p => p.split(" ").length)),
    };
  }

  const normal = text => text.toLowerCase().replace(/[’‘`]/g, "'");
  /* The words of a query as the build wrote them: Lunr's operators and fuzziness dropped. */
  const wordsOf = text => (normal(text).replace(/[~^][0-9]*/g, " ").match(/[a-z]+(?:'[a-z]+)?/g) || [])
    .map(w => w.replace(/'/g, ""));

  /* A word the table lacks may be there in another form ("apologising" → "apologizing"). */
  function row(table, word, forms) {
    if (table.words[word]) return table.words[word];
    for (const [pattern, replacement] of forms) {
      const other = word.replace(pattern, replacement);
      if (other !== word && table.words[other]) return table.words[other];
    }
    return null;
  }

  /* {pages: [{location, page, score}] best first, known: how many of the query's words the
     table knows}: the query's meaningful words' numbers, averaged over all of them. */
  function semanticPages(table, query) {
    const words = wordsOf(query);
    const totals = new Map();
    let meaningful = 0;
    let known = 0;
    let strongest = 0;  // the most any one of its words lifts a page
    for (let i = 0; i < words.length;) {
      let found = null;
      let length = 1;
      for (let n = Math.min(table.longest, words.length - i); n >= 2 && !found; n--) {
        const phrase = words.slice(i, i + n).join(" ");
        if (table.phrases[phrase]) { found = table.phrases[phrase]; length = n; }
      }
      const word = words[i];
      i += length;
      if (!found && (table.stop.has(word) || word.length < 2)) continue;
      meaningful++;
      found = found || row(table, word, table.forms);
      if (!found) continue;
      known++;
      for (let j = 0; j < found.length; j += 2) {
        if (table.pages[found[j]][0] !== null) strongest = Math.max(strongest, found[j + 1] / table.scale);
        totals.set(found[j], (totals.get(found[j]) || 0) + found[j + 1] / table.scale);
      }
    }
    const pages = [...totals].map(([page, total]) => ({
      location: table.pages[page][0], page, score: total / Math.max(meaningful, 1),
    })).sort((a, b) => b.score - a.score);
    return { pages, known, strongest };
  }

  // Material's titles come highlighted (<mark>): compared as words
  const plain = text => normal(text.replace(/<[^>]*>/g, "")).replace(/[^a-z0-9]+/g, " ").trim();

  /* Material's result with the semantic layer's pages merged in, and `kb.weak` when nothing
     fits well. */
  async function fuse(query, result) {
    const table = await data;
    if (!table || !result || !Array.isArray(result.items)) return result;
    const { pages: found, known, strongest } = semanticPages(table, query);
    // the topics no page covers count only towards "no page on this yet"
    let semantic = found.filter(page => page.location !== null).slice(0, SEMANTIC_PAGES);
    const offTopic = found.find(page => page.location === null);
    const lexical = result.items;
    const best = semantic.length ? semantic[0].score : 0;
    const asked = plain(query.replace(/[~^][0-9]*/g, ""));
    const titled = lexical.some(item => plain(item[0].title) === asked);
    const closer = offTopic !== undefined && offTopic.score >= best;
    // a query none of whose words the table knows (a typo, a name) is the words' to judge
    const weak = known > 0 && (best < table.weak || strongest < table.strong || closer) && !titled;
    // nothing matches its words and no page fits its meaning: no results (then the fuzzy
    // retry, then the situations), rather than pages that only look like an answer
    if (weak && !lexical.length) semantic = [];
    const score = new Map();
    const add = (location, value) => score.set(location, (score.get(location) || 0) + value);
    lexical.forEach((item, rank) => add(item[0].location, LEXICAL / (RRF + rank + 1)));
    semantic.forEach((page, rank) => add(page.location, SEMANTIC / (RRF + rank + 1)));
    const items = new Map(lexical.map(item => [item[0].location, item]));
    for (const page of semantic) {
      if (items.has(page.location)) continue;
      const [location, title, text] = table.pages[page.page];
      items.set(location, [{ location, title, text: text || "", score: 0, terms: {} }]);
    }
    for (const [location, item] of items) {
      if (plain(item[0].title) === asked) add(location, 10);  // its own title: first
    }
    const ranked = [...items.keys()].sort((a, b) => score.get(b) - score.get(a));
    api.last = { query: query.replace(/[~^][0-9]*/g, ""), weak, best, lexical: lexical.length };
    return { ...result, items: ranked.map(location => items.get(location)), kb: { weak, best } };
  }

  const api = { fuse, ready: data, last: null, pages: q => data.then(t => t && semanticPages(t, q).pages) };
  window.kbSemantic = api;
  if (typeof window.kbSemanticLoaded === "function") window.kbSemanticLoaded(api);
})();
