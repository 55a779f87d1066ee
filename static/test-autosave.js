// Progressive enhancement of the final-test form: saves the answers as a draft on the
// server shortly after each change, and keeps the "minutes left" text current. Without
// this script the form works the same through its "Zwischenspeichern" button.
(function () {
  "use strict";
  var form = document.querySelector("form.test-form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var error = document.getElementById("autosave-error");
  var pending = null;

  function save() {
    pending = null;
    var body = new FormData(form);
    fetch(form.getAttribute("data-autosave"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      redirect: "manual"
    }).then(function (response) {
      if (response.status === 204) {
        var now = new Date();
        var time = now.toLocaleTimeString(document.documentElement.lang || [], { hour: "2-digit", minute: "2-digit" });
        // Not a live region: a saved draft is no news worth interrupting a reader for.
        status.textContent = form.getAttribute("data-saved") + " " + time;
        error.textContent = "";
      } else {
        error.textContent = form.getAttribute("data-failed");
      }
    }).catch(function () {
      error.textContent = form.getAttribute("data-failed");
    });
  }

  function later(delay) {
    if (pending !== null) {
      window.clearTimeout(pending);
    }
    pending = window.setTimeout(save, delay);
  }

  form.addEventListener("change", function () { later(500); });
  form.addEventListener("input", function () { later(2000); });

  // The minutes left, updated once a minute in place (not a live region); only the
  // warnings at 5 and 1 minutes go to the alert region, so a screen reader hears two.
  var clock = document.getElementById("time-left");
  var minutes = document.getElementById("minutes-left");
  if (clock && minutes) {
    var end = Date.parse(clock.getAttribute("data-deadline").replace(" ", "T") + "Z");
    var tick = function () {
      var left = Math.max(0, Math.ceil((end - Date.now()) / 60000));
      var text = left === 1 ? minutes.getAttribute("data-one") : minutes.getAttribute("data-many");
      minutes.textContent = text.replace("%s", String(left));
      if (left === 5 || left === 1) {
        error.textContent = text + " " + clock.getAttribute("data-warn");
      }
      if (left > 0) {
        window.setTimeout(tick, 60000 - ((Date.now() - end) % 60000 + 60000) % 60000 || 60000);
      }
    };
    window.setTimeout(tick, 60000 - ((Date.now() - end) % 60000 + 60000) % 60000 || 60000);
  }
})();
