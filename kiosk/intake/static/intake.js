// Counter speed: pick the card by typing (search suggestions), toggle documents with number keys.
(function () {
  "use strict";
  var input = document.getElementById("card");
  var list = document.getElementById("cards-list");
  if (input && list) {
    var timer = null;
    var known = function (value) {
      return Array.prototype.some.call(list.options, function (o) { return o.value === value; });
    };
    input.addEventListener("input", function () {
      if (known(input.value)) { document.getElementById("card-pick").submit(); return; }
      clearTimeout(timer);
      if (input.value.length < 2) { return; }
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(input.value))
          .then(function (r) { return r.ok ? r.json() : { completions: [] }; })
          .then(function (data) {
            (data.completions || []).forEach(function (c) {
              if (!known(c.slug)) {
                var option = document.createElement("option");
                option.value = c.slug;
                option.textContent = c.text;
                list.insertBefore(option, list.firstChild);
              }
            });
          })
          .catch(function () {});
      }, 150);
    });
  }
  var checklist = document.getElementById("checklist");
  if (checklist) {
    document.addEventListener("keydown", function (event) {
      var el = document.activeElement;
      var typing = el && (el.tagName === "SELECT" || el.tagName === "TEXTAREA" ||
        (el.tagName === "INPUT" && el.type !== "checkbox"));
      if (typing || event.ctrlKey || event.altKey || event.metaKey || !/^[1-9]$/.test(event.key)) { return; }
      var boxes = checklist.querySelectorAll("input[type=checkbox]");
      var box = boxes[Number(event.key) - 1];
      if (box) { box.checked = !box.checked; box.focus(); event.preventDefault(); }
    });
  }
})();
