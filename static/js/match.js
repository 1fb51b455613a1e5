// Head-to-head page: live board over a websocket, server-owned clock, keyboard answers.
// Every push carries the match version; older pushes are ignored, and after a reconnect the
// page re-fetches the whole state. When the local countdown ends the page asks the server,
// which checks the deadline itself.
(() => {
  const live = document.getElementById("match-live");
  if (!live) return;
  let version = 0;
  let socket = null;
  let retry = 0;
  let countdown = null;
  let nextTimer = null;

  const csrf = () => {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch { return ""; }
  };
  const board = () => document.getElementById("match-board");

  function replaceBoard(html) {
    const current = board();
    const holder = document.createElement("div");
    holder.innerHTML = html.trim();
    const fresh = holder.firstElementChild;
    if (!current || !fresh) return;
    current.replaceWith(fresh);
    if (window.htmx) htmx.process(fresh);
    setup();
    say(fresh);
  }

  // Tell screen readers what the new board brought: the end, a verdict, or a new round.
  function say(el) {
    const text = (selector) => (el.querySelector(selector)?.textContent || "").replace(/\s+/g, " ").trim();
    if (el.dataset.state === "finished") announce(text(".match-end h2"));
    else if (el.querySelector("[data-testid=verdict]")) announce(text("[data-testid=verdict]"));
    else if (el.querySelector("form.choices")) announce(text(".vs"));
  }

  function accept(html, newVersion) {
    if (newVersion < version) return; // an older push overtaken by a newer state
    version = newVersion;
    replaceBoard(html);
  }

  // A line above the board that says what the page is doing about a lost connection.
  function status(text) {
    let line = document.getElementById("match-connection");
    if (!line) {
      line = document.createElement("p");
      line.id = "match-connection";
      line.className = "notice";
      line.setAttribute("role", "status");
      live.prepend(line);
    }
    line.textContent = text;
    line.hidden = !text;
  }

  // POST and show the board it returns; on a network error or a server error, say so and try
  // again with backoff until it goes through. Every POST here is idempotent on the server (a
  // tick re-checks the clock; a repeated answer returns the stored one), so retrying is safe.
  async function post(url, body = null, attempt = 0) {
    try {
      const response = await fetch(url, {
        method: "POST", body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf(), "HX-Request": "true" },
      });
      serverClock.sample(response.headers.get("X-Server-Now-Ms"));
      if (response.ok || response.status === 400 || response.status === 409) {
        const html = await response.text();
        status("");
        accept(html, Number((html.match(/data-version="(\d+)"/) || [])[1] || 0));
        return;
      }
      if (response.status === 404 || response.status === 403) { status(""); return; }
    } catch (error) { /* offline: retried below */ }
    status(body ? "Your answer has not reached the server yet: retrying…"
                : "Connection lost: retrying…");
    setTimeout(() => post(url, body, attempt + 1), Math.min(5000, 500 * 2 ** attempt));
  }

  async function resync() {
    const response = await fetch(live.dataset.stateUrl, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
    serverClock.sample(response.headers.get("X-Server-Now-Ms"));
    if (response.ok) {
      const html = await response.text();
      version = 0; // the server's answer is the truth after a gap
      accept(html, Number((html.match(/data-version="(\d+)"/) || [])[1] || 0));
    }
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + live.dataset.wsUrl);
    socket.onopen = () => { if (retry > 0) resync(); retry = 0; };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      serverClock.sample(data.now_ms);
      if (data.type === "html") accept(data.html, data.version);
    };
    socket.onclose = (event) => {
      if (board() && board().dataset.state === "finished") return;
      if (event.code === 4503) {  // the server is restarting (apps.core.restart): come back now,
        retry = 1;                // spread over a second, and resync on open
        setTimeout(connect, 100 + Math.random() * 900);
        return;
      }
      retry += 1;
      setTimeout(connect, Math.min(5000, 250 * 2 ** retry));
    };
  }

  function setup() {
    const el = board();
    if (!el) return;
    version = Math.max(version, Number(el.dataset.version));
    if (countdown) clearInterval(countdown);
    if (nextTimer) clearTimeout(nextTimer);
    const box = el.querySelector(".timer");
    if (box) {
      const deadline = serverClock.deadlineOf(box);
      const bar = box.querySelector("progress");
      const label = box.querySelector(".seconds");
      countdown = setInterval(() => {
        const left = serverClock.left(deadline);
        bar.value = left;
        box.style.setProperty("--left", String(Math.min(1, left / (bar.max || 1))));
        label.textContent = Math.ceil(left / 1000);
        if (left <= 0) {
          clearInterval(countdown);
          el.querySelectorAll(".choices button, .choices input").forEach((b) => { b.disabled = true; });
          setTimeout(() => post(live.dataset.tickUrl), 1100);
        }
      }, 100);
    }
    const next = el.querySelector("[data-next-ms]");
    if (next) {
      // The pause between rounds counts down visibly, then the page asks for the next round.
      const at = serverClock.deadlineOf(next, next.dataset.nextMs);
      const label = next.querySelector(".next-seconds");
      nextTimer = setTimeout(() => post(live.dataset.tickUrl), serverClock.left(at) + 150);
      if (label) {
        const between = setInterval(() => {
          if (!label.isConnected) { clearInterval(between); return; }
          label.textContent = Math.ceil(serverClock.left(at) / 1000);
        }, 200);
      }
    }
  }

  document.addEventListener("keydown", (event) => {
    const form = board() && board().querySelector("form.choices");
    if (!form || event.ctrlKey || event.metaKey || event.altKey) return;
    const digit = Number(event.key);
    if (digit >= 1 && digit <= 6) {
      if (form.dataset.type === "multiple") {
        const box = form.querySelectorAll("input[type=checkbox]")[digit - 1];
        if (box) box.checked = !box.checked;
      } else {
        const button = form.querySelectorAll("button.choice")[digit - 1];
        if (button) button.click();
      }
      event.preventDefault();
    } else if (event.key === "Enter" && form.dataset.type === "multiple") {
      form.querySelector("button.submit-multiple").click();
      event.preventDefault();
    }
  });
  document.addEventListener("htmx:afterSettle", setup);
  // An answer sent while offline is not lost: tell the player and send it again until it lands.
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form.choices");
    if (!form || !board() || !board().contains(form)) return;
    const body = new FormData(form);
    const submitter = event.detail.requestConfig && event.detail.requestConfig.parameters;
    if (submitter && submitter.choice && !body.getAll("choice").length) body.append("choice", submitter.choice);
    post(form.getAttribute("hx-post"), body);
  });
  window.addEventListener("online", () => { status(""); resync(); });
  document.addEventListener("htmx:configRequest", (event) => {
    const submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    if (submitter && submitter.name === "choice") event.detail.parameters.choice = submitter.value;
  });
  setup();
  connect();
})();
