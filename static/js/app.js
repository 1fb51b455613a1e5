// The server's clock, as well as this page can know it (apps/core/clock.py). Samples of the
// server's time come with the page (<html data-server-now-ms>), every htmx response
// (X-Server-Now-Ms), every countdown (data-server-now-ms: when it was rendered) and pushed
// messages (now_ms). Each sample is the server's time minus this browser's at arrival, which is
// the true offset less the delay the sample took; the largest of the recent ones is the
// freshest, so a stale render cannot pull the clock back. A countdown runs to the deadline the
// server set (rendered at + remaining), whenever its HTML happens to be shown.
window.serverClock = (() => {
  const offsets = [];
  const sample = (serverNowMs) => {
    const at = Number(serverNowMs);
    if (!at) return;
    offsets.push(at - Date.now());
    if (offsets.length > 12) offsets.shift();
  };
  const now = () => Date.now() + (offsets.length ? Math.max(...offsets) : 0);
  const deadlineOf = (el, remaining = el.dataset.remainingMs) => {
    const rendered = Number(el.dataset.serverNowMs);
    sample(rendered);
    return (rendered || now()) + Number(remaining || 0);
  };
  const left = (deadline) => Math.max(0, deadline - now());
  sample(document.documentElement.dataset.serverNowMs);
  document.addEventListener("htmx:afterRequest", (event) => {
    const xhr = event.detail.xhr;
    if (xhr && xhr.getResponseHeader) sample(xhr.getResponseHeader("X-Server-Now-Ms"));
  });
  return { sample, now, deadlineOf, left };
})();

// One polite live region on every page (base.html): play pages say here what a swap brought in
// (a new question, a verdict), since a region that is itself swapped in is often not read out.
window.announce = (text) => {
  const region = document.getElementById("announcer");
  if (!region || !text) return;
  region.textContent = "";
  setTimeout(() => { region.textContent = text; }, 50);
};

// Phones: the main navigation collapses behind a Menu button (without this script the links
// simply stay listed). The button shows only where the CSS hides the links (narrow screens).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector(".menu-toggle button");
  const links = document.getElementById("nav-links");
  if (!button || !links) return;
  document.documentElement.classList.add("nav-collapsible");
  button.hidden = false;
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    links.classList.toggle("open", open);
  });
});

// Page behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    const box = document.getElementById("htmx-error");
    if (box) box.textContent = status === 0 ? "Connection lost. Retrying..." : `Request failed (${status}).`;
  });
});

// A challenge's waiting page: the match's websocket says the moment the friend accepts. The
// page's poll (every 2 s) is the fallback and is held back while the socket is open.
document.addEventListener("DOMContentLoaded", () => {
  const waiting = document.getElementById("waiting");
  if (!waiting || !waiting.dataset.wsUrl || !("WebSocket" in window)) return;
  const playUrl = waiting.dataset.playUrl;
  let open = false;
  let leaving = false;  // one navigation only: a poll firing as the socket closes must not abort it
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + waiting.dataset.wsUrl);
    socket.onopen = () => { open = true; document.documentElement.dataset.challengePush = "on"; };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.state && data.state.state !== "waiting" && !leaving) {
        leaving = true;
        location.assign(playUrl);
      }
    };
    socket.onclose = (event) => {
      open = false;
      if (leaving) return;
      // 4503: the server is restarting (apps.core.restart): come back at once.
      if (event.code !== 4404) setTimeout(connect, event.code === 4503 ? 100 + Math.random() * 900 : 2000);
    };
  };
  document.addEventListener("htmx:confirm", (event) => {
    if ((open || leaving) && event.detail.elt && event.detail.elt.id === "waiting") event.preventDefault();
  });
  connect();
});

// Optional sound: off by default, one toggle in the footer, remembered in this browser. A short
// tone when a verdict appears (higher for right, lower for wrong); nothing is fetched.
(() => {
  const KEY = "arena-sound";
  let audio = null;
  const enabled = () => { try { return localStorage.getItem(KEY) === "on"; } catch { return false; } };
  function tone(correct) {
    if (!enabled() || !window.AudioContext) return;
    audio = audio || new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = correct ? 880 : 220;
    gain.gain.setValueAtTime(0.08, audio.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.0001, audio.currentTime + 0.25);
    osc.connect(gain).connect(audio.destination);
    osc.start();
    osc.stop(audio.currentTime + 0.25);
  }
  function label(button) {
    const on = enabled();
    button.textContent = on ? "Sound: on" : "Sound: off";
    button.setAttribute("aria-pressed", on ? "true" : "false");
  }
  document.addEventListener("DOMContentLoaded", () => {
    const button = document.getElementById("sound-toggle");
    if (!button) return;
    button.hidden = false;
    label(button);
    button.addEventListener("click", () => {
      try { localStorage.setItem(KEY, enabled() ? "off" : "on"); } catch { /* private mode */ }
      label(button);
      if (enabled()) tone(true);
    });
    new MutationObserver((records) => {
      if (!enabled()) return;  // sound off (the default): no work per change of the page
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          const verdict = node.matches(".result.is-correct, .result.is-wrong") ? node
            : node.querySelector(".result.is-correct, .result.is-wrong");
          if (verdict) { tone(verdict.classList.contains("is-correct")); return; }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

// Time zones: sign-up takes the browser's own zone; Settings offers it in one click.
document.addEventListener("DOMContentLoaded", () => {
  let zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch { return; }
  if (!zone) return;
  document.querySelectorAll("input[data-browser-timezone]").forEach((input) => {
    if (!input.value) input.value = zone;
  });
  const button = document.querySelector("[data-use-browser-timezone]");
  const input = document.getElementById("id_timezone");
  if (!button || !input) return;
  button.textContent = `Use this browser's time zone (${zone})`;
  button.closest(".browser-timezone").hidden = input.value === zone;
  button.addEventListener("click", () => {
    input.value = zone;
    button.closest(".browser-timezone").hidden = true;
    input.focus();
  });
});

// "Find the line" and "order the steps" (templates/play/_choices.html), on every play page and
// on boards swapped in later (delegated listeners). Keyboard: in a hotspot, ↑/↓ move between
// lines (a radio group does so natively), Space picks, Enter submits; an ordering step moves
// with its arrow buttons or Alt+↑/↓ while focused, and Enter submits.
(() => {
  function submit(form) {
    const button = form.querySelector("button.submit-multiple");
    if (button) { if (form.requestSubmit) form.requestSubmit(button); else button.click(); }
  }
  function move(step, by) {
    const list = step.parentElement;
    const steps = [...list.children];
    const to = steps.indexOf(step) + by;
    if (to < 0 || to >= steps.length) return;
    if (by < 0) list.insertBefore(step, steps[to]); else list.insertBefore(step, steps[to].nextSibling);
    step.classList.add("moved");
    setTimeout(() => step.classList.remove("moved"), 400);
    const text = step.querySelector(".step-text").textContent.trim();
    if (window.announce) window.announce(`${text}: now step ${to + 1} of ${steps.length}`);
  }
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".order-step .move-up, .order-step .move-down");
    if (!button) return;
    const step = button.closest(".order-step");
    move(step, button.classList.contains("move-up") ? -1 : 1);
    button.focus();
  });
  document.addEventListener("keydown", (event) => {
    const step = event.target.closest && event.target.closest(".order-step");
    const line = event.target.closest && event.target.closest(".hotspot-lines");
    if (step && event.altKey && (event.key === "ArrowUp" || event.key === "ArrowDown")) {
      move(step, event.key === "ArrowUp" ? -1 : 1);
      step.focus();
      event.preventDefault();
    } else if ((step || line) && event.key === "Enter" && event.target.tagName !== "BUTTON") {
      submit(event.target.closest("form"));
      event.preventDefault();
    } else if (line && event.target.type === "checkbox" &&
               (event.key === "ArrowDown" || event.key === "ArrowUp")) {
      const boxes = [...line.querySelectorAll("input")];
      const next = boxes[boxes.indexOf(event.target) + (event.key === "ArrowDown" ? 1 : -1)];
      if (next) next.focus();
      event.preventDefault();
    }
  });
})();
