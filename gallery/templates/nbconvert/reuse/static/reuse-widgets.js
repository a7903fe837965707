/* Draws a reuse page's widgets from the state embedded at build time.
 *
 * Replaces html-manager's own embed script, which drew every widget of the page before
 * any could be used. Here nothing of the renderer is asked for until a widget is wanted:
 * one on the first screen, one the visitor scrolls near (150 px), or drawAll(); a widget
 * drawn with no size at build time (span.rr-widget-empty before it) only by drawAll().
 * Then the renderer's modules and the page's widget libraries (named by the script
 * tag's data-libraries, from the embedded state) are asked for at once, in parallel,
 * and each widget is drawn when wanted. A page whose first screen is text (a phone,
 * most pages) runs no widget code until the visitor scrolls. A picture of a widget
 * taken at build time (picture.rr-widget-picture), when the page has one, stays until
 * it is drawn. The controls in a picture are written over it by the build as native HTML
 * controls (div.rr-quick-controls): a visitor can change one at once, before any widget
 * code has run, with the same outcome as changing the drawn control (below).
 *
 * Progress, for tests and the bench: <html data-rr-widgets="loading|first-screen|drawn">
 * ("first-screen": every widget of the first screen drawn, at once if it has none),
 * performance marks rr-widget-code (libraries loaded), rr-widget-models (state read),
 * rr-first-widget, rr-first-screen, rr-all-widgets, rr-quick-controls (native controls
 * usable; also <html data-rr-quick="ready">), and
 * window.rrWidgets.drawAll() (draws the rest now; resolves when all are drawn).
 *
 * Static first, live on demand: the build writes in <script id="rr-states"> the pages it
 * made of the notebook (its own page, its variants) with their parameter values. The
 * controls say which parameter they show (rr_parameters of the controls' box, see
 * widgets/controls.py). When a visitor changes a control, or opens the page with
 * ?name=value, the page goes to the precomputed page of that combination — no server —
 * or, for any other combination, hands over to the published live dashboard with the
 * same parameters (a short French note while its kernel starts), or says in French that
 * the combination is only in the interactive version. <html data-rr-switch="…"> tells
 * tests what happened (to-state, to-live, not-here).
 */
(function () {
  "use strict";
  // A widget's closed disclosure (« Voir les données en tableau ») holds its table in a
  // <template class="rr-later"> (rouen_gallery/render.py): put in place when opened.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details.open && details.matches && details.matches("details.rr-details")) {
      details.querySelectorAll(":scope > template.rr-later").forEach(function (later) {
        later.replaceWith(later.content);
      });
    }
  }, true);  // toggle does not bubble: caught on its way down
  var script = document.currentScript;
  var root = document.documentElement;
  var statesTag = document.getElementById("rr-states");
  var grid = statesTag ? JSON.parse(statesTag.textContent) : null;
  var here = grid && grid.states.filter(function (s) { return s.href === grid.page; })[0];

  function sameValues(a, b) {
    return Object.keys(a).concat(Object.keys(b)).every(function (name) { return a[name] === b[name]; });
  }

  function liveUrl(values) {
    var query = Object.keys(grid.defaults).filter(function (name) {
      return name in values && values[name] !== grid.defaults[name];
    }).map(function (name) {
      return encodeURIComponent(name) + "=" + encodeURIComponent(values[name]);
    }).join("&");
    return grid.live + (query ? "?" + query : "");
  }

  function note(html) {
    var box = document.getElementById("rr-switch-note");
    if (!box) {
      box = document.createElement("div");
      box.id = "rr-switch-note";
      box.className = "rr-switch-note";
      box.setAttribute("role", "status");
      box.setAttribute("aria-live", "polite");
      document.body.appendChild(box);
    }
    box.innerHTML = html;
    return box;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a.outerHTML;
  }

  // values: every declared parameter → its text in the address. replace: a deep link
  // (the address itself is swapped, not added to the history). True when another page opens.
  function switchTo(values, replace) {
    if (!grid || !here || sameValues(values, here.values)) {
      var box = document.getElementById("rr-switch-note");
      if (box) { box.remove(); }
      return false;
    }
    var go = replace ? function (url) { location.replace(url); } : function (url) { location.assign(url); };
    var state = grid.states.filter(function (s) { return sameValues(values, s.values); })[0];
    if (state) {
      root.setAttribute("data-rr-switch", "to-state");
      note("Ouverture de la version déjà calculée…");
      go(state.href);
      return true;
    } else if (grid.live) {
      var url = liveUrl(values);
      root.setAttribute("data-rr-switch", "to-live");
      note("Ouverture du tableau de bord interactif… le calcul démarre, quelques secondes. " +
        link(url, "Ouvrir le tableau de bord interactif"));
      go(url);
      return true;
    } else {
      root.setAttribute("data-rr-switch", "not-here");
      note("Ces réglages n'ont pas été calculés à l'avance pour ce site : ils ne sont disponibles " +
        "que dans la version interactive. Les résultats affichés restent ceux des réglages de " +
        "cette page. " + link(grid.lab, "Ouvrir dans JupyterLab (Binder) pour les calculer"));
    }
    return false;
  }

  // A drop-down whose options follow another parameter (a mode's lines) still offers this
  // page's: when that parameter changed and it did not, it goes back to its default, as
  // the live dashboard would offer the new options. parts: [{name, follows}].
  function resetFollowers(values, parts) {
    parts.forEach(function (part) {
      var moved = (part.follows || []).some(function (other) {
        return values[other] !== here.values[other];
      });
      if (moved && values[part.name] === here.values[part.name]) {
        values[part.name] = grid.defaults[part.name];
      }
    });
  }

  // A deep link (?name=value): the precomputed page of those values, else the handover.
  if (grid && here && location.search) {
    var asked = {};
    var known = false;
    new URLSearchParams(location.search).forEach(function (value, name) {
      if (name in grid.defaults) {
        asked[name] = value;
        known = true;
      }
    });
    if (known && switchTo(Object.assign({}, here.values, asked), true)) {
      return;  // another page opens: this one's widget code is not even asked for
    }
  }

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function dateText(value) {
    if (!value) { return ""; }
    if (value instanceof Date) {
      return value.getUTCFullYear() + "-" + pad(value.getUTCMonth() + 1) + "-" + pad(value.getUTCDate());
    }
    if (typeof value === "object") {  // the serialised form, {year, month (0-11), date}
      return value.year + "-" + pad(value.month + 1) + "-" + pad(value.date);
    }
    return String(value).slice(0, 10);
  }

  // A control's parameter as the address writes it (dashboard/notices.py url_text).
  function parameterText(part, model) {
    var value = model.get(part.kind === "choice" || part.kind === "multi" ? "index" : "value");
    switch (part.kind) {
      case "choice": return value === null || value === undefined ? "" : String(part.values[value]);
      case "multi": return (value || []).map(function (i) { return part.values[i]; }).join(",");
      case "date": return dateText(value);
      case "bool": return value ? "oui" : "non";
      case "int": return String(Math.round(value));
      case "float": return Number.isInteger(value) ? value.toFixed(1) : String(value);
      default: return value === null || value === undefined ? "" : String(value);
    }
  }

  // Listen to the controls the embedded state names (they are changed in the page only).
  function watchControls(models, byId) {
    if (!grid || !here) {
      return;
    }
    var parts = [];
    models.forEach(function (model) {
      (model.get("rr_parameters") || []).forEach(function (part) {
        if (byId[part.model] && part.name in grid.defaults) {
          parts.push({ part: part, model: byId[part.model] });
        }
      });
    });
    var queued = false;
    parts.forEach(function (item) {
      item.model.on("change:index change:value", function () {
        if (queued) { return; }
        queued = true;  // a control changing several traits at once: one switch
        setTimeout(function () {
          queued = false;
          var values = Object.assign({}, here.values);
          parts.forEach(function (p) { values[p.part.name] = parameterText(p.part, p.model); });
          resetFollowers(values, parts.map(function (p) { return p.part; }));
          switchTo(values, false);
        }, 0);
      });
    });
  }
  // The native controls written over a widget's picture (div.rr-quick-controls, see
  // rouen_gallery/pictures.py): usable at once, before any widget code. A change opens
  // the precomputed page or the live dashboard, as a drawn control's change does; when
  // neither can, the control goes back to this page's value (the picture shows it).
  function quickText(input) {
    return input.type === "checkbox" ? (input.checked ? "oui" : "non") : input.value;
  }

  function quickReset(input) {
    if (input.type === "checkbox") {
      input.checked = input.defaultChecked;
    } else if (input.tagName === "SELECT") {
      Array.prototype.forEach.call(input.options, function (o) { o.selected = o.defaultSelected; });
    } else {
      input.value = input.defaultValue;
    }
  }

  function quickControls(layer) {
    var inputs = Array.prototype.filter.call(layer.querySelectorAll("[data-rr-param]"), function (input) {
      if (grid && here && input.getAttribute("data-rr-param") in grid.defaults) {
        return true;
      }
      input.closest(".rr-quick").remove();
      return false;
    });
    if (!inputs.length) {
      return;
    }
    var parts = inputs.map(function (input) {
      var follows = input.getAttribute("data-rr-follows");
      return { name: input.getAttribute("data-rr-param"), follows: follows ? follows.split(" ") : [] };
    });
    inputs.forEach(function (input) {
      var options = input.nextElementSibling;
      if (options && options.tagName === "TEMPLATE") {
        // The list holds only the page's choice until the visitor reaches for it: then
        // every choice, before the browser opens the list (pointerdown, touch, focus).
        var fill = function () {
          if (options.parentNode) {
            options.remove();
            input.replaceChildren(options.content);
          }
        };
        ["pointerdown", "touchstart", "focus"].forEach(function (name) {
          input.addEventListener(name, fill, { passive: true });
        });
      }
      input.addEventListener("change", function () {
        if (input.type === "date" && !/^[12]\d{3}-/.test(input.value)) {
          return;  // a year being typed (0002-…): not a date the visitor meant yet
        }
        var values = Object.assign({}, here.values);
        inputs.forEach(function (other) { values[other.getAttribute("data-rr-param")] = quickText(other); });
        resetFollowers(values, parts);
        if (!switchTo(values, false)) {
          quickReset(input);
        }
      });
    });
    layer.hidden = false;
    if (!root.hasAttribute("data-rr-quick")) {
      root.setAttribute("data-rr-quick", "ready");
      mark("rr-quick-controls");
    }
  }

  var stateTag = document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]');
  var libraries = JSON.parse(script.getAttribute("data-libraries") || "[]");
  var NEAR = 150;  // px above and below the window: "scrolled near"

  var pending = [];
  var drawnCount = 0;
  var waiting = [];
  var firstScreen = null;
  var loaded = null;

  function mark(name) {
    if (window.performance && performance.mark) {
      performance.mark(name);
    }
  }

  function settleIfDone() {
    if (firstScreen !== null && firstScreen.size === 0 && root.getAttribute("data-rr-widgets") === "loading") {
      root.setAttribute("data-rr-widgets", "first-screen");
      mark("rr-first-screen");
    }
    if (drawnCount === pending.length) {
      root.setAttribute("data-rr-widgets", "drawn");
      mark("rr-all-widgets");
      waiting.splice(0).forEach(function (resolve) { resolve(); });
    }
  }

  // Maps and charts take their size a moment after they are shown: the place stays
  // reserved until the widget has grown to it (3 s at most), so nothing below jumps.
  function keepPlace(target, el, reserved) {
    var release = function () { target.style.minHeight = ""; };
    if (!("ResizeObserver" in window)) {
      setTimeout(release, 1000);
      return;
    }
    var watcher = new ResizeObserver(function () {
      if (el.getBoundingClientRect().height >= reserved - 4) {
        watcher.disconnect();
        release();
      }
    });
    watcher.observe(el);
    setTimeout(function () { watcher.disconnect(); release(); }, 3000);
  }

  function done(item) {
    drawnCount += 1;
    if (drawnCount === 1) {
      mark("rr-first-widget");
    }
    if (firstScreen !== null) {
      firstScreen.delete(item);
    }
    settleIfDone();
  }

  // The picture (and the native controls over it) goes once the widget is drawn under
  // it; not while the visitor is using one of those controls (an open list would close).
  function removeStill(item) {
    var quick = item.quick;
    var go = function () {
      item.picture.remove();
      if (quick) { quick.remove(); }
    };
    if (quick && quick.contains(document.activeElement)) {
      quick.addEventListener("focusout", function () { setTimeout(go, 0); }, { once: true });
    } else {
      go();
    }
  }

  function draw(manager, byId, item) {
    var model = byId[item.modelId];
    if (!model) {
      done(item);  // a view of a model the state does not hold: nothing to draw
      return Promise.resolve();
    }
    var reserved = 0;
    return manager.create_view(model).then(function (view) {
      if (item.picture) {
        // The picture keeps the place (and stays in sight) while the widget is drawn under it.
        reserved = item.picture.getBoundingClientRect().height;
        item.target.style.minHeight = reserved + "px";
        item.picture.classList.add("rr-widget-picture--drawing");
      }
      return manager.display_view(view, item.target).then(function () { return view; });
    }).then(function (view) {
      if (item.picture) {
        removeStill(item);
        keepPlace(item.target, view.el, reserved);
      }
    }).catch(function (error) {
      console.error("Widget " + item.modelId + " could not be drawn", error);
    }).then(function () { done(item); });
  }

  // The renderer and the page's widget libraries, asked for the first time a widget is
  // wanted (on the first screen, scrolled near, or drawAll): a visitor who only reads the
  // text above the widgets downloads and runs none of it.
  function load() {
    if (loaded) {
      return loaded;
    }
    loaded = new Promise(function (resolve, reject) {
      window.require(
        ["@jupyter-widgets/html-manager", "@jupyter-widgets/html-manager/dist/libembed-amd",
          "@jupyter-widgets/base", "@jupyter-widgets/controls"].concat(libraries),
        function (htmlmanager, embed) {
          mark("rr-widget-code");
          var manager = new htmlmanager.HTMLManager({ loader: embed.requireLoader });
          manager.set_state(JSON.parse(stateTag.textContent)).then(function (models) {
            mark("rr-widget-models");
            var byId = {};
            models.forEach(function (model) { byId[model.model_id] = model; });
            watchControls(models, byId);
            resolve(function (item) { return draw(manager, byId, item); });
          }, reject);
        },
        reject
      );
    });
    loaded.catch(function (error) {
      console.error("The page's widgets could not be loaded", error);
    });
    return loaded;
  }

  function want(item) {
    if (!item.started) {
      item.started = load().then(function (drawItem) { return drawItem(item); });
    }
    return item.started;
  }

  // Each widget's place: its picture (taken at build time), if any, shown until it is drawn.
  document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').forEach(function (tag) {
    if (!tag.parentElement) {
      return;
    }
    var target = document.createElement("div");
    target.className = "widget-subarea";
    var previous = tag.previousElementSibling;
    var quick = previous && previous.classList.contains("rr-quick-controls") ? previous : null;
    if (quick) {
      previous = quick.previousElementSibling;
    }
    var picture = previous && previous.classList.contains("rr-widget-picture") ? previous : null;
    // Drawn with no size at build time (an empty notice, a box this page hides): no
    // reason to run the widget code for it; drawAll() still draws it.
    var empty = !!(previous && previous.classList.contains("rr-widget-empty"));
    tag.parentElement.insertBefore(target, tag);
    if (picture) {
      target.style.position = "relative";
      target.appendChild(picture);
      if (quick) {
        target.appendChild(quick);
        quickControls(quick);
      }
    }
    pending.push({
      modelId: JSON.parse(tag.textContent).model_id, target: target, picture: picture,
      quick: picture ? quick : null, empty: empty, started: null
    });
  });
  // Without the embedded state or the module loader, the pictures (and the native
  // controls over them) are the page's widgets.
  if (!pending.length || !stateTag || typeof window.require !== "function") {
    return;
  }
  root.setAttribute("data-rr-widgets", "loading");
  var height = window.innerHeight;
  firstScreen = new Set(pending.filter(function (item) {
    if (item.empty) {
      return false;
    }
    var box = (item.picture || item.target).getBoundingClientRect();
    return box.top < height + NEAR && box.bottom > -NEAR;
  }));
  window.rrWidgets = {
    drawn: new Promise(function (resolve) { waiting.push(resolve); }),
    drawAll: function () {
      pending.forEach(want);
      return window.rrWidgets.drawn;
    }
  };
  if (firstScreen.size === 0) {
    settleIfDone();  // nothing to draw on the first screen: it is ready as it is
  }
  firstScreen.forEach(want);
  if ("IntersectionObserver" in window) {
    var items = new Map(pending.map(function (item) { return [item.target, item]; }));
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          want(items.get(entry.target));
        }
      });
    }, { rootMargin: NEAR + "px 0px" });
    pending.forEach(function (item) {
      if (!item.started && !item.empty) {
        observer.observe(item.target);
      }
    });
  } else {
    pending.filter(function (item) { return !item.empty; }).forEach(want);
  }
}());
