// Confirmation prompts without inline handlers, which the Content-Security-Policy blocks:
// our forms carry data-confirm; Flask-Admin's delete buttons still say onclick="...confirm('...')".
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[onclick]");
    if (!button) { return; }
    var match = /confirm\('((?:[^'\\]|\\.)*)'\)/i.exec(button.getAttribute("onclick"));
    if (match && !window.confirm(match[1].replace(/\\(.)/g, "$1"))) { event.preventDefault(); }
  });
})();
