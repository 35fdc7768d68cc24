// Similar proposals while a title is typed: people vote instead of duplicating.
(function () {
  "use strict";
  var box = document.getElementById("similar-proposals");
  var input = document.querySelector("input[data-similar]");
  if (!box || !input) {
    return;
  }
  var timer = null;
  var last = "";

  function show(results) {
    box.textContent = "";
    if (!results.length) {
      box.hidden = true;
      return;
    }
    var heading = document.createElement("h2");
    heading.className = "h6";
    heading.textContent = box.dataset.heading;
    var list = document.createElement("ul");
    results.forEach(function (item) {
      var li = document.createElement("li");
      var link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      li.appendChild(link);
      li.appendChild(document.createTextNode(" (" + item.yes + " " + box.dataset.votes + ")"));
      list.appendChild(li);
    });
    box.appendChild(heading);
    box.appendChild(list);
    box.hidden = false;
  }

  function lookUp() {
    var text = input.value.trim();
    if (text === last) {
      return;
    }
    last = text;
    if (text.length < 4) {
      show([]);
      return;
    }
    fetch(box.dataset.url + "?q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        show(data.results || []);
      })
      .catch(function () {
        show([]);
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookUp, 300);
  });
})();
