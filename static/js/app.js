// Page behaviour without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("DOMContentLoaded", () => {
  document.body.addEventListener("htmx:responseError", (event) => {
    const status = event.detail.xhr.status;
    const box = document.getElementById("htmx-error");
    if (box) box.textContent = status === 0 ? "Connection lost. Retrying..." : `Request failed (${status}).`;
  });
});
