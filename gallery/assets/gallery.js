// Client-side filtering of the gallery cards: facets combine (AND across facets, OR
// within one), plus full-text search. Without JavaScript every card stays visible.
(function () {
  "use strict";
  var form = document.querySelector(".rr-filters");
  if (!form) { return; }
  var cards = Array.prototype.slice.call(document.querySelectorAll(".rr-card"));
  var shown = document.getElementById("rr-shown");
  var empty = document.getElementById("rr-empty");

  function normalise(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function selected() {
    var wanted = {};
    form.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (wanted[box.name] = wanted[box.name] || []).push(box.value);
    });
    return wanted;
  }

  function apply() {
    var wanted = selected();
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
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
}());
