// Live dashboards: small fixes applied as Voilà builds the page.
//
// 1. The dashboard's state in the address bar, so the address a visitor shares reopens
//    what they see. rouen_gallery.live.sync_url writes the query string into a hidden
//    widget (<span data-rr-query="...">) whenever a control changes; it replaces the
//    page's query string (same page, no reload, no new history entry).
// 2. Voilà's script moves the cells into its own container (div#main): it becomes the
//    page's main landmark, the target of the « Aller au contenu » link.
// 3. ipywidgets sliders have a visible label but an unnamed handle: the handle gets the
//    label's text as its accessible name.
(function () {
  "use strict";
  var lastQuery = null;

  function copyState() {
    var holder = document.querySelector(".rr-url-state [data-rr-query]");
    if (!holder) { return; }
    var query = holder.getAttribute("data-rr-query");
    if (query === lastQuery) { return; }
    lastQuery = query;
    var url = new URL(window.location.href);
    url.search = query;
    window.history.replaceState(window.history.state, "", url.toString());
  }

  function markMain() {
    var shell = document.getElementById("main");
    if (shell && !shell.hasAttribute("role")) { shell.setAttribute("role", "main"); }
  }

  function nameSliderHandles() {
    var handles = document.querySelectorAll(".noUi-handle[role='slider']:not([aria-label])");
    for (var i = 0; i < handles.length; i++) {
      var slider = handles[i].closest(".widget-slider");
      var label = slider && slider.querySelector(".widget-label");
      var text = label && label.textContent.trim();
      if (text) { handles[i].setAttribute("aria-label", text); }
    }
  }

  function update() {
    copyState();
    markMain();
    nameSliderHandles();
  }

  new MutationObserver(update).observe(document.body, { childList: true, subtree: true });
})();
