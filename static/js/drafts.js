// Nothing typed is lost when a session ends while someone writes (tenancy/sessions.py).
// Each autosaved field (marked data-draft) keeps what is typed in this browser's
// localStorage, per person, page and field, until the server has saved that very value.
// A save answered with 401 says so next to the field, with a link to sign in again that comes
// back to the page; back on the page, a kept value newer than the server's copy is put back
// and saved. Signing out with the button forgets the person's kept values.
(function () {
  "use strict";
  var body = document.body;
  var person = body.getAttribute("data-person");
  if (!person) { return; }
  var PREFIX = "bro-draft:" + person + ":";
  var MAX_AGE_SECONDS = 30 * 24 * 3600;
  // The page says the server's time, so a kept value and the server's "saved at" compare
  // on one clock even when this device's clock is off.
  var skewMs = Number(body.getAttribute("data-now")) * 1000 - Date.now();

  function serverNow() { return (Date.now() + skewMs) / 1000; }
  function fieldOf(element) { return element && element.closest ? element.closest("[data-draft]") : null; }
  function keyOf(field) { return PREFIX + location.pathname + ":" + field.getAttribute("data-draft"); }

  // A field is a text box, an element holding one group of radio buttons, or a radio button
  // standing for its whole group (the test's table of steps, where a group spans the rows).
  function radiosOf(field) {
    if (field.matches("input[type=radio]")) {
      return Array.prototype.filter.call(field.form.elements, function (element) {
        return element.type === "radio" && element.name === field.name;
      });
    }
    return Array.prototype.slice.call(field.querySelectorAll("input[type=radio]"));
  }

  function chosenOf(field) {
    return radiosOf(field).filter(function (radio) { return radio.checked; })[0] || null;
  }

  function valueOf(field) {
    if (field.matches("textarea, input:not([type=radio])")) { return field.value; }
    var chosen = chosenOf(field);
    return chosen ? chosen.value : "";
  }

  function putBack(field, value) {
    if (field.matches("textarea, input:not([type=radio])")) { field.value = value; return; }
    radiosOf(field).forEach(function (radio) { radio.checked = radio.value === value; });
  }

  function read(key) {
    try { return JSON.parse(localStorage.getItem(key)); } catch (error) { return null; }
  }
  function write(key, draft) {
    try { localStorage.setItem(key, JSON.stringify(draft)); } catch (error) { /* full or off */ }
  }
  function forget(key) {
    try { localStorage.removeItem(key); } catch (error) { /* off */ }
  }

  function statusOf(field) {
    var target = field.getAttribute("hx-target");
    return target ? document.querySelector(target) : null;
  }

  function showMessage(field, templateId) {
    var status = statusOf(field);
    var template = document.getElementById(templateId);
    if (!status || !template) { return; }
    status.replaceChildren(template.content.cloneNode(true));
    status.classList.add("save-status--error");
  }

  function keep(event) {
    var field = fieldOf(event.target);
    if (field) { write(keyOf(field), {value: valueOf(field), at: serverNow()}); }
  }
  document.addEventListener("input", keep);
  document.addEventListener("change", keep);

  document.addEventListener("htmx:beforeRequest", function (event) {
    var field = fieldOf(event.detail.elt);
    if (field) { field.broSending = valueOf(field); }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var field = fieldOf(event.detail.elt);
    if (!field) { return; }
    if (event.detail.xhr && event.detail.xhr.status === 401) {
      showMessage(field, "session-ended");
    } else if (event.detail.successful && valueOf(field) === field.broSending) {
      forget(keyOf(field));
      var status = statusOf(field);
      if (status) { status.classList.remove("save-status--error"); }
    }
  });

  document.addEventListener("submit", function (event) {
    if (!event.target.matches("[data-sign-out]")) { return; }
    Object.keys(localStorage).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0) { forget(key); }
    });
  });

  function restore() {
    var seen = {};
    document.querySelectorAll("[data-draft]").forEach(function (field) {
      var key = keyOf(field);
      if (seen[key]) { return; }  // the other radio buttons of a group already restored
      seen[key] = true;
      var draft = read(key);
      if (!draft) { return; }
      var savedAt = Number(field.getAttribute("data-draft-saved-at") || 0);
      if (draft.value === valueOf(field) || draft.at <= savedAt
          || draft.at < serverNow() - MAX_AGE_SECONDS) {
        forget(key);
        return;
      }
      putBack(field, draft.value);
      // a radio button sends its group: the one now chosen
      if (field.matches("input[type=radio]")) { field = chosenOf(field) || field; }
      showMessage(field, "draft-restored");
      if (window.htmx) { window.htmx.trigger(field, "change"); }
    });
  }
  // After htmx has set up the page (its own DOMContentLoaded handler runs first).
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(restore, 0); });
})();
