// Client-side filtering of the gallery cards: facets combine (AND across facets, OR
// within one), plus an accent-insensitive full-text search. Active filters are listed as
// buttons that remove them. Without JavaScript every card stays visible.
(function () {
  "use strict";
  var form = document.querySelector(".rr-filters");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".rr-card"));
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var shown = document.getElementById("rr-shown");
  var empty = document.getElementById("rr-empty");
  var active = document.getElementById("rr-active");

  function normalise(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function checked() {
    return boxes.filter(function (box) { return box.checked; });
  }

  function showActive(list) {
    active.textContent = "";
    list.forEach(function (box) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rr-active-chip";
      button.setAttribute("aria-label", "Retirer le filtre « " + box.dataset.label + " »");
      button.textContent = box.dataset.label + " ";
      var cross = document.createElement("span");
      cross.setAttribute("aria-hidden", "true");
      cross.textContent = "×";
      button.appendChild(cross);
      button.addEventListener("click", function () {
        var next = item.nextElementSibling || item.previousElementSibling;
        box.checked = false;
        apply();
        // Focus stays among the chips, or returns to the search box when none is left.
        var target = next && active.contains(next) ? next.querySelector("button") : null;
        (target || form.elements.q).focus();
      });
      item.appendChild(button);
      active.appendChild(item);
    });
  }

  function apply() {
    var list = checked();
    var wanted = {};
    list.forEach(function (box) {
      (wanted[box.name] = wanted[box.name] || []).push(box.value);
    });
    var words = normalise(form.elements.q.value).split(/\s+/).filter(Boolean);
    var count = 0;
    cards.forEach(function (card) {
      var ok = Object.keys(wanted).every(function (facet) {
        var values = (card.dataset[facet] || "").split("|");
        return wanted[facet].some(function (v) { return values.indexOf(v) !== -1; });
      });
      var text = normalise(card.dataset.text);
      ok = ok && words.every(function (w) { return text.indexOf(w) !== -1; });
      card.hidden = !ok;
      if (ok) { count += 1; }
    });
    shown.textContent = String(count);
    empty.hidden = count !== 0;
    showActive(list);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  // A filter kept by the browser on « back » is applied at once.
  if (checked().length || form.elements.q.value) { apply(); }
}());
