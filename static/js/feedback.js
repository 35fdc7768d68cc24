/* Charts of the satisfaction indices, drawn with Chart.js (served from our own static
 * files) from the configurations the page holds in #feedback-charts. Every number is
 * also in the table beside its chart: the charts are a visual aid only. */
(function () {
  "use strict";

  function draw() {
    var source = document.getElementById("feedback-charts");
    if (!source || typeof Chart === "undefined") {
      return;
    }
    var charts = JSON.parse(source.textContent);
    var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    Chart.defaults.color = "#1f1f1f";
    Chart.defaults.locale = document.documentElement.lang || "ro";
    document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var spec = charts[canvas.getAttribute("data-chart")];
      if (!spec || canvas.dataset.drawn) {
        return;
      }
      canvas.dataset.drawn = "1";
      if (spec.horizontal && spec.labels.length > 10) {
        canvas.parentNode.style.height = 28 * spec.labels.length + 60 + "px";
      }
      var valueAxis = spec.horizontal ? "x" : "y";
      var scales = {};
      scales[valueAxis] = { beginAtZero: true, max: spec.percent ? 100 : undefined };
      new Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: spec.datasets },
        options: {
          indexAxis: spec.horizontal ? "y" : "x",
          maintainAspectRatio: false,
          animation: reduceMotion ? false : undefined,
          scales: scales,
          plugins: { legend: { display: spec.datasets.length > 1, position: "bottom" } }
        }
      });
    });
  }

  // On the national map, the section of the satisfaction index follows the layer the
  // reader picks (the map redraws itself without reloading the page).
  function followMapLayer() {
    var section = document.getElementById("map-feedback");
    var controls = document.getElementById("map-controls");
    if (!section || !controls) {
      return;
    }
    controls.addEventListener("change", function (event) {
      if (event.target.name === "layer") {
        section.hidden = event.target.value !== section.getAttribute("data-layer");
        draw();
      }
    });
  }

  function start() {
    draw();
    followMapLayer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
