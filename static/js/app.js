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
  const connect = () => {
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const socket = new WebSocket(scheme + location.host + waiting.dataset.wsUrl);
    socket.onopen = () => { open = true; document.documentElement.dataset.challengePush = "on"; };
    socket.onmessage = (event) => {
      const data = JSON.parse(event.data);
      if (data.state && data.state.state !== "waiting") location.assign(playUrl);
    };
    socket.onclose = (event) => {
      open = false;
      // 4503: the server is restarting (apps.core.restart): come back at once.
      if (event.code !== 4404) setTimeout(connect, event.code === 4503 ? 100 + Math.random() * 900 : 2000);
    };
  };
  document.addEventListener("htmx:confirm", (event) => {
    if (open && event.detail.elt && event.detail.elt.id === "waiting") event.preventDefault();
  });
  connect();
});
