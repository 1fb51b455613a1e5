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
  }

  function accept(html, newVersion) {
    if (newVersion < version) return; // an older push overtaken by a newer state
    version = newVersion;
    replaceBoard(html);
  }

  async function post(url) {
    const response = await fetch(url, { method: "POST", headers: { "X-CSRFToken": csrf(), "HX-Request": "true" }, credentials: "same-origin" });
    if (response.ok) {
      const html = await response.text();
      const v = Number((html.match(/data-version="(\d+)"/) || [])[1] || 0);
      accept(html, v);
    }
  }

  async function resync() {
    const response = await fetch(live.dataset.stateUrl, { headers: { "HX-Request": "true" }, credentials: "same-origin" });
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
      if (data.type === "html") accept(data.html, data.version);
    };
    socket.onclose = () => {
      if (board() && board().dataset.state === "finished") return;
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
      const endsAt = performance.now() + Number(box.dataset.remainingMs);
      const bar = box.querySelector("progress");
      const label = box.querySelector(".seconds");
      countdown = setInterval(() => {
        const left = Math.max(0, endsAt - performance.now());
        bar.value = left;
        label.textContent = Math.ceil(left / 1000);
        if (left <= 0) {
          clearInterval(countdown);
          el.querySelectorAll(".choices button, .choices input").forEach((b) => { b.disabled = true; });
          setTimeout(() => post(live.dataset.tickUrl), 1100);
        }
      }, 100);
    }
    const next = el.querySelector("[data-next-ms]");
    if (next) nextTimer = setTimeout(() => post(live.dataset.tickUrl), Number(next.dataset.nextMs) + 150);
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
  document.addEventListener("htmx:configRequest", (event) => {
    const submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    if (submitter && submitter.name === "choice") event.detail.parameters.choice = submitter.value;
  });
  setup();
  connect();
})();
