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

  // With JavaScript the conditions are applied live: their written hints are not needed.
  form.querySelectorAll(".survey-condition").forEach(function (hint) { hint.hidden = true; });
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
