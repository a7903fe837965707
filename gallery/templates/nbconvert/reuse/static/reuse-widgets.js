/* Draws a reuse page's widgets from the state embedded at build time.
 *
 * Replaces html-manager's own embed script, which drew every widget of the page before
 * any could be used. Here the renderer's modules and the page's widget libraries (named
 * by the script tag's data-libraries, from the embedded state) are asked for at once,
 * in parallel; widgets on the first screen are drawn first and the others only when
 * the visitor scrolls near them. A picture of a widget taken at build time
 * (picture.rr-widget-picture), when the page has one, stays until the widget is drawn.
 *
 * Progress, for tests and the bench: <html data-rr-widgets="loading|first-screen|drawn">,
 * performance marks rr-widget-code (libraries loaded), rr-widget-models (state read),
 * rr-first-widget, rr-first-screen, rr-all-widgets, and
 * window.rrWidgets.drawAll() (draws the rest now; resolves when all are drawn).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var root = document.documentElement;
  var stateTag = document.querySelector('script[type="application/vnd.jupyter.widget-state+json"]');
  if (!stateTag || typeof window.require !== "function") {
    return;
  }
  var libraries = JSON.parse(script.getAttribute("data-libraries") || "[]");
  var NEAR = "50% 0px";
  root.setAttribute("data-rr-widgets", "loading");

  var pending = [];
  var drawnCount = 0;
  var waiting = [];
  var firstScreen = null;

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

  function draw(manager, item) {
    if (item.started) {
      return item.started;
    }
    var reserved = 0;
    item.started = manager.create_view(item.model).then(function (view) {
      if (item.picture) {
        // The picture keeps the place (and stays in sight) while the widget is drawn under it.
        reserved = item.picture.getBoundingClientRect().height;
        item.target.style.minHeight = reserved + "px";
        item.picture.classList.add("rr-widget-picture--drawing");
      }
      return manager.display_view(view, item.target).then(function () { return view; });
    }).then(function (view) {
      if (item.picture) {
        item.picture.remove();
        keepPlace(item.target, view.el, reserved);
      }
    }).catch(function (error) {
      console.error("Widget " + item.model.model_id + " could not be drawn", error);
    }).then(function () {
      drawnCount += 1;
      if (drawnCount === 1) {
        mark("rr-first-widget");
      }
      if (firstScreen !== null) {
        firstScreen.delete(item);
      }
      settleIfDone();
    });
    return item.started;
  }

  function start(htmlmanager, embed) {
    mark("rr-widget-code");
    var manager = new htmlmanager.HTMLManager({ loader: embed.requireLoader });
    return manager.set_state(JSON.parse(stateTag.textContent)).then(function (models) {
      mark("rr-widget-models");
      var byId = {};
      models.forEach(function (model) { byId[model.model_id] = model; });
      document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').forEach(function (tag) {
        var model = byId[JSON.parse(tag.textContent).model_id];
        if (!model || !tag.parentElement) {
          return;
        }
        var target = document.createElement("div");
        target.className = "widget-subarea";
        var previous = tag.previousElementSibling;
        var picture = previous && previous.classList.contains("rr-widget-picture") ? previous : null;
        tag.parentElement.insertBefore(target, tag);
        if (picture) {
          target.style.position = "relative";
          target.appendChild(picture);
        }
        pending.push({ model: model, target: target, picture: picture, started: null });
      });
      var items = new Map(pending.map(function (item) { return [item.target, item]; }));
      var height = window.innerHeight;
      firstScreen = new Set(pending.filter(function (item) {
        var box = (item.picture || item.target).getBoundingClientRect();
        return box.top < height * 1.5 && box.bottom > -height * 0.5;
      }));
      firstScreen.forEach(function (item) { draw(manager, item); });
      if ("IntersectionObserver" in window) {
        var observer = new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (entry.isIntersecting) {
              observer.unobserve(entry.target);
              draw(manager, items.get(entry.target));
            }
          });
        }, { rootMargin: NEAR });
        pending.forEach(function (item) {
          if (!item.started) {
            observer.observe(item.target);
          }
        });
      } else {
        pending.forEach(function (item) { draw(manager, item); });
      }
      window.rrWidgets.drawAll = function () {
        pending.forEach(function (item) { draw(manager, item); });
        return window.rrWidgets.drawn;
      };
      settleIfDone();
    });
  }

  window.rrWidgets = {
    drawn: new Promise(function (resolve) { waiting.push(resolve); }),
    drawAll: function () {
      return ready.then(function () { return window.rrWidgets.drawAll(); });
    }
  };
  var ready = new Promise(function (resolve, reject) {
    window.require(
      ["@jupyter-widgets/html-manager", "@jupyter-widgets/html-manager/dist/libembed-amd",
        "@jupyter-widgets/base", "@jupyter-widgets/controls"].concat(libraries),
      function (htmlmanager, embed) { start(htmlmanager, embed).then(resolve, reject); },
      reject
    );
  });
  ready.catch(function (error) {
    console.error("The page's widgets could not be loaded", error);
  });
}());
