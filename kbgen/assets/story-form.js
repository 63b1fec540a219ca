/* kbgen: the "Share your story" page. Builds the story file in the browser and runs the same
   checks as the build (story-checks.js, with the rules of kbgen/stories/rules.yml). The file is
   downloaded or copied by the agent; when the site has an inbox (kbgen-inbox.js, a
   <meta name="kbgen-inbox"> in the head), a "Send to your trainer" button sends the story there
   instead, and the inbox checks it again: it answers with a receipt, or with problems shown at
   their fields. An inbox that cannot be reached falls back to the download. */
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
    let inbox = null;

    const update = () => {
      current = storyFile(form);
      output.textContent = current.text;
      name.textContent = current.name;
      const { title, author, outcome, lesson, body } = current.fields;
      const findings = window.kbStoryChecks.checkFields({ title, author, outcome, lesson, body }, rules);
      const ready = render(checks, current, findings);
      download.disabled = copy.disabled = !ready;
      if (inbox) inbox.changed(ready, current.text);
      form.dataset.kbChecked = "yes";
    };
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    inbox = setUpSending(form, () => current, checks, download);
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

  /* Sending to the inbox: only when the page's head names one, and never from a folder. */
  const CONTROLS = { title: "kb-share-title", body: "kb-share-body", outcome: "kb-share-outcome",
                     lesson: "kb-share-lesson", author: "kb-share-author" };

  function control(form, field) {
    if (CONTROLS[field]) return document.getElementById(CONTROLS[field]);
    const choice = form.querySelector(`input[name="${field}"]`);
    return choice ? choice.closest("fieldset") : null;
  }

  function submissionKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return [...bytes].map(b => b.toString(16).padStart(2, "0")).join("");
  }

  function setUpSending(form, story, checks, download) {
    if (!document.querySelector('meta[name="kbgen-inbox"]') || location.protocol === "file:") return null;
    const row = document.createElement("p");
    const send = Object.assign(document.createElement("button"), {
      type: "button", id: "kb-share-send", className: "md-button md-button--primary",
      textContent: "Send to your trainer", disabled: true,
    });
    const receipt = Object.assign(document.createElement("p"), { id: "kb-share-receipt", className: "kb-share__receipt" });
    receipt.setAttribute("role", "status");
    row.appendChild(send);
    download.closest("p").before(row, receipt);
    download.classList.remove("md-button--primary");
    const summary = document.querySelector(".md-content .kb-summary");
    if (summary) summary.textContent = "Had a hard call that went well, or taught you something? Fill this in. The page checks your story as you type, with the same checks the handbook runs before publishing. Send it to your trainer with the button below, or download the file and pass it on yourself.";
    let key = "";
    let keyFor = null; // the story text the key was made for: a resend of it is kept once
    let sending = false;
    let ready = false;

    const clearProblems = () => {
      for (const old of form.querySelectorAll(".kb-share__problem")) old.remove();
      for (const marked of form.querySelectorAll("[aria-invalid]")) {
        marked.removeAttribute("aria-invalid");
        marked.removeAttribute("aria-describedby");
      }
    };

    const showProblems = problems => {
      clearProblems();
      const list = document.createElement("ul");
      let first = null;
      for (const p of problems) {
        const text = `${LABELS[p.field] || p.field || "The story"}: ${p.what}. Fix: ${p.fix}.`;
        const item = document.createElement("li");
        item.className = "kb-share__finding";
        item.textContent = text;
        list.appendChild(item);
        const at = p.field ? control(form, p.field) : null;
        if (!at) continue;
        const note = Object.assign(document.createElement("p"), {
          className: "kb-share__problem", id: `kb-share-problem-${p.field}`, textContent: text,
        });
        note.dataset.field = p.field;
        (at.tagName === "FIELDSET" ? at : at.closest("p") || at).after(note);
        at.setAttribute("aria-invalid", "true");
        at.setAttribute("aria-describedby", note.id);
        first = first || at;
      }
      const status = Object.assign(document.createElement("p"), {
        className: "kb-share__status",
        textContent: "Not sent: the handbook's inbox found problems. Fix them at the fields marked, then send again.",
      });
      checks.replaceChildren(status, list);
      receipt.textContent = "Not sent: fix the problems shown at the fields.";
      if (first) (first.tagName === "FIELDSET" ? first.querySelector("input") : first).focus();
    };

    const fallBack = why => {
      receipt.textContent = `${why} Download the file below and send it to your trainer.`;
      form.dataset.kbSendFailed = "yes";
      download.focus();
    };

    send.addEventListener("click", async () => {
      const current = story();
      if (!ready || sending || !current) return;
      if (!window.kbInbox) return fallBack("The handbook's inbox cannot be reached right now.");
      sending = true;
      send.disabled = true;
      receipt.textContent = "Sending…";
      const { title, author, channel, situations, techniques, outcome, lesson, body } = current.fields;
      const result = await window.kbInbox.send("stories", {
        title, author, channel, situations, techniques, outcome, lesson, body, submission: key,
      });
      sending = false;
      if (result.ok && result.data.receipt) {
        clearProblems();
        receipt.replaceChildren("Sent. Your receipt is ", Object.assign(document.createElement("strong"), { textContent: result.data.receipt }),
          ": quote it if you ask your trainer about your story.");
        form.dataset.kbSent = result.data.receipt;
        return; // sent: the button stays off until the story changes
      }
      send.disabled = !ready;
      if (result.status === 422 && Array.isArray(result.data.problems)) showProblems(result.data.problems);
      else if (result.status === 429) fallBack("Too many stories were sent from here just now: wait a minute and send again, or");
      else fallBack("The handbook's inbox cannot be reached right now.");
    });

    return {
      changed(isReady, text) {
        ready = isReady;
        if (text === keyFor) return; // a change event without a change: keep what is shown
        keyFor = text;
        key = submissionKey();
        delete form.dataset.kbSent;
        delete form.dataset.kbSendFailed;
        if (!sending) receipt.textContent = "";
        clearProblems();
        send.disabled = !ready || sending;
      },
    };
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
