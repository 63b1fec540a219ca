/* kbgen: the site's inbox (kbgen/inbox/), as the pages use it. Linked only when the site is
   built with `inbox_url`; even then it does nothing from a file:// folder or when the page's
   head has no <meta name="kbgen-inbox">, and an inbox that cannot be reached costs a page
   nothing: every send has a timeout and its failure is shown or ignored, never thrown.

   - window.kbInbox.send(path, body)  POST JSON to /inbox/api/<path>; resolves to
                                      {ok, status, data} (status 0: not reached)
   - search gaps: the kb:search and kb:search-open events of kbgen-search.js, sent in a batch
     once the agent has stopped searching for a few seconds (no user, no cookie of ours);
   - "Did this help?" under techniques and situations (templates/_feedback.md.j2), shown only
     while the inbox answers. */
(() => {
  if (window.kbInbox) return;
  const TIMEOUT_MS = 8000;
  const QUIET_MS = 3000;

  function address() {
    const meta = document.querySelector('meta[name="kbgen-inbox"]');
    if (!meta || !meta.content || location.protocol === "file:") return null;
    try {
      return new URL(meta.content, location.href);
    } catch {
      return null;
    }
  }

  async function send(path, body, { keepalive = false } = {}) {
    const base = address();
    if (!base) return { ok: false, status: 0, data: {} };
    const stop = new AbortController();
    const timer = setTimeout(() => stop.abort(), TIMEOUT_MS);
    try {
      const response = await fetch(new URL(`api/${path}`, base), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
        cache: "no-store",
        keepalive,
        signal: stop.signal,
      });
      let data = {};
      try {
        data = await response.json();
      } catch {
        data = {};
      }
      return { ok: response.ok, status: response.status, data };
    } catch {
      return { ok: false, status: 0, data: {} };
    } finally {
      clearTimeout(timer);
    }
  }

  /* Whether the inbox answers: asked once per visit (instant navigation keeps the answer),
     and again on the next page after a failure. */
  let answering = null;
  function reachable() {
    if (!address()) return Promise.resolve(false);
    if (!answering) {
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), TIMEOUT_MS);
      answering = fetch(new URL("api/status", address()), { cache: "no-store", signal: stop.signal })
        .then(response => response.ok)
        .catch(() => false)
        .finally(() => clearTimeout(timer));
      answering.then(up => { if (!up) answering = null; });
    }
    return answering;
  }

  window.kbInbox = { address, send, reachable };
  if (!address()) return;

  /* Search gaps. The inbox drops queries its personal data checks flag; what plainly holds an
     e-mail address or a long number is not even sent. */
  const queue = [];
  const sent = new Set();
  let timer = null;
  const looksPersonal = query => /@|(?:\d[\s.\-()/]{0,3}){7,}/.test(query);

  function flush(keepalive = false) {
    clearTimeout(timer);
    while (queue.length) {
      const [path, body] = queue.shift();
      send(path, body, { keepalive });
    }
  }

  function later(path, body) {
    queue.push([path, body]);
    clearTimeout(timer);
    timer = setTimeout(flush, QUIET_MS);
  }

  document.addEventListener("kb:search", event => {
    const { query, found, retried } = event.detail || {};
    if (typeof query !== "string" || !query.trim() || looksPersonal(query)) return;
    const key = `${query.trim().toLowerCase()}\u0000${found > 0}`;
    if (sent.has(key)) return;
    sent.add(key);
    later("searches", { query: query.slice(0, 200), found: Number(found) || 0, retried: !!retried });
  });

  document.addEventListener("kb:search-open", event => {
    const { query, location: where, rank } = event.detail || {};
    if (typeof query !== "string" || !query.trim() || looksPersonal(query)) return;
    queue.push(["opens", { query: query.slice(0, 200), location: String(where), rank: Number(rank) || 1 }]);
    flush(true); // the page may be left right away: keepalive lets the request finish
  });

  addEventListener("pagehide", () => flush(true));
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") flush(true);
  });

  /* "Did this help?": one click sends the vote; a comment may follow it. */
  function setUpFeedback() {
    const form = document.getElementById("kb-feedback");
    if (!form || form.dataset.kbReady) return;
    form.dataset.kbReady = "1";
    const status = document.getElementById("kb-feedback-status");
    const more = form.querySelector(".kb-feedback__more");
    const comment = document.getElementById("kb-feedback-comment");
    const sendComment = document.getElementById("kb-feedback-send");
    const answers = [...form.querySelectorAll('button[name="helped"]')];
    let vote = null;
    reachable().then(up => { form.hidden = !up; }); // an inbox that is down asks nothing

    const say = text => { status.textContent = text; };
    const unreachable = "The handbook's inbox cannot be reached right now; nothing was sent.";

    for (const button of answers) {
      button.addEventListener("click", async () => {
        answers.forEach(b => { b.disabled = true; });
        button.setAttribute("aria-pressed", "true");
        const result = await send("feedback", { page: form.dataset.kbFeedback, helped: button.value === "yes" });
        if (result.ok && result.data.vote) {
          vote = result.data.vote;
          say("Thank you: your answer was sent to the trainers.");
          more.hidden = false;
          form.dataset.kbVoted = button.value;
        } else {
          answers.forEach(b => { b.disabled = false; });
          button.removeAttribute("aria-pressed");
          say(result.status === 0 ? unreachable : `Not sent: ${result.data.error || "the inbox refused it"}.`);
        }
      });
    }

    sendComment.addEventListener("click", async () => {
      const text = comment.value.trim();
      if (!vote || !text) return;
      sendComment.disabled = true;
      const result = await send("feedback", { vote, comment: text });
      sendComment.disabled = false;
      comment.removeAttribute("aria-invalid");
      if (result.ok) {
        more.hidden = true;
        say("Thank you: your comment was sent to the trainers.");
        form.dataset.kbCommented = "yes";
      } else if (result.status === 422 && Array.isArray(result.data.problems)) {
        comment.setAttribute("aria-invalid", "true");
        comment.setAttribute("aria-describedby", "kb-feedback-status");
        say(result.data.problems.map(p => `Not sent: ${p.what}. Fix: ${p.fix}.`).join(" "));
        comment.focus();
      } else {
        say(result.status === 0 ? unreachable : `Not sent: ${result.data.error || "the inbox refused it"}.`);
      }
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function")
    window.document$.subscribe(setUpFeedback);
  else document.addEventListener("DOMContentLoaded", setUpFeedback);
  setUpFeedback();
})();
