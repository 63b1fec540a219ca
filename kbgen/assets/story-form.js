/* kbgen: the "Share your story" page. Builds the story file in the browser and runs the same
   checks as the build (rules from kbgen/stories/rules.yml, phone numbers with libphonenumber).
   Nothing leaves the page: the file is downloaded or copied by the agent. */
(() => {
  const here = document.currentScript ? document.currentScript.src : "";
  const phoneLibrary = here.replace(/story-form\.js(\?.*)?$/, "libphonenumber-min.js");
  let phoneReady = null;

  function loadPhoneLibrary() {
    if (window.libphonenumber) return Promise.resolve(window.libphonenumber);
    if (!phoneReady) {
      phoneReady = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = phoneLibrary;
        script.onload = () => resolve(window.libphonenumber);
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return phoneReady;
  }

  const lineOf = (text, index) => text.slice(0, index).split("\n").length;
  const masked = value => (value.length > 4 ? value.slice(0, 3) + "…" : "…");
  const digits = value => value.replace(/\D/g, "");

  function luhn(number) {
    if (number.length < 13 || number.length > 19) return false;
    let total = 0;
    [...number].reverse().forEach((digit, i) => {
      let value = Number(digit) * (i % 2 ? 2 : 1);
      total += value > 9 ? value - 9 : value;
    });
    return total % 10 === 0;
  }

  function* matches(source, text) {
    const pattern = new RegExp(source, "gi");
    let match;
    while ((match = pattern.exec(text))) {
      yield match;
      if (match[0] === "") pattern.lastIndex++;
    }
  }

  /* The same findings as kbgen/stories/checks.py, in the same words. */
  function checkText(text, searchable, rules, phone) {
    const found = [];
    const add = (index, category, what, fix) =>
      found.push({ line: lineOf(text, index), category, what, fix });
    const data = rules.personal_data;
    for (const m of matches(data.email, text))
      add(m.index, "personal data", `an e-mail address (${masked(m[0])})`,
          "remove it; write 'the customer's e-mail' instead");
    const cards = [];
    for (const m of matches(data.card, text))
      if (luhn(digits(m[0]))) {
        cards.push([m.index, m.index + m[0].length]);
        add(m.index, "personal data", "a payment card number", "remove it; never copy card details");
      }
    const inCard = index => cards.some(([a, b]) => a <= index && index < b);
    if (phone) {
      const seen = new Set();
      for (const region of data.phone_regions)
        for (const hit of phone.findPhoneNumbersInText(text, { defaultCountry: region, leniency: "POSSIBLE" })) {
          const raw = text.slice(hit.startsAt, hit.endsAt);
          if (digits(raw).length >= data.phone_min_digits && !seen.has(hit.startsAt) && !inCard(hit.startsAt)) {
            seen.add(hit.startsAt);
            add(hit.startsAt, "personal data", `a phone number (${masked(raw)})`,
                "remove it; write 'the customer's number' instead");
          }
        }
    }
    for (const m of matches(data.labelled_number, text)) {
      const number = m[1];
      if (digits(number).length >= 3 && !inCard(m.index + m[0].lastIndexOf(number)))
        add(m.index, "personal data", `an account, order or ticket number (${masked(number)})`,
            "remove the number; 'their order' is enough");
    }
    const spam = rules.spam;
    const emails = [...matches(data.email, text)].map(m => [m.index, m.index + m[0].length]);
    for (const m of matches(spam.link, text))
      if (!emails.some(([a, b]) => a <= m.index && m.index < b))  // an address is reported once
        add(m.index, "spam", `a link to an outside site (${m[0]})`,
            "remove the link: stories are read inside the handbook");
    for (const m of matches(spam.promotion.map(p => `(?:${p})`).join("|"), text))
      add(m.index, "spam", `promotional text ('${m[0]}')`,
          "a story tells what happened on a call, not about a site or product");
    const words = searchable.toLowerCase().match(/[a-z']+/g) || [];
    const stems = spam.call_words.split(/\s+/);
    const callWords = words.filter(w => stems.some(s => w.startsWith(s))).length;
    if (words.length < spam.min_words || callWords < spam.min_call_words)
      add(0, "spam", "this does not tell what happened on a call",
          "say what the customer said, what you did and how it ended");
    const unsafe = rules.unsafe;
    for (const [key, what] of [["html_tag", "HTML markup"], ["event_handler", "an HTML event handler"],
                               ["script_url", "a javascript: link"]])
      for (const m of matches(unsafe[key], text))
        add(m.index, "unsafe content", `${what} (${m[0].slice(0, 40)})`,
            "it is shown as plain text, never run; remove it if it is not part of the story");
    const unique = new Map(found.map(f => [`${f.line}|${f.category}|${f.what}`, f]));
    return [...unique.values()].sort((a, b) => a.line - b.line || a.what.localeCompare(b.what));
  }

  function slug(text) {
    return text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "").slice(0, 60).replace(/-+$/, "") || "story";
  }

  function today() {
    const now = new Date();
    const pad = n => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function storyFile(form) {
    const value = name => (form.elements[name].value || "").trim();
    const checked = name => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map(i => i.value);
    const fields = {
      title: value("title"),
      author: value("author") || "anonymous",
      date: today(),
      channel: form.querySelector('input[name="channel"]:checked').value,
      situations: checked("situations"),
      techniques: checked("techniques"),
      outcome: value("outcome"),
      lesson: value("lesson"),
      body: value("body").replace(/\r\n?/g, "\n"),
    };
    const text = [
      "---",
      `title: ${JSON.stringify(fields.title)}`,
      `author: ${JSON.stringify(fields.author)}`,
      `date: ${fields.date}`,
      `channel: ${fields.channel}`,
      `situations: [${fields.situations.join(", ")}]`,
      `techniques: [${fields.techniques.join(", ")}]`,
      `outcome: ${JSON.stringify(fields.outcome)}`,
      `lesson: ${JSON.stringify(fields.lesson)}`,
      "status: submitted",
      "---",
      fields.body,
      "",
    ].join("\n");
    const missing = [];
    if (!fields.title) missing.push("a title");
    if (!fields.body) missing.push("what happened");
    if (!fields.techniques.length) missing.push("at least one technique");
    if (!fields.outcome) missing.push("how it ended");
    if (!fields.lesson) missing.push("the lesson");
    const searchable = [fields.title, fields.outcome, fields.lesson, fields.body].join(" ");
    return { fields, text, missing, searchable, name: `${fields.date}-${slug(fields.title)}.md` };
  }

  function render(container, story, findings) {
    const list = document.createElement("ul");
    for (const f of findings) {
      const item = document.createElement("li");
      item.className = `kb-share__finding kb-share__finding--${f.category.replace(/\s+/g, "-")}`;
      item.textContent = `Line ${f.line}: ${f.category}: ${f.what}. Fix: ${f.fix}.`;
      list.appendChild(item);
    }
    const blocking = findings.filter(f => f.category === "personal data" || f.category === "spam");
    const status = document.createElement("p");
    status.className = "kb-share__status";
    if (story.missing.length) status.textContent = `Still needed: ${story.missing.join(", ")}.`;
    else if (blocking.length) status.textContent = "Not ready: fix the findings below; the handbook would not publish this story.";
    else status.textContent = "Ready to send: no personal data or spam found.";
    container.replaceChildren(status, ...(findings.length ? [list] : []));
    return !story.missing.length && !blocking.length;
  }

  function setUp() {
    const form = document.getElementById("kb-share");
    if (!form || form.dataset.kbReady) return;
    form.dataset.kbReady = "1";
    const rules = JSON.parse(document.getElementById("kb-story-rules").textContent);
    const output = document.getElementById("kb-share-file");
    const name = document.getElementById("kb-share-name");
    const checks = document.getElementById("kb-share-checks");
    const download = document.getElementById("kb-share-download");
    const copy = document.getElementById("kb-share-copy");
    let phone = null;
    let current = null;

    const update = () => {
      current = storyFile(form);
      output.textContent = current.text;
      name.textContent = current.name;
      const findings = checkText(current.text, current.searchable, rules, phone);
      const ready = render(checks, current, findings);
      download.disabled = copy.disabled = !ready;
      form.dataset.kbChecked = phone ? "with-phone" : "without-phone";
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    download.addEventListener("click", () => {
      const url = URL.createObjectURL(new Blob([current.text], { type: "text/markdown" }));
      const link = Object.assign(document.createElement("a"), { href: url, download: current.name });
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    });
    update();
    loadPhoneLibrary().then(library => { phone = library; update(); }, () => {
      checks.insertAdjacentHTML("beforeend",
        "<p>Phone numbers could not be checked here; the trainer's check will catch them.</p>");
    });
  }

  // The page links this script, so instant loading runs it on every visit: subscribe once.
  if (!window.kbStoryForm) {
    window.kbStoryForm = true;
    if (window.document$ && typeof window.document$.subscribe === "function")
      window.document$.subscribe(() => setUp());
    else document.addEventListener("DOMContentLoaded", setUp);
  }
  setUp();
})();
