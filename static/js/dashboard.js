/* The coordinators' dashboard: draws each chart with Chart.js (served from our own static
 * files) from the configurations the page holds in #dashboard-charts. Every number is
 * also in the table under its chart, so the charts are a visual aid only. */
(function () {
  "use strict";

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var guideCharts = document.getElementById("guide-dashboard-charts");
  if (guideCharts) {
    Object.assign(charts, JSON.parse(guideCharts.textContent));
  }
  var lang = document.documentElement.lang || "ro";
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  Chart.defaults.color = "#1f1f1f";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.locale = lang;

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = charts[canvas.getAttribute("data-chart")];
    if (!spec) {
      return;
    }
    if (spec.horizontal && spec.labels.length > 10) {
      // One readable bar per label: long lists get a taller chart.
      canvas.parentNode.style.height = 28 * spec.labels.length + 60 + "px";
    }
    var valueAxis = spec.horizontal ? "x" : "y";
    var scales = {};
    scales[valueAxis] = { beginAtZero: true, stacked: spec.stacked, ticks: { precision: 0 } };
    scales[valueAxis === "x" ? "y" : "x"] = { stacked: spec.stacked };
    new Chart(canvas, {
      type: spec.type,
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: spec.horizontal ? "y" : "x",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: scales,
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom" }
        }
      }
    });
  });
})();
