// Reflection autosave (htmx posts the text): say so when a save fails for a reason other than
// a session that ended (static/js/drafts.js keeps the text then and says so). On every form
// marked data-warn-unsaved (the group task, ambition, initiatives), warn before leaving the
// page while typed text is not saved yet; an autosaved reflection is kept in the browser
// until saved, so leaving it loses nothing. The page works without this file.
(function () {
  "use strict";
  var unsaved = false;

  document.addEventListener("input", function (event) {
    if (event.target.closest("[data-warn-unsaved]")) { unsaved = true; }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var field = event.detail.elt;
    if (!field.closest || !field.closest("[data-autosave]")) { return; }
    var status = document.getElementById("reflection-status");
    if (!event.detail.successful && status && event.detail.xhr.status !== 401) {
      status.textContent = field.getAttribute("data-save-error");
      status.classList.add("save-status--error");
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.matches("[data-warn-unsaved]")) { unsaved = false; }
  });

  window.addEventListener("beforeunload", function (event) {
    if (unsaved) { event.preventDefault(); event.returnValue = ""; }
  });
})();
