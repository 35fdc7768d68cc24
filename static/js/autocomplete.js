/* A choice among thousands of records (an institution's parent, a seat's official), made
 * from suggestions: the text box of the record's key that the server draws
 * (conect.core.forms.AutocompleteInput, input[data-autocomplete-url]) becomes a combobox
 * (WAI-ARIA's pattern: role=combobox, aria-expanded, aria-controls,
 * aria-activedescendant, a listbox of options; up and down move, Enter chooses, Escape
 * closes). The key goes in a hidden input of the original name, which the server checks
 * as before. Without this script the text box of the key still works. */
(function () {
  "use strict";

  var DELAY = 200; // ms after the last key before asking

  function enhance(original) {
    var url = original.getAttribute("data-autocomplete-url");
    var id = original.id;
    if (!url || !id) {
      return;
    }
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = original.name;
    hidden.value = original.value;

    var box = original.cloneNode(false);
    box.removeAttribute("name");
    box.removeAttribute("inputmode");
    box.removeAttribute("data-autocomplete-url");
    box.type = "text";
    // The chosen record's label; else what was sent (a text refused by the server).
    box.value = original.getAttribute("data-autocomplete-label") || original.value;
    var listId = id + "_listbox";
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", listId);

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "list-group autocomplete-list";
    list.setAttribute("role", "listbox");
    var labelledBy = document.querySelector('label[for="' + id + '"]');
    if (labelledBy) {
      labelledBy.id = labelledBy.id || id + "_label";
      list.setAttribute("aria-labelledby", labelledBy.id);
    }
    list.hidden = true;
    list.style.maxHeight = "16rem";
    list.style.overflowY = "auto";

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");

    original.replaceWith(hidden, box, list, status);

    var options = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      options.forEach(function (option, i) {
        var on = i === index;
        option.setAttribute("aria-selected", on ? "true" : "false");
        option.classList.toggle("active", on);
      });
      active = index;
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var option = options[index];
      if (!option) {
        return;
      }
      hidden.value = option.getAttribute("data-value");
      box.value = option.textContent;
      close();
    }

    function show(records) {
      list.textContent = "";
      options = records.map(function (record, i) {
        var option = document.createElement("li");
        option.id = id + "_option_" + i;
        option.className = "list-group-item list-group-item-action";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-value", record.id);
        option.textContent = record.label;
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(i);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      if (options.length) {
        list.hidden = false;
        box.setAttribute("aria-expanded", "true");
        status.textContent = "";
      } else {
        close();
        status.textContent = box.getAttribute("data-autocomplete-empty") || "";
      }
    }

    function ask() {
      var text = box.value.trim();
      if (!text) {
        show([]);
        status.textContent = "";
        return;
      }
      var number = ++asked;
      var address = url + (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(text);
      fetch(address, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (records) {
          if (number === asked) {
            show(records);
          }
        })
        .catch(function () {});
    }

    box.addEventListener("input", function () {
      // Typed text is not a choice: sent as it is, the server refuses it with a message
      // (and an empty box sends no choice).
      hidden.value = box.value.trim();
      window.clearTimeout(timer);
      timer = window.setTimeout(ask, DELAY);
    });

    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (list.hidden) {
          if (options.length) {
            list.hidden = false;
            box.setAttribute("aria-expanded", "true");
          }
          return;
        }
        event.preventDefault();
        var step = event.key === "ArrowDown" ? 1 : -1;
        mark((active + step + options.length) % options.length);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault(); // choose, do not send the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    box.addEventListener("blur", close);
  }

  document.querySelectorAll("input[data-autocomplete-url]").forEach(enhance);
})();
