// The editor's scripts: a warning before leaving a page whose changes are not saved, and the map
// of places (edit?section=places): the point of the row being edited is marked,
// a point clicked marks its row, and the points and the grid follow the coordinates as they are
// typed, before saving. The projection is the page's (scheduler/web/editing.py, coordinate_map):
// equirectangular at the places' mean latitude, fitted in the frame with a margin.
"use strict";
(function () {
  var MARGIN = 36;
  var STEPS = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 30, 45, 90];
  var SVG = "http://www.w3.org/2000/svg";

  function number(input) {
    if (!input) { return null; }
    var value = Number(input.value.trim());
    return input.value.trim() !== "" && isFinite(value) ? value : null;
  }

  function rowOf(path) {
    return document.querySelector('#main-table tr[data-row="' + CSS.escape(path) + '"]');
  }

  function coordinates(path) {
    var row = rowOf(path);
    if (!row) { return null; }
    var lat = number(row.querySelector('[data-path="' + CSS.escape(path + ".lat") + '"]'));
    var lon = number(row.querySelector('[data-path="' + CSS.escape(path + ".lon") + '"]'));
    if (lat === null || lon === null || Math.abs(lat) > 90 || Math.abs(lon) > 180) { return null; }
    return { lat: lat, lon: lon };
  }

  function label(value, step, positive, negative) {
    var digits = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return Math.abs(value).toFixed(digits) + "° " + (value < 0 ? negative : positive);
  }

  function redraw(svg) {
    var width = Number(svg.dataset.width), height = Number(svg.dataset.height);
    var points = [], located = [];
    svg.querySelectorAll("g.pt").forEach(function (g) {
      var at = coordinates(g.dataset.row);
      g.style.display = at ? "" : "none";
      if (at) { points.push(g); located.push(at); }
    });
    if (!located.length) { return; }
    var meanLat = located.reduce(function (s, p) { return s + p.lat; }, 0) / located.length;
    var scaleX = Math.max(Math.cos(meanLat * Math.PI / 180), 1e-6);
    var xs = located.map(function (p) { return p.lon * scaleX; }), ys = located.map(function (p) { return p.lat; });
    var minX = Math.min.apply(null, xs), maxX = Math.max.apply(null, xs);
    var minY = Math.min.apply(null, ys), maxY = Math.max.apply(null, ys);
    var innerW = width - 2 * MARGIN, innerH = height - 2 * MARGIN;
    var factor = Math.min(innerW / Math.max(maxX - minX, 1e-6), innerH / Math.max(maxY - minY, 1e-6));
    var left = MARGIN + (innerW - (maxX - minX) * factor) / 2, top = MARGIN + (innerH - (maxY - minY) * factor) / 2;
    function x(lon) { return left + (lon * scaleX - minX) * factor; }
    function y(lat) { return top + (maxY - lat) * factor; }
    var taken = [];
    function free(box) {
      return box[0] >= 0 && box[2] <= width && !taken.some(function (b) {
        return box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3];
      });
    }
    var order = points.map(function (g, i) { return i; }).sort(function (a, b) {
      return points[b].classList.contains("far") - points[a].classList.contains("far") || a - b;
    });
    order.forEach(function (i) {
      var g = points[i];
      // the name beside its point where it covers no other (as the page places it first)
      var px = x(located[i].lon), py = y(located[i].lat);
      var circle = g.querySelector("circle"), text = g.querySelector("text");
      circle.setAttribute("cx", px.toFixed(1)); circle.setAttribute("cy", py.toFixed(1));
      var w = Array.from(text.textContent).reduce(function (s, c) { return s + (c.codePointAt(0) >= 0x2E80 ? 12 : 6.8); }, 0);
      var tries = [[px + 7, py + 4, "start", px + 7], [px - 7, py + 4, "end", px - 7 - w],
        [px, py - 8, "middle", px - w / 2], [px, py + 17, "middle", px - w / 2]];
      text.setAttribute("display", "none");
      for (var k = 0; k < tries.length; k++) {
        var t = tries[k], box = [t[3], t[1] - 10, t[3] + w, t[1] + 3];
        if (free(box)) {
          taken.push(box);
          text.setAttribute("x", t[0].toFixed(1)); text.setAttribute("y", t[1].toFixed(1));
          text.setAttribute("text-anchor", t[2]); text.removeAttribute("display");
          break;
        }
      }
    });
    var grid = svg.querySelector("g.grid");
    while (grid.firstChild) { grid.removeChild(grid.firstChild); }
    function line(x1, y1, x2, y2, words, tx, ty) {
      var l = document.createElementNS(SVG, "line");
      l.setAttribute("x1", x1); l.setAttribute("y1", y1); l.setAttribute("x2", x2); l.setAttribute("y2", y2);
      var t = document.createElementNS(SVG, "text");
      t.setAttribute("x", tx); t.setAttribute("y", ty); t.textContent = words;
      grid.appendChild(l); grid.appendChild(t);
    }
    var latSpan = height / factor, lonSpan = width / factor / scaleX;
    var latStep = STEPS.find(function (s) { return latSpan / s <= 8; }) || 90;
    var lonStep = STEPS.find(function (s) { return lonSpan / s <= 8; }) || 90;
    var lowLat = maxY - (height - top) / factor, highLat = maxY + top / factor;
    for (var lat = Math.ceil(lowLat / latStep) * latStep; lat <= highLat; lat += latStep) {
      var ly = y(lat).toFixed(1);
      line(0, ly, width, ly, label(lat, latStep, "N", "S"), 4, (y(lat) - 3).toFixed(1));
    }
    var lowLon = (minX - left / factor) / scaleX, highLon = (minX + (width - left) / factor) / scaleX;
    for (var lon = Math.ceil(lowLon / lonStep) * lonStep; lon <= highLon; lon += lonStep) {
      var lx = x(lon).toFixed(1);
      line(lx, 0, lx, height, label(lon, lonStep, "E", "W"), (x(lon) + 3).toFixed(1), height - 4);
    }
  }

  function mark(svg, path) {
    svg.querySelectorAll("g.pt").forEach(function (g) { g.classList.toggle("on", g.dataset.row === path); });
    var on = svg.querySelector("g.pt.on");
    if (on) { on.parentNode.appendChild(on); }  // drawn last: above the others
  }

  function placesMap() {
    var svg = document.getElementById("coordinate-map");
    var table = document.getElementById("main-table");
    if (!svg || !table) { return; }
    table.addEventListener("focusin", function (event) {
      var row = event.target.closest("tr[data-row]");
      if (row) { mark(svg, row.dataset.row); }
    });
    table.addEventListener("input", function (event) {
      var path = event.target.dataset.path || "";
      if (/\.(lat|lon)$/.test(path)) { redraw(svg); }
    });
    svg.addEventListener("click", function (event) {
      var g = event.target.closest("g.pt");
      var row = g && rowOf(g.dataset.row);
      if (!row) { return; }
      mark(svg, g.dataset.row);
      table.querySelectorAll("tr.picked").forEach(function (r) { r.classList.remove("picked"); });
      row.classList.add("picked");
      row.scrollIntoView({ block: "center" });
      var lat = row.querySelector('[data-path$=".lat"]');
      if (lat) { lat.focus({ preventScroll: true }); }
    });
  }

  // Leaving the page (another part, the other language, another tab) would drop what was typed
  // and not saved: the browser asks first. Saving is leaving on purpose.
  function warnUnsaved() {
    var form = document.getElementById("editor");
    if (!form) { return; }
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("change", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { placesMap(); warnUnsaved(); });
})();
