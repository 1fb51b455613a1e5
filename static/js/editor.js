// The question editor (templates/curation/question_form.html): show the answer section of the
// chosen type; in the preview, click a line of a hotspot's artifact to mark or unmark it as a
// key line, and move an ordering question's steps. Each edits the form's own field (key lines,
// steps) and asks for a fresh preview, so the form stays the one source of what is saved.
(() => {
  const form = () => document.getElementById("question-form");
  function showType() {
    const f = form();
    if (!f) return;
    const type = f.querySelector("[name=type]").value;
    f.querySelectorAll(".for-type").forEach((box) => {
      box.hidden = !box.dataset.types.split(" ").includes(type);
    });
  }
  function changed(field) { field.dispatchEvent(new Event("input", { bubbles: true })); }
  document.addEventListener("DOMContentLoaded", () => {
    showType();
    const type = form() && form().querySelector("[name=type]");
    if (type) type.addEventListener("change", showType);
  });
  document.addEventListener("click", (event) => {
    const toggle = event.target.closest(".line-toggle");
    if (toggle) {
      const field = form().querySelector("[name=key_lines]");
      const n = toggle.dataset.line;
      const lines = field.value.replace(/,/g, " ").split(/\s+/).filter(Boolean);
      const kept = lines.filter((x) => x !== n);
      field.value = (kept.length === lines.length ? [...lines, n] : kept)
        .sort((a, b) => Number(a) - Number(b)).join(", ");
      changed(field);
      if (window.announce) window.announce(`Key lines: ${field.value || "none"}`);
      return;
    }
    const move = event.target.closest(".editor-move");
    if (move) {
      const field = form().querySelector("[name=steps]");
      const steps = field.value.split("\n").map((s) => s.trim()).filter(Boolean);
      const i = Number(move.closest("[data-index]").dataset.index);
      const j = i + Number(move.dataset.by);
      if (j < 0 || j >= steps.length) return;
      [steps[i], steps[j]] = [steps[j], steps[i]];
      field.value = steps.join("\n");
      changed(field);
      if (window.announce) window.announce(`Step moved to place ${j + 1} of ${steps.length}`);
    }
  });
})();
