/* kbgen: the "Share your story" page. Builds the story file in the browser and runs the same
   checks as the build (story-checks.js, with the rules of kbgen/stories/rules.yml). Nothing
   leaves the page: the file is downloaded or copied by the agent. */
(() => {
  const LABELS = { title: "Title", author: "Your name", outcome: "How it ended", lesson: "The lesson",
                   body: "What happened" };

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
    return { fields, text, missing, name: `${fields.date}-${slug(fields.title)}.md` };
  }

  function render(container, story, findings) {
    const list = document.createElement("ul");
    for (const f of findings) {
      const item = document.createElement("li");
      item.className = `kb-share__finding kb-share__finding--${f.category.replace(/\s+/g, "-")}`;
      item.textContent = `${LABELS[f.field] || f.field}: ${f.category}: ${f.what}. Fix: ${f.fix}.`;
      list.appendChild(item);
    }
    const blocking = findings.filter(window.kbStoryChecks.blocking);
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
    let current = null;

    const update = () => {
      current = storyFile(form);
      output.textContent = current.text;
      name.textContent = current.name;
      const { title, author, outcome, lesson, body } = current.fields;
      const findings = window.kbStoryChecks.checkFields({ title, author, outcome, lesson, body }, rules);
      const ready = render(checks, current, findings);
      download.disabled = copy.disabled = !ready;
      form.dataset.kbChecked = "yes";
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
