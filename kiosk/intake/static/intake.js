// Counter speed: pick the card by typing (search suggestions), toggle documents with number keys.
(function () {
  "use strict";
  // The matter field: a small ARIA combobox (arrows move, Enter or a click chooses, Escape closes) over the
  // desk's suggestion endpoint; choosing submits the "Wybierz" step, which loads the document list.
  var input = document.getElementById("card");
  var box = document.getElementById("card-options");
  var pick = document.getElementById("card-pick");
  if (input && box && pick) {
    var timer = null;
    var active = -1;
    var count = document.getElementById("card-count");
    var options = function () { return box.querySelectorAll("[role=option]"); };
    var close = function () {
      box.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    };
    var choose = function (title) {
      input.value = title;
      close();
      if (pick.form.requestSubmit) { pick.form.requestSubmit(pick); } else { pick.click(); }
    };
    var highlight = function (index) {
      var all = options();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      Array.prototype.forEach.call(all, function (o, i) { o.setAttribute("aria-selected", String(i === active)); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    };
    var show = function (titles) {
      box.textContent = "";
      titles.forEach(function (title, i) {
        var option = document.createElement("li");
        option.id = "card-option-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.textContent = title;
        option.addEventListener("mousedown", function (event) { event.preventDefault(); choose(title); });
        box.appendChild(option);
      });
      if (count) { count.textContent = titles.length ? "Podpowiedzi: " + titles.length : "Brak podpowiedzi"; }
      if (titles.length) {
        box.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
    };
    input.addEventListener("input", function () {
      clearTimeout(timer);
      if (input.value.trim().length < 2) { show([]); return; }
      var asked = input.value;
      timer = setTimeout(function () {
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(asked), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : { titles: [] }; })
          .then(function (data) { if (input.value === asked) { show(data.titles || []); } })
          .catch(function () {});
      }, 150);
    });
    input.addEventListener("keydown", function (event) {
      var open = !box.hidden;
      if (event.key === "ArrowDown") { event.preventDefault(); if (open) { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); if (open) { highlight(active - 1); } }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter") {
        event.preventDefault();
        var all = options();
        choose(open && active >= 0 ? all[active].textContent : input.value);
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
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
