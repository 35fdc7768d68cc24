/* The results of a questionnaire: a bar chart per counted question, drawn with Chart.js
 * (served from our own static files) from #survey-charts. Every number is also in the
 * table beside its chart, so the charts are a visual aid only. */
(function () {
  "use strict";

  var source = document.getElementById("survey-charts");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var charts = JSON.parse(source.textContent);
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  Chart.defaults.color = "#1f1f1f";
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.locale = document.documentElement.lang || "ro";

  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var spec = charts[canvas.getAttribute("data-chart")];
    if (!spec) {
      return;
    }
    canvas.parentNode.style.height = Math.max(120, 32 * spec.labels.length + 60) + "px";
    new Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: spec.datasets },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: reduceMotion ? false : undefined,
        scales: {
          x: { beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0 } },
          y: { stacked: !!spec.stacked }
        },
        plugins: { legend: { display: spec.datasets.length > 1, position: "bottom" } }
      }
    });
  });
})();
