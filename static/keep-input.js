// Nothing typed is lost on a page with several forms (lesson pages load this; they hold
// a form per question): text typed into one form survives sending another, because each text
// field's value is kept in this tab's sessionStorage until its own form is sent.
// The server keeps what a refused or invalid form posted (web/kept_forms.py); this only
// covers what was never posted. Keys hold the signed-in user's name (as the header shows
// it), so another person in the same tab never sees it; signing out forgets it all.
// Also moves the focus to an error summary the page opens with, if the browser did not.
(function () {
  "use strict";
  var PREFIX = "learning-typed:";
  var store;
  try {
    store = window.sessionStorage;
    store.getItem(PREFIX);
  } catch (e) {
    store = null;
  }

  function forgetAll() {
    for (var i = store.length - 1; i >= 0; i--) {
      var key = store.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        store.removeItem(key);
      }
    }
  }

  function keep(field) {
    var form = field.form;
    var name = document.querySelector(".site-header .user-name");
    var owner = name ? name.textContent : "";
    var key = PREFIX + owner + "|" + location.pathname + "|" + form.getAttribute("action") + "|" + field.name;
    var kept = store.getItem(key);
    if (kept !== null && kept !== field.value && !form.querySelector(".field-error")) {
      field.value = kept;
    }
    field.addEventListener("input", function () {
      store.setItem(key, field.value);
    });
    form.addEventListener("submit", function () {
      store.removeItem(key);
    });
  }

  function start() {
    var summary = document.getElementById("error-summary");
    if (summary && document.activeElement !== summary) {
      summary.focus();
    }
    if (!store) {
      return;
    }
    var fields = document.querySelectorAll(
      'form[method="post"] textarea, form[method="post"] input[type="text"]'
    );
    for (var i = 0; i < fields.length; i++) {
      if (fields[i].name && !fields[i].disabled && fields[i].form.getAttribute("action")) {
        keep(fields[i]);
      }
    }
    var logout = document.querySelector('form[action="/logout"]');
    if (logout) {
      logout.addEventListener("submit", forgetAll);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
