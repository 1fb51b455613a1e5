// Live games. The server owns the clock and the game; this script shows what it pushes.
// - A websocket (data-ws on the board) brings each new version: phones get the room's board as
//   HTML plus their own line (filled into the data-me parts), the projector is told to re-read
//   its board and gets the answer count. While the socket is open the board's htmx polling is
//   held back; when it drops, polling takes over and the socket reconnects (then resyncs).
// - The countdown runs to the server's deadline (serverClock in app.js); keys 1-6 pick a tile.
(() => {
  let timer = null;
  let socket = null;
  let socketOpen = false;
  let retry = 500;

  function board() { return document.getElementById("live-board"); }

  function startTimer() {
    clearInterval(timer);
    const box = document.querySelector("#live-board .timer");
    if (!box || box.dataset.paused === "true") return;
    const deadline = serverClock.deadlineOf(box);
    const bar = box.querySelector("progress");
    const seconds = box.querySelector(".seconds");
    timer = setInterval(() => {
      const left = serverClock.left(deadline);
      if (bar) bar.value = left;
      if (bar) box.style.setProperty("--left", String(Math.min(1, left / (bar.max || 1))));
      if (seconds) seconds.textContent = Math.ceil(left / 1000);
      box.classList.toggle("urgent", left < 5000);
      if (left <= 0) clearInterval(timer);
    }, 200);
  }

  function set(root, name, text) {
    const el = root.querySelector(`[data-me="${name}"]`);
    if (el) el.textContent = text;
    return el;
  }

  // A player's own line, on a board rendered for the whole room.
  function applyLine(root, me) {
    if (!me) return;
    set(root, "nickname", me.nickname);
    set(root, "team", me.team ? `· Team ${me.team}` : "");
    set(root, "score", String(me.score));
    let standing = me.rank ? ` · rank ${me.rank}` : "";
    if (me.streak > 1) standing += ` · 🔥 streak ${me.streak}`;
    set(root, "standing", standing);
    set(root, "final", `You finished${me.rank ? " #" + me.rank : ""} with ${me.score} points.`);
    const form = root.querySelector('[data-me="form"]');
    const locked = root.querySelector('[data-me="locked"]');
    if (form) form.hidden = me.answered;
    if (locked) locked.hidden = !me.answered;
    const r = me.result;
    const section = root.querySelector('[data-me="result"]');
    if (!r || !section) return;
    section.classList.add(r.is_correct ? "is-correct" : "is-wrong");
    set(root, "verdict", r.is_correct ? "Correct" : (r.timed_out ? "Time's up" : "Not this time"));
    set(root, "points", `+${r.points}`);
    for (const choice of r.choices) {
      const li = section.querySelector(`li[data-key="${CSS.escape(choice.key)}"]`);
      if (!li) continue;
      li.classList.toggle("picked", choice.picked);
      const you = li.querySelector('[data-me="you"]');
      if (you) you.hidden = !choice.picked;
      if (choice.misconception && !li.querySelector(".misconception")) {
        const p = document.createElement("p");
        p.className = "misconception";
        p.textContent = choice.misconception;
        li.appendChild(p);
      }
    }
    // An ordering question: the player's own order beside the right one.
    const list = section.querySelector('[data-me="your-order"]');
    if (list && r.your_order && r.your_order.length) {
      list.replaceChildren(...r.your_order.map((step) => {
        const li = document.createElement("li");
        li.className = step.in_place ? "in-place" : "out-of-place";
        li.textContent = `${step.in_place ? "✔" : "✘"} ${step.text}`;
        if (!step.in_place) {
          const note = document.createElement("small");
          note.textContent = ` (belongs at ${step.place})`;
          li.appendChild(note);
        }
        return li;
      }));
      list.closest('[data-me="your-order-box"]').hidden = false;
    }
  }

  function show(message) {
    const current = board();
    if (!current) return;
    if (message.type === "board") {
      if (Number(current.dataset.version) > message.version) return;
      const holder = document.createElement("div");
      holder.innerHTML = message.html;
      const fresh = holder.firstElementChild;
      const box = fresh.querySelector(".timer");
      // The board's HTML is shared by the room and cached per version: its countdown takes the
      // time left and the moment it was measured from this message.
      if (box && message.remaining_ms !== null) {
        box.dataset.remainingMs = message.remaining_ms;
        box.dataset.serverNowMs = message.now_ms;
      }
      applyLine(fresh, message.me);
      current.replaceWith(fresh);
      htmx.process(fresh);
      startTimer();
      const heading = fresh.querySelector("[data-testid=verdict]");
      if (heading) heading.setAttribute("tabindex", "-1");
      // Say what changed: the player's verdict, or that a new question is open.
      if (heading && !heading.closest("[hidden]")) announce(heading.textContent.replace(/\s+/g, " ").trim());
      else if (fresh.querySelector(".answer-tiles:not([hidden])")) announce("New question: pick your answer");
    } else if (message.type === "changed") {
      if (Number(current.dataset.version) < message.version) htmx.trigger(current, "live:refresh");
    } else if (message.type === "answers") {
      const counter = current.querySelector("[data-testid=answers-in]");
      if (counter && Number(counter.dataset.number) === message.number) {
        counter.querySelector(".count").textContent = message.count;
      }
    } else if (message.type === "removed") {
      current.innerHTML = `<p class="notice" role="alert"></p>`;
      current.querySelector(".notice").textContent = message.detail;
    }
  }

  function connect() {
    const current = board();
    if (!current || !current.dataset.ws || !("WebSocket" in window)) return;
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(`${scheme}//${location.host}${current.dataset.ws}`);
    socket.addEventListener("open", () => {
      socketOpen = true;
      retry = 500;
      document.documentElement.dataset.livePush = "on";
    });
    socket.addEventListener("message", (event) => {
      const message = JSON.parse(event.data);
      serverClock.sample(message.now_ms);
      show(message);
    });
    socket.addEventListener("close", (event) => {
      socketOpen = false;
      document.documentElement.dataset.livePush = "off";
      if (event.code === 4404 || event.code === 4403) return;  // not (or no longer) ours
      if (event.code === 4503) {  // the server is restarting (apps.core.restart): come back now
        retry = 500;
        setTimeout(connect, 100 + Math.random() * 900);
        return;
      }
      setTimeout(connect, retry);  // reconnect; the server sends the whole state on connect
      retry = Math.min(retry * 2, 10000);
    });
  }

  // While pushes arrive, the board's polling stays quiet (an answer's POST still goes out).
  document.addEventListener("htmx:confirm", (event) => {
    const elt = event.detail.elt;
    if (socketOpen && elt && elt.id === "live-board" && event.detail.verb === "get" &&
        !(event.detail.triggeringEvent && event.detail.triggeringEvent.type === "live:refresh")) {
      event.preventDefault();
    }
  });

  document.addEventListener("DOMContentLoaded", () => {
    startTimer();
    connect();
  });
  document.addEventListener("htmx:afterSwap", startTimer);
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, textarea, select")) return;
    const n = Number(event.key);
    if (!(n >= 1 && n <= 6)) return;
    const tiles = document.querySelectorAll("#live-board .answer-tiles .tile");
    const tile = tiles[n - 1];
    if (!tile) return;
    if (tile.tagName === "BUTTON") tile.click();
    else { const box = tile.querySelector("input"); if (box) box.checked = !box.checked; }
  });
})();
