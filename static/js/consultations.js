/* Consultations: small enhancements; every page works without them. */
(function () {
  "use strict";

  // A form marked data-submit-once cannot be sent twice by a double click: its submit
  // buttons are disabled once it is on its way (the server refuses duplicates anyway).
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (form.dataset.submitting === "1") {
        return;
      }
      form.dataset.submitting = "1";
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
          b.disabled = true;
          b.setAttribute("aria-disabled", "true");
        });
      }, 0);
    });
  });

  // "Select all on this page" for the bulk dispositions.
  document.querySelectorAll("[data-select-all]").forEach(function (toggle) {
    var scope = document.getElementById(toggle.getAttribute("data-select-all"));
    if (!scope) {
      return;
    }
    toggle.addEventListener("change", function () {
      scope.querySelectorAll("input[type=checkbox][name=recommendations]").forEach(function (box) {
        box.checked = toggle.checked;
      });
    });
  });
})();
