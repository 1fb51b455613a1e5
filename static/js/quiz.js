// Speed quiz behaviour: the countdown, keyboard answers, and asking the server when time is up.
// The server owns the clock; this only displays it (to the server's deadline: serverClock in
// app.js) and reports the end of the local countdown.
(() => {
  let timer = null;

  function card() { return document.getElementById("quiz-card"); }

  function refreshCard() {
    const el = card();
    if (!el) return;
    if (window.htmx) {
      htmx.ajax("GET", el.dataset.playUrl, { target: "#quiz-card", swap: "outerHTML" });
    } else {
      window.location.assign(el.dataset.playUrl);
    }
  }

  function startTimer() {
    if (timer) clearInterval(timer);
    const el = card();
    const box = el && el.querySelector(".timer");
    if (!box) return;
    const limit = Number(box.dataset.limitMs) || 1;
    const deadline = serverClock.deadlineOf(box);
    const bar = box.querySelector("progress");
    const label = box.querySelector(".seconds");
    timer = setInterval(() => {
      const left = serverClock.left(deadline);
      bar.value = left;
      box.style.setProperty("--left", String(Math.min(1, left / limit)));
      bar.max = limit;
      label.textContent = Math.ceil(left / 1000);
      box.classList.toggle("urgent", left < 5000);
      if (left <= 0) {
        clearInterval(timer);
        timer = null;
        el.querySelectorAll(".choices button, .choices input").forEach((b) => { b.disabled = true; });
        box.textContent = "Time's up…";
        // Wait out the server's grace period, then ask it to close the question.
        setTimeout(refreshCard, Number(el.dataset.graceMs || 1000) + 250);
      }
    }, 100);
  }

  document.addEventListener("keydown", (event) => {
    const el = card();
    if (!el || event.ctrlKey || event.metaKey || event.altKey) return;
    const form = el.querySelector("form.choices");
    if (!form) {
      if (event.key === "Enter" && el.querySelector("button.continue") && document.activeElement?.tagName !== "BUTTON") {
        el.querySelector("button.continue").click();
      }
      return;
    }
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

  // After an answer the verdict is what matters: bring its heading into view and give it the
  // focus (screen readers hear it; Enter still moves on), not the button at the card's end.
  function showVerdict() {
    const heading = card() && card().querySelector(".result h2");
    if (!heading) return false;
    heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
    heading.scrollIntoView({ block: "start", behavior: "instant" });
    announce(heading.textContent.replace(/\s+/g, " ").trim());
    return true;
  }

  // A new question swapped in: focus its heading (keys 1-6 still answer) and say which it is.
  function showQuestion(swapped) {
    const heading = card() && card().querySelector(".question-number");
    if (!heading || !card().querySelector("form.choices")) return;
    if (swapped) heading.focus({ preventScroll: true });
    announce(heading.textContent.trim());
  }

  document.addEventListener("DOMContentLoaded", () => { startTimer(); if (!showVerdict()) showQuestion(false); });
  document.addEventListener("htmx:afterSettle", () => { startTimer(); if (!showVerdict()) showQuestion(true); });
  // A choice button must travel with the form when htmx submits it.
  document.addEventListener("htmx:configRequest", (event) => {
    const submitter = event.detail.triggeringEvent && event.detail.triggeringEvent.submitter;
    if (submitter && submitter.name === "choice") event.detail.parameters.choice = submitter.value;
  });
})();
