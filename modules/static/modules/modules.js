// Reflection autosave (htmx posts the text): say so when a save fails. On every form marked
// data-autosave or data-warn-unsaved (the group task, ambition, initiatives), warn before
// leaving the page while typed text is not saved yet. The page works without this file.
(function () {
  "use strict";
  var unsaved = false;

  document.addEventListener("input", function (event) {
    if (event.target.closest("[data-autosave], [data-warn-unsaved]")) { unsaved = true; }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var field = event.detail.elt;
    if (!field.closest || !field.closest("[data-autosave]")) { return; }
    var status = document.getElementById("reflection-status");
    if (event.detail.successful) {
      unsaved = false;
      if (status) { status.classList.remove("save-status--error"); }
    } else if (status) {
      status.textContent = field.getAttribute("data-save-error");
      status.classList.add("save-status--error");
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-autosave], [data-warn-unsaved]")) { unsaved = false; }
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
})();
