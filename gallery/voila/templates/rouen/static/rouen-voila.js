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
// 4. A kernel stopped after minutes without activity (the server's idle cull) costs
//    nothing, and its page must not die with it: the dashboard's state is in the address
//    (1.), so a returning visitor's first action reopens the same address, which a
//    preheated kernel serves at once, with a short French note. The check is a GET of
//    the kernel's model (no kernel involved): on an action (at most every few seconds)
//    and when the tab becomes visible again. No loop: if the reopened page's own kernel
//    is gone before it was once seen alive (checked at load), a French message offers a
//    « Recharger » button instead of another reload.
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

  // --- 4. Back after an idle cull ---------------------------------------------------------
  var CHECK_EVERY_MS = 5000;
  var GUARD_KEY = "rr-resuming:" + window.location.pathname;
  var lastCheck = 0;
  var resuming = false;

  function kernelUrl() {
    var holder = document.getElementById("jupyter-config-data");
    if (!holder) { return null; }
    var config;
    try { config = JSON.parse(holder.textContent); } catch (e) { return null; }
    if (!config.kernelId) { return null; }
    var base = (config.baseUrl || "/").replace(/\/?$/, "/");
    return base + "api/kernels/" + encodeURIComponent(config.kernelId);
  }

  function note(text, withButton) {
    var box = document.querySelector(".rr-resume");
    if (!box) {
      box = document.createElement("div");
      box.className = "rr-banner rr-resume";
      box.setAttribute("role", "status");
      document.body.appendChild(box);
    }
    box.textContent = text;
    if (withButton) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "rr-button";
      button.textContent = "Recharger";
      button.addEventListener("click", function () { window.location.reload(); });
      box.appendChild(document.createTextNode(" "));
      box.appendChild(button);
    }
  }

  function resume() {
    if (resuming) { return; }
    resuming = true;
    if (window.sessionStorage.getItem(GUARD_KEY)) {
      note("Ce tableau de bord ne répond plus. Rechargez la page pour le rouvrir avec les mêmes réglages.", true);
      return;
    }
    window.sessionStorage.setItem(GUARD_KEY, "1");
    note("Reprise du tableau de bord… Il s'était mis en pause après quelques minutes sans activité ; vos réglages sont gardés.", false);
    copyState();  // the address carries the latest state before it is reopened
    window.location.replace(window.location.href);
  }

  function check(force) {
    var url = kernelUrl();
    var now = Date.now();
    if (!url || resuming || (!force && now - lastCheck < CHECK_EVERY_MS)) { return; }
    lastCheck = now;
    window.fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (answer) {
      if (answer.status === 404) { resume(); }
      else if (answer.ok) { window.sessionStorage.removeItem(GUARD_KEY); }
    }, function () { /* server unreachable: nothing to reopen yet */ });
  }

  ["pointerdown", "keydown"].forEach(function (name) {
    document.addEventListener(name, function () { check(false); }, true);
  });
  window.addEventListener("load", function () { check(true); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { check(true); }
  });
})();
