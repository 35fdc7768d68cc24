/* Progress of a registry import: polls the job's JSON endpoint and updates the page
   (the numbers, the <progress> bar and the status announced to screen readers). When the
   job is finished, the page reloads to show the final counts and the error report. */
(function () {
  "use strict";
  var section = document.getElementById("import-progress");
  if (!section || section.dataset.finished === "true") {
    return;
  }
  var url = section.dataset.progressUrl;
  var bar = document.getElementById("import-progress-bar");
  var delay = 1500;
  var failures = 0;

  function show(data) {
    section.querySelectorAll("[data-field]").forEach(function (element) {
      var key = element.dataset.field;
      if (Object.prototype.hasOwnProperty.call(data, key)) {
        element.textContent = data[key];
      }
    });
    if (bar) {
      bar.value = data.percent;
      bar.textContent = data.percent + "%";
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        failures = 0;
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        failures += 1;
        if (failures < 10) {
          window.setTimeout(poll, delay * (failures + 1));
        }
      });
  }

  window.setTimeout(poll, delay);
})();
