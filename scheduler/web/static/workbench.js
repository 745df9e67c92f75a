// The workbench's few scripts: live progress of a running job (server-sent events), and a
// notice when the scenario file changes on disk. Everything works without them but the live parts.
"use strict";
(function () {
  function params() { return new URLSearchParams(window.location.search); }
  function fmt(value, digits) { return value === null || value === undefined ? "–" : Number(value).toFixed(digits); }
  function set(id, text) { var el = document.getElementById(id); if (el) { el.textContent = text; } }

  function watchJob() {
    var job = document.getElementById("job");
    if (!job || job.dataset.running !== "yes" || !window.EventSource) { return; }
    var source = new EventSource("/events?f=" + encodeURIComponent(job.dataset.name));
    source.onmessage = function (message) {
      var snap = JSON.parse(message.data);
      var p = snap.progress || {};
      set("fig-elapsed", fmt(snap.elapsed, 1) + " s");
      if (p.plans !== undefined) { set("fig-plans", String(p.plans)); }
      if (p.objective !== undefined) { set("fig-objective", fmt(p.objective, 0)); }
      if (p.bound !== undefined) { set("fig-bound", fmt(p.bound, 0)); }
      if (p.total !== undefined) { set("fig-done", p.done + " / " + p.total); }
      if (p.left !== undefined) { set("fig-left", p.left === null ? "–" : Math.round(p.left) + " s"); }
      if (p.gap !== undefined) { set("fig-gap", p.gap === null ? "–" : (100 * p.gap).toFixed(1) + " %"); }
      if (p.realism) { Object.keys(p.realism).forEach(function (key) { set("fig-r-" + key, String(p.realism[key])); }); }
      if (!snap.running) { source.close(); window.location.reload(); }
    };
    source.addEventListener("none", function () { source.close(); });
    source.onerror = function () { source.close(); window.setTimeout(function () { window.location.reload(); }, 1500); };
  }

  function watchFile() {
    var notice = document.getElementById("disk-notice");
    var name = params().get("f");
    if (!notice || !name) { return; }
    window.setInterval(function () {
      fetch("/state?f=" + encodeURIComponent(name), { cache: "no-store" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (state) { if (state && state.digest !== notice.dataset.digest) { notice.hidden = false; } })
        .catch(function () {});
    }, 3000);
  }

  function markChanged() {
    var form = document.getElementById("editor");
    if (!form) { return; }
    form.addEventListener("input", function (event) { event.target.classList.add("edited"); });
    function show(input) {
      if (!input) { return; }
      var details = input.closest("details");
      if (details) { details.open = true; }
      input.scrollIntoView({ block: "center", inline: "center" });
      input.focus({ preventScroll: true });
    }
    document.querySelectorAll("a.go-to").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        show(form.querySelector('[data-path="' + CSS.escape(link.dataset.target) + '"]'));
      });
    });
    var first = form.querySelector(".field-problem[data-for]");
    show(first ? form.querySelector('[data-path="' + CSS.escape(first.dataset.for) + '"]') : form.querySelector(".invalid"));
  }

  function pinFromOverview() {
    var form = document.getElementById("pin-form");
    if (!form) { return; }
    document.querySelectorAll("button.pin-this").forEach(function (visit) {
      visit.addEventListener("click", function () {
        form.elements["class"].value = visit.dataset.class;
        form.elements["site"].value = visit.dataset.site;
        var date = form.elements["date"];
        for (var i = 0; i < date.options.length; i++) {
          if (date.options[i].value !== visit.dataset.date) { date.selectedIndex = i; break; }
        }
        form.classList.add("picked");
        form.scrollIntoView({ block: "center" });
        date.focus({ preventScroll: true });
      });
    });
  }

  function autoSubmit() {
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { watchJob(); watchFile(); markChanged(); autoSubmit(); pinFromOverview(); });
})();
