// Live games: the countdown runs from the server's remaining time (the server decides the
// close), and keys 1-6 pick a tile. Boards are replaced by htmx polling; timers restart then.
(() => {
  let timer = null;
  function start() {
    clearInterval(timer);
    const box = document.querySelector("#live-board .timer");
    if (!box || box.dataset.paused === "true") return;
    const end = Date.now() + Number(box.dataset.remainingMs || 0);
    const bar = box.querySelector("progress");
    const seconds = box.querySelector(".seconds");
    timer = setInterval(() => {
      const left = Math.max(0, end - Date.now());
      if (bar) bar.value = left;
      if (seconds) seconds.textContent = Math.ceil(left / 1000);
      box.classList.toggle("urgent", left < 5000);
      if (left <= 0) clearInterval(timer);
    }, 200);
  }
  document.addEventListener("DOMContentLoaded", start);
  document.addEventListener("htmx:afterSwap", start);
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
