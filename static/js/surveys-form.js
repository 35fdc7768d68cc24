/* The answer form of a questionnaire: hides the questions (and sections) whose condition
 * is not met, as one answers. Without JavaScript every question is shown with its
 * condition written beside it, and the server drops the answers to hidden questions
 * (surveys/answers.py holds the rules; this file mirrors them). */
(function () {
  "use strict";

  var source = document.getElementById("survey-conditions");
  var form = document.querySelector("form[data-survey-form]");
  if (!source || !form) {
    return;
  }
  var questions = JSON.parse(source.textContent).questions;

  function answerOf(id) {
    var inputs = form.querySelectorAll('[name="q' + id + '"]');
    var values = [];
    var single = null;
    inputs.forEach(function (input) {
      if (input.type === "radio") {
        if (input.checked) { single = input.value; }
      } else if (input.type === "checkbox") {
        if (input.checked) { values.push(input.value); }
      } else {
        single = input.value;
      }
    });
    if (inputs.length && inputs[0].type === "checkbox") {
      return values;
    }
    return single;
  }

  function conditionMet(question, shown) {
    if (!question.on) { return true; }
    if (!shown[question.on]) { return false; }
    var value = answerOf(question.on);
    if (Array.isArray(value)) { return value.indexOf(question.value) !== -1; }
    if (value === null || value === "") { return false; }
    return String(value) === question.value;
  }

  function update() {
    var shown = {};
    var sectionShown = true;
    questions.forEach(function (question) {
      var visible;
      if (question.section) {
        sectionShown = conditionMet(question, shown);
        visible = sectionShown;
      } else {
        visible = sectionShown && conditionMet(question, shown);
      }
      shown[question.id] = visible;
      var wrapper = form.querySelector('[data-question="' + question.id + '"]');
      if (wrapper) {
        wrapper.hidden = !visible;
      }
    });
  }

  // A draft is saved as one answers (a few seconds after the last change), by the same
  // request as the "Save the draft" button; without JavaScript that button does it.
  var status = document.getElementById("survey-autosave");
  if (status && window.fetch && window.FormData) {
    var timer = null;
    var autosave = function () {
      var data = new FormData(form);
      data.append("save", "1");
      fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          // A saved draft answers with a redirect; a form with errors comes back as is.
          if (response.ok && response.redirected) {
            var time = new Date().toLocaleTimeString(document.documentElement.lang || "ro", { hour: "2-digit", minute: "2-digit" });
            status.textContent = status.getAttribute("data-saved") + " " + time;
          } else {
            status.textContent = status.getAttribute("data-failed");
          }
        })
        .catch(function () { status.textContent = status.getAttribute("data-failed"); });
    };
    form.addEventListener("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(autosave, 1500);
    });
  }

  // With JavaScript the conditions are applied live: their written hints are not needed.
  form.querySelectorAll(".survey-condition").forEach(function (hint) { hint.hidden = true; });
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
