// Copy buttons for the invitation and reset links: a progressive enhancement. Without
// JavaScript the buttons stay hidden and each link is selectable text in its field.
(function () {
  "use strict";
  var status = document.getElementById("copy-status");
  function say(text) {
    if (!status) { return; }
    status.textContent = "";
    window.setTimeout(function () { status.textContent = text; }, 50);
  }
  function copy(field, button) {
    field.select();
    var done = function () {
      button.classList.add("copied");
      say(status ? status.dataset.done : "");
    };
    var failed = function () { say(status ? status.dataset.failed : ""); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, failed);
    } else {
      try { document.execCommand("copy") ? done() : failed(); } catch (e) { failed(); }
    }
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    if (!field) { return; }
    button.hidden = false;
    button.addEventListener("click", function () { copy(field, button); });
  });
})();
