// Reflection autosave (htmx posts the text): say so when a save fails, and why when the server
// refused the text (too long, a NUL character); a session that ended is left to
// static/js/drafts.js, which keeps the text and says so. On every form marked
// data-warn-unsaved (the group task, ambition, initiatives), warn before leaving the page while
// typed text is not saved yet; an autosaved reflection is kept in the browser until saved, so
// leaving it loses nothing. The page works without this file.
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
    if (event.detail.successful) {
      if (status) { status.classList.remove("save-status--error"); }
    } else if (status && event.detail.xhr.status !== 401) {
      // The server's refusal (a 4xx with "Not saved: ..." and why) says more than the
      // connection message; either way the text stays in the field and is not marked saved.
      var xhr = event.detail.xhr;
      var refusal = "";
      if (xhr && xhr.status >= 400 && xhr.status < 500 && xhr.responseText) {
        refusal = new DOMParser().parseFromString(xhr.responseText, "text/html")
          .body.textContent.trim();
      }
      status.textContent = refusal || field.getAttribute("data-save-error");
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
