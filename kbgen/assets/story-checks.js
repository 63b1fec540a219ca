/* kbgen: the story checks of kbgen/stories/checks.py and normalise.py, step for step, for the
   "Share your story" page. The rules (patterns, word lists, the top-level domains and the
   look-alike letters) come from the same rules.yml, embedded in the page as JSON; a contract
   test runs the fixture table through both and compares them row by row. */
window.kbStoryChecks = (() => {
  const INVISIBLE = /[\p{Cf}\p{Cc}\p{Co}\p{Cs}]/u;
  const KEPT = new Set(["\n", "\t"]);
  const visible = ch => KEPT.has(ch) || !INVISIBLE.test(ch);
  const NAMED = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: " " };

  function entity(match, name) {
    const lower = name.toLowerCase();
    let code;
    if (lower.startsWith("#x")) code = parseInt(lower.slice(2), 16);
    else if (lower.startsWith("#")) code = parseInt(lower.slice(1), 10);
    else return NAMED[lower] !== undefined ? NAMED[lower] : match;
    return code > 0 && code < 0x110000 ? String.fromCodePoint(code) : "";
  }

  const UNDONE = [
    [/&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/g, (m, name) => entity(m, name)],
    [/\\([!-/:-@[-`{-~])/g, (m, p) => p],
    [/[*_`~]+/g, () => ""],
    [/[[({]\s*(\.|dot|at|@)\s*[\])}]/gi, (m, p) => (p === "." ? "." : ` ${p.toLowerCase()} `)],
  ];

  /* The text as the checks read it, and where each character came from. */
  function normalise(text, table) {
    const chars = [];
    const origin = [];
    let index = 0;
    for (const ch of text) {
      if (visible(ch)) {
        for (let piece of ch.normalize("NFKC")) {
          if (!visible(piece)) continue;
          piece = table[piece] || piece;
          if (/\s/.test(piece) && !KEPT.has(piece)) piece = " ";
          chars.push(piece);
          origin.push(index);
        }
      }
      index += ch.length;
    }
    let joined = chars.join("");
    let where = origin;
    for (const [pattern, replace] of UNDONE) {
      const parts = [];
      const next = [];
      let cursor = 0;
      pattern.lastIndex = 0;
      for (const m of joined.matchAll(pattern)) {
        parts.push(joined.slice(cursor, m.index));
        next.push(...where.slice(cursor, m.index));
        const fresh = replace(...m);
        parts.push(fresh);
        for (let i = 0; i < fresh.length; i++) next.push(where[m.index]);
        cursor = m.index + m[0].length;
      }
      parts.push(joined.slice(cursor));
      next.push(...where.slice(cursor));
      joined = parts.join("");
      where = next;
    }
    const lower = [...joined].map(c => (c.toLowerCase().length === c.length ? c.toLowerCase() : c)).join("");
    return { text: joined, lower, origin: where };
  }

  const compiled = new Map();
  function find(rules, section, name, norm) {
    const key = `${section}.${name}`;
    if (!compiled.has(key)) {
      const [[view, source]] = Object.entries(rules[section][name]);
      compiled.set(key, [view, new RegExp(source, "g")]);
    }
    const [view, pattern] = compiled.get(key);
    pattern.lastIndex = 0;
    return [...(view === "lower" ? norm.lower : norm.text).matchAll(pattern)];
  }

  const words = value => new Set(String(value).split(/\s+/).filter(Boolean));
  const masked = value => {
    const v = value.trim();
    return v.length > 4 ? v.slice(0, 3) + "…" : "…";
  };
  const digitsOf = value => value.replace(/\D/g, "");

  function luhn(number) {
    if (number.length < 13 || number.length > 19) return false;
    let total = 0;
    [...number].reverse().forEach((digit, i) => {
      const value = Number(digit) * (i % 2 ? 2 : 1);
      total += value > 9 ? value - 9 : value;
    });
    return total % 10 === 0;
  }

  function ibanValid(raw) {
    const compact = raw.replace(/\s/g, "").toUpperCase();
    if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(compact)) return false;
    const moved = compact.slice(4) + compact.slice(0, 4);
    let rest = 0;
    for (const ch of moved) {
      const value = /[A-Z]/.test(ch) ? String(ch.charCodeAt(0) - 55) : ch;
      for (const d of value) rest = (rest * 10 + Number(d)) % 97;
    }
    return rest === 1;
  }

  const SPOKEN = { zero: 1, oh: 1, nought: 1, one: 1, two: 1, three: 1, four: 1, five: 1,
                   six: 1, seven: 1, eight: 1, nine: 1, double: 1, triple: 2 };
  const spokenDigits = run => (run.match(/[a-z]+/g) || []).reduce((n, w) => n + (SPOKEN[w] || 0), 0);
  const PERSONAL = "personal data";

  function personalData(rules, norm) {
    const rule = rules.personal_data;
    const hits = [];
    const add = (m, what, fix, group = 0) => hits.push([m.index, m.index + m[0].length, PERSONAL, what, fix]);
    for (const name of ["email", "email_spelled"])
      for (const m of find(rules, "personal_data", name, norm))
        add(m, `an e-mail address (${masked(m[0])})`, "remove it; write 'the customer's e-mail' instead");
    const [, harmless] = [null, new RegExp(rule.harmless_number.lower)];
    for (const m of find(rules, "personal_data", "number_run", norm)) {
      const digits = digitsOf(m[0]);
      if (digits.length < rule.long_number_digits || harmless.test(m[0].trim())) continue;
      if (luhn(digits)) add(m, "a payment card number", "remove it; never copy card details");
      else add(m, `a long number (${masked(digits)}): an account, phone or ID number?`,
               "remove it; a story never needs the customer's numbers");
    }
    for (const m of find(rules, "personal_data", "labelled_number", norm)) {
      const value = m[1];
      if (digitsOf(value).length >= rule.labelled_min_digits && !harmless.test(value))
        add(m, `an account, order or reference number (${masked(value)})`,
            "remove the number; 'their order' is enough");
    }
    for (const m of find(rules, "personal_data", "iban", norm))
      if (ibanValid(m[0])) add(m, "a bank account number (IBAN)", "remove it; never copy bank details");
    for (const [name, what] of [["ssn", "a social security number"], ["ni_number", "an ID number"]])
      for (const m of find(rules, "personal_data", name, norm)) add(m, what, "remove it; never copy ID numbers");
    for (const m of find(rules, "personal_data", "number_words", norm))
      if (spokenDigits(m[0]) >= rule.number_word_digits)
        add(m, "a number read out in words", "remove it; write 'the customer's number' instead");
    for (const [name, what] of [["name_with_title", "a person's name"], ["name_introduced", "a person's name"],
                                ["street", "a street address"], ["postcode_uk", "a postcode"],
                                ["zip_us", "a postal address"]])
      for (const m of find(rules, "personal_data", name, norm))
        add(m, `${what} (${masked(m[0])})`, "remove it; 'the customer' or 'their address' is enough");
    return hits;
  }

  function spam(rules, norm) {
    const hits = [];
    const linkFix = "remove it: stories are read inside the handbook";
    for (const name of ["link", "domain_spelled"])
      for (const m of find(rules, "spam", name, norm))
        hits.push([m.index, m.index + m[0].length, "spam", `a web address (${m[0]})`, linkFix]);
    const tlds = new Set(rules.top_level_domains);
    const wordTlds = words(rules.word_tlds);
    for (const m of find(rules, "spam", "domain", norm)) {
      const typed = wordTlds.has(m[1]) && !/[\d-]/.test(m[0]);
      if (tlds.has(m[1]) && !typed)
        hits.push([m.index, m.index + m[0].length, "spam", `a web address (${m[0]})`, linkFix]);
    }
    for (const m of find(rules, "spam", "promotion", norm))
      hits.push([m.index, m.index + m[0].length, "spam", `promotional text ('${m[0]}')`,
                 "a story tells what happened on a call, not about a site or product"]);
    return hits;
  }

  function unsafe(rules, norm) {
    const hits = [];
    for (const [name, what] of [["html_tag", "HTML markup"], ["event_handler", "an HTML event handler"],
                                ["script_url", "a script link"]])
      for (const m of find(rules, "unsafe", name, norm))
        hits.push([m.index, m.index + m[0].length, "unsafe content", `${what} (${m[0].slice(0, 40)})`,
                   "remove it: a story is plain text; markup is never shown as markup"]);
    return hits;
  }

  function findings(rules, norm) {
    const hits = [...personalData(rules, norm), ...spam(rules, norm), ...unsafe(rules, norm)];
    hits.sort((a, b) => a[0] - b[0] || (b[1] - b[0]) - (a[1] - a[0]));
    const kept = [];
    for (const hit of hits) {
      const inside = kept.some(k => k[0] <= hit[0] && hit[1] <= k[1]);
      const sameKind = kept.some(k => k[0] <= hit[0] && hit[0] < k[1] && k[2] === hit[2]);
      if (!inside && !sameKind) kept.push(hit);
    }
    return kept;
  }

  function notAboutACall(rules, readable) {
    const spamRules = rules.spam;
    const found = readable.match(/[a-z']+/g) || [];
    const stems = words(spamRules.call_words);
    const lengths = [...new Set([...stems].map(s => s.length))];
    const callWords = found.filter(w => lengths.some(n => n <= w.length && stems.has(w.slice(0, n)))).length;
    if (found.length >= spamRules.min_words && callWords >= spamRules.min_call_words) return [];
    return [{ field: "body", start: 0, category: "spam", what: "this does not tell what happened on a call",
              fix: "say what the customer said, what you did and how it ended" }];
  }

  const STORY_FIELDS = ["title", "outcome", "lesson", "body"];

  /* Every finding in a story's fields ({field: text}), as kbgen/stories/checks.py finds them. */
  function checkFields(fields, rules) {
    const table = rules.look_alikes || {};
    const found = [];
    const readable = [];
    for (const [field, raw] of Object.entries(fields)) {
      const norm = normalise(String(raw || ""), table);
      for (const [start, , category, what, fix] of findings(rules, norm))
        found.push({ field, start: norm.origin.length ? norm.origin[start] : start, category, what, fix });
      if (STORY_FIELDS.includes(field)) readable.push(norm.lower);
    }
    found.push(...notAboutACall(rules, readable.join(" ")));
    const body = String(fields.body || "");
    if (body.length > rules.published_body_max)
      found.push({ field: "body", start: rules.published_body_max, category: "too long",
                   what: `the story is ${body.length.toLocaleString("en")} characters; a story is at most ${rules.published_body_max.toLocaleString("en")}`,
                   fix: "tell the one call that matters, in a few paragraphs" });
    const unique = new Map(found.map(f => [`${f.field}|${f.category}|${f.what}`, f]));
    return [...unique.values()];
  }

  const BLOCKING = new Set(["personal data", "spam", "unsafe content", "too long"]);
  const blocking = finding => BLOCKING.has(finding.category);

  return { normalise, checkFields, blocking };
})();
