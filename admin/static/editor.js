// Draft editor: inline rows (add, remove, reorder) and a live Markdown preview from the server's sanitiser.
(function () {
  "use strict";
  var form = document.getElementById("edition-form");
  if (!form) { return; }
  var token = document.querySelector('meta[name="csrf-token"]').content;

  function renumber(fieldset) {
    var prefix = fieldset.dataset.prefix;
    var pattern = new RegExp("^" + prefix + "-\\d+-");
    fieldset.querySelectorAll("tbody tr.row-item").forEach(function (row, i) {
      row.querySelectorAll("[name]").forEach(function (el) {
        el.name = el.name.replace(pattern, prefix + "-" + i + "-");
        if (el.id) { el.id = el.name; }
      });
    });
  }

  form.querySelectorAll("fieldset.rows").forEach(function (fieldset) {
    var body = fieldset.querySelector("tbody");
    fieldset.querySelector(".add-row").addEventListener("click", function () {
      body.appendChild(fieldset.querySelector("template").content.cloneNode(true));
      renumber(fieldset);
    });
    body.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      var row = button.closest("tr");
      if (button.classList.contains("remove-row")) { row.remove(); }
      if (button.classList.contains("move-up") && row.previousElementSibling) { body.insertBefore(row, row.previousElementSibling); }
      if (button.classList.contains("move-down") && row.nextElementSibling) { body.insertBefore(row.nextElementSibling, row); }
      renumber(fieldset);
    });
    fieldset.dataset.ready = "true";  // tests (and nothing else) wait for the rows' buttons to work
  });
  form.addEventListener("submit", function () { form.querySelectorAll("fieldset.rows").forEach(renumber); });

  var source = form.querySelector("[data-preview]");
  var target = document.getElementById(source.dataset.preview);
  var timer = null;
  source.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var data = new URLSearchParams();
      data.append("body", source.value);
      fetch(form.dataset.previewUrl, {method: "POST", body: data, credentials: "same-origin",
                                      headers: {"X-CSRFToken": token}})
        .then(function (r) { return r.text(); })
        .then(function (html) { target.innerHTML = html; });  // already sanitised by render_markdown
    }, 300);
  });
}());
