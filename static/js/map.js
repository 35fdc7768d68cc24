/* The national map of CONECT: a choropleth of the 8 development regions (and of the
 * counties of one region) drawn with Leaflet from our own GeoJSON, with no tile server
 * needed. The table beside the map holds the same numbers and is rendered by the server,
 * so the page works without JavaScript; this script keeps map, table, legend and address
 * in step. Configuration and translated sentences come from the page (json_script). */
(function () {
  "use strict";

  var app = document.getElementById("map-app");
  var mapEl = document.getElementById("map");
  if (!app || !mapEl || typeof L === "undefined") {
    return;
  }

  var config = JSON.parse(document.getElementById("map-config").textContent);
  var t = JSON.parse(document.getElementById("map-messages").textContent);
  var lang = config.language || document.documentElement.lang || "ro";
  var intFormat = new Intl.NumberFormat(lang);
  var decFormat = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  // ColorBrewer YlGnBu (sequential, colour-blind safe); zero gets a light grey.
  var COLOURS = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"];
  var ZERO = "#eeeeee";
  var OUTLINE = "#1f1f1f";

  var state = {
    layer: config.layer,
    mode: config.mode,
    domain: config.domain || "",
    region: config.region || ""
  };
  var sort = { column: 0, dir: "ascending" };
  var dataByDomain = {};
  var data = null;
  var boundaries = null;

  var el = {
    status: document.getElementById("map-status"),
    legend: document.getElementById("map-legend"),
    back: document.getElementById("map-back"),
    tableBack: document.getElementById("map-table-back"),
    heading: document.getElementById("table-heading"),
    caption: document.getElementById("map-caption"),
    table: document.getElementById("map-table"),
    body: document.getElementById("map-table-body"),
    foot: document.getElementById("map-table-foot"),
    countHeader: document.getElementById("map-count-header"),
    csv: document.getElementById("map-csv"),
    form: document.getElementById("map-controls"),
    apply: document.getElementById("map-apply"),
    domain: document.getElementById("map-domain")
  };

  function fmt(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function setStatus(text) {
    el.status.textContent = text;
  }

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" }).then(
      function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      }
    );
  }

  function loadData(domain) {
    if (!dataByDomain[domain]) {
      var url = config.dataUrl + (domain ? "?domain=" + encodeURIComponent(domain) : "");
      dataByDomain[domain] = fetchJSON(url).catch(function (error) {
        delete dataByDomain[domain];
        throw error;
      });
    }
    return dataByDomain[domain];
  }

  // --- Numbers of the areas shown -------------------------------------------

  function regionByCode(code) {
    for (var i = 0; i < data.regions.length; i++) {
      if (data.regions[i].code === code) {
        return data.regions[i];
      }
    }
    return null;
  }

  function areas() {
    if (state.region) {
      return data.counties.filter(function (c) {
        return c.region === state.region;
      });
    }
    return data.regions;
  }

  function value(area) {
    return state.mode === "per_capita" ? area.per_100k[state.layer] : area.counts[state.layer];
  }

  function layerName() {
    var label = t.layers[state.layer];
    return state.mode === "per_capita" ? fmt(t.layerPerCapita, { layer: label }) : label;
  }

  function areaLabel(area) {
    var v = value(area);
    if (v === null || v === undefined) {
      return area.name + ", " + t.layers[state.layer] + ": " + t.noData;
    }
    if (state.mode === "per_capita") {
      return fmt(t.areaPerCapita, { name: area.name, layer: t.layers[state.layer], value: decFormat.format(v) });
    }
    return fmt(t.areaCount, { name: area.name, layer: t.layers[state.layer], count: intFormat.format(v) });
  }

  // --- Colour scale ----------------------------------------------------------

  function niceStep(raw, integer) {
    if (raw <= 0) {
      return 1;
    }
    var exponent = Math.pow(10, Math.floor(Math.log10(raw)));
    var fraction = raw / exponent;
    var nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
    var step = nice * exponent;
    return integer ? Math.max(1, Math.ceil(step)) : step;
  }

  function makeScale(values) {
    var integer = state.mode !== "per_capita";
    var max = Math.max.apply(null, values.concat([0]));
    var step = niceStep(max / COLOURS.length, integer);
    var classes = max > 0 ? Math.min(COLOURS.length, Math.ceil(max / step)) : 0;
    function index(i) {
      return classes <= 1 ? 2 : Math.round((i * (COLOURS.length - 1)) / (classes - 1));
    }
    var format = integer ? intFormat : decFormat;
    var items = [{ colour: ZERO, text: format.format(0) }];
    for (var i = 0; i < classes; i++) {
      var from = integer ? i * step + 1 : i * step;
      var to = (i + 1) * step;
      items.push({
        colour: COLOURS[index(i)],
        text: from === to ? format.format(to) : format.format(from) + "–" + format.format(to)
      });
    }
    return {
      items: items,
      colour: function (v) {
        if (v === null || v === undefined || v <= 0 || !classes) {
          return ZERO;
        }
        return COLOURS[index(Math.min(classes - 1, Math.ceil(v / step) - 1))];
      }
    };
  }

  function renderLegend(scale) {
    var svgNS = "http://www.w3.org/2000/svg";
    el.legend.textContent = "";
    var title = document.createElement("p");
    title.className = "map-legend-title";
    title.textContent = layerName();
    var list = document.createElement("ul");
    list.className = "map-legend-items";
    scale.items.forEach(function (item) {
      var li = document.createElement("li");
      var svg = document.createElementNS(svgNS, "svg");
      svg.setAttribute("width", "18");
      svg.setAttribute("height", "14");
      svg.setAttribute("aria-hidden", "true");
      svg.setAttribute("focusable", "false");
      var rect = document.createElementNS(svgNS, "rect");
      rect.setAttribute("x", "0.5");
      rect.setAttribute("y", "0.5");
      rect.setAttribute("width", "17");
      rect.setAttribute("height", "13");
      rect.setAttribute("fill", item.colour);
      rect.setAttribute("stroke", OUTLINE);
      svg.appendChild(rect);
      li.appendChild(svg);
      li.appendChild(document.createTextNode(" " + item.text));
      list.appendChild(li);
    });
    el.legend.appendChild(title);
    el.legend.appendChild(list);
    el.legend.hidden = false;
  }

  // --- The map ---------------------------------------------------------------

  var map = L.map(mapEl, {
    zoomControl: false,
    scrollWheelZoom: false,
    zoomSnap: 0.25,
    minZoom: 5,
    maxZoom: 12
  });
  L.control.zoom({ zoomInTitle: t.zoomIn, zoomOutTitle: t.zoomOut }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  if (config.tiles && config.tiles.url) {
    L.tileLayer(config.tiles.url, { attribution: config.tiles.attribution || "" }).addTo(map);
  }
  map.attributionControl.addAttribution(escapeHtml(config.attribution));
  map.setView(config.center || [45.9, 24.97], config.zoom || 6);

  var baseLayer = null;
  var areaLayer = null;
  var highlight = null;
  var shown = {}; // code -> {area, layer}

  // The focused or hovered area gets a white-and-black outline drawn on top (visible on
  // every shade), as a separate layer so that the areas' order, and the Tab order, stay.
  function showHighlight(layer) {
    clearHighlight();
    highlight = L.layerGroup([
      L.geoJSON(layer.feature, { interactive: false, style: { color: "#ffffff", weight: 7, fill: false } }),
      L.geoJSON(layer.feature, {
        interactive: false,
        style: { color: "#000000", weight: 3, fill: false, className: "map-highlight" }
      })
    ]).addTo(map);
  }

  function clearHighlight() {
    if (highlight) {
      map.removeLayer(highlight);
      highlight = null;
    }
  }

  function tooltipContent(layer) {
    var span = document.createElement("span");
    span.textContent = areaLabel(shown[layer.feature.properties.code].area);
    return span;
  }

  function activate(code) {
    if (!state.region) {
      drill(code, "map");
    } else {
      var area = shown[code].area;
      window.location.href = area.links[state.layer];
    }
  }

  function bindArea(feature, layer) {
    var code = feature.properties.code;
    layer.bindTooltip(tooltipContent, { sticky: true, direction: "top", className: "map-tooltip" });
    layer.on("mouseover", function () {
      showHighlight(layer);
      setStatus(areaLabel(shown[code].area));
    });
    layer.on("mouseout", clearHighlight);
    layer.on("click", function () {
      activate(code);
    });
  }

  function decoratePaths() {
    Object.keys(shown).forEach(function (code) {
      var item = shown[code];
      var path = item.layer.getElement();
      if (!path) {
        return;
      }
      path.setAttribute("tabindex", "0");
      path.setAttribute("role", "button");
      path.setAttribute("data-code", code);
      path.setAttribute("aria-label", areaLabel(item.area));
      if (path.dataset.bound) {
        return;
      }
      path.dataset.bound = "1";
      path.addEventListener("focus", function () {
        var current = shown[code];
        showHighlight(current.layer);
        current.layer.openTooltip(current.layer.getCenter());
        setStatus(areaLabel(current.area));
      });
      path.addEventListener("blur", function () {
        clearHighlight();
        if (shown[code]) {
          shown[code].layer.closeTooltip();
        }
      });
      path.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          activate(code);
        }
      });
    });
  }

  function draw(options) {
    options = options || {};
    if (!baseLayer) {
      baseLayer = L.geoJSON(boundaries.regions, {
        interactive: false,
        style: { color: "#767676", weight: 1, fillColor: "#ffffff", fillOpacity: 0.6, className: "map-base" }
      }).addTo(map);
    }
    if (areaLayer) {
      map.removeLayer(areaLayer);
    }
    clearHighlight();
    var level = state.region ? "county" : "region";
    var byCode = {};
    areas().forEach(function (area) {
      byCode[area.code] = area;
    });
    var features = (state.region ? boundaries.counties : boundaries.regions).features.filter(function (f) {
      return byCode[f.properties.code];
    });
    shown = {};
    areaLayer = L.geoJSON(
      { type: "FeatureCollection", features: features },
      {
        style: function () {
          return { className: "map-area map-" + level, color: OUTLINE, weight: 1.2, fillOpacity: 0.9 };
        },
        onEachFeature: function (feature, layer) {
          shown[feature.properties.code] = { area: byCode[feature.properties.code], layer: layer };
          bindArea(feature, layer);
        }
      }
    ).addTo(map);
    map.fitBounds(areaLayer.getBounds(), { padding: [8, 8] });
    refresh();
    if (options.focus) {
      options.focus();
    }
  }

  function refresh() {
    var values = areas().map(value).filter(function (v) {
      return v !== null && v !== undefined;
    });
    var scale = makeScale(values);
    Object.keys(shown).forEach(function (code) {
      var item = shown[code];
      item.area = state.region
        ? data.counties.filter(function (c) {
            return c.code === code;
          })[0]
        : regionByCode(code);
      item.layer.setStyle({ fillColor: scale.colour(value(item.area)) });
    });
    decoratePaths();
    renderLegend(scale);
    renderTable();
    syncAddress();
    el.back.hidden = !state.region;
  }

  function drill(code, focusTarget) {
    var region = regionByCode(code);
    if (!region) {
      return;
    }
    state.region = code;
    draw({
      focus: function () {
        focusAfterMove(focusTarget, null);
        setStatus(fmt(t.drilled, { region: region.name }));
      }
    });
  }

  function back(focusTarget) {
    if (!state.region) {
      return;
    }
    var previous = state.region;
    state.region = "";
    draw({
      focus: function () {
        focusAfterMove(focusTarget, previous);
        setStatus(t.returned);
      }
    });
  }

  function focusAfterMove(target, code) {
    if (target === "table") {
      el.heading.setAttribute("tabindex", "-1");
      el.heading.focus();
      return;
    }
    if (target !== "map") {
      return;
    }
    var path = code ? mapEl.querySelector('path[data-code="' + code + '"]') : mapEl.querySelector("path.map-area");
    if (path) {
      path.focus();
    }
  }

  // --- The table -------------------------------------------------------------

  function cell(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== null) {
      node.textContent = text;
    }
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    return node;
  }

  function hidden(text) {
    return cell("span", " (" + text + ")", { class: "visually-hidden" });
  }

  function numberCells(row, count, perCapita, population, link, name) {
    var countCell = cell("td", null, { class: "text-end", "data-value": String(count) });
    if (link) {
      var a = cell("a", intFormat.format(count), { href: link });
      if (name) {
        a.appendChild(hidden(fmt(t.seeList, { name: name })));
      }
      countCell.appendChild(a);
    } else {
      countCell.textContent = intFormat.format(count);
    }
    row.appendChild(countCell);
    var hasRate = perCapita !== null && perCapita !== undefined;
    row.appendChild(
      cell("td", hasRate ? decFormat.format(perCapita) : "—", {
        class: "text-end",
        "data-value": hasRate ? String(perCapita) : ""
      })
    );
    row.appendChild(
      cell("td", population ? intFormat.format(population) : "—", {
        class: "text-end",
        "data-value": population ? String(population) : ""
      })
    );
  }

  function addressFor(region) {
    var params = new URLSearchParams();
    params.set("layer", state.layer);
    if (state.domain) {
      params.set("domain", state.domain);
    }
    params.set("mode", state.mode);
    if (region) {
      params.set("region", region);
    }
    return "?" + params.toString();
  }

  function renderTable() {
    var layer = state.layer;
    var region = state.region ? regionByCode(state.region) : null;
    el.body.textContent = "";
    areas().forEach(function (area) {
      var tr = cell("tr", null, { "data-code": area.code });
      var th = cell("th", null, { scope: "row", "data-value": area.name });
      if (!region) {
        var a = cell("a", area.name, { href: addressFor(area.code), class: "map-drill", "data-region": area.code });
        a.appendChild(hidden(fmt(t.showCounties, { name: area.name })));
        th.appendChild(a);
      } else {
        th.textContent = area.name;
      }
      tr.appendChild(th);
      numberCells(tr, area.counts[layer], area.per_100k[layer], area.population, area.links[layer], area.name);
      el.body.appendChild(tr);
    });
    el.foot.textContent = "";
    function footRow(kind, name, count, perCapita, population, link) {
      var tr = cell("tr", null, { class: "map-row-" + kind });
      tr.appendChild(cell("th", name, { scope: "row" }));
      numberCells(tr, count, perCapita, population, link, null);
      el.foot.appendChild(tr);
    }
    if (!region) {
      if (data.national[layer]) {
        footRow("national", t.nationalLevel, data.national[layer], null, null, null);
      }
      footRow("unknown", t.unknownLocation, data.unknown[layer], null, null, null);
      footRow("total", t.total, data.total[layer], data.total_per_100k[layer], data.population, data.total_links[layer]);
      el.heading.textContent = t.regionsHeading;
      el.caption.textContent = fmt(t.captionRegions, { layer: t.layers[layer] });
    } else {
      if (region.region_wide[layer]) {
        footRow("region_wide", t.wholeRegion, region.region_wide[layer], null, null, null);
      }
      footRow(
        "total",
        fmt(t.totalRegion, { region: region.name }),
        region.counts[layer],
        region.per_100k[layer],
        region.population,
        region.links[layer]
      );
      el.heading.textContent = fmt(t.countiesHeading, { region: region.name });
      el.caption.textContent = fmt(t.captionCounties, { layer: t.layers[layer], region: region.name });
    }
    el.countHeader.textContent = t.layers[layer];
    el.table.querySelector('button[data-column="0"]').textContent = region ? t.columnCounty : t.columnRegion;
    el.tableBack.hidden = !region;
    el.tableBack.setAttribute("href", addressFor(""));
    applySort();
  }

  function applySort() {
    var headers = el.table.querySelectorAll("thead th");
    var th = headers[sort.column];
    var numeric = th.getAttribute("data-sort") === "number";
    var rows = Array.prototype.slice.call(el.body.querySelectorAll("tr"));
    var collator = new Intl.Collator(lang);
    rows.sort(function (a, b) {
      var x = a.children[sort.column].getAttribute("data-value");
      var y = b.children[sort.column].getAttribute("data-value");
      var result;
      if (numeric) {
        result = (x === "" ? -Infinity : parseFloat(x)) - (y === "" ? -Infinity : parseFloat(y));
      } else {
        result = collator.compare(x, y);
      }
      return sort.dir === "ascending" ? result : -result;
    });
    rows.forEach(function (row) {
      el.body.appendChild(row);
    });
    Array.prototype.forEach.call(headers, function (header, i) {
      if (i === sort.column) {
        header.setAttribute("aria-sort", sort.dir);
      } else {
        header.removeAttribute("aria-sort");
      }
    });
  }

  el.table.addEventListener("click", function (event) {
    var button = event.target.closest("button.map-sort");
    if (!button) {
      return;
    }
    var column = parseInt(button.getAttribute("data-column"), 10);
    sort.dir = sort.column === column && sort.dir === "ascending" ? "descending" : "ascending";
    sort.column = column;
    applySort();
  });

  el.body.addEventListener("click", function (event) {
    var link = event.target.closest("a.map-drill");
    if (link && data) {
      event.preventDefault();
      drill(link.getAttribute("data-region"), "table");
    }
  });

  el.tableBack.addEventListener("click", function (event) {
    if (data) {
      event.preventDefault();
      back("table");
    }
  });

  el.back.addEventListener("click", function () {
    back("map");
  });

  app.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && state.region && mapEl.contains(document.activeElement)) {
      event.preventDefault();
      back("map");
    }
  });

  // --- Controls and address --------------------------------------------------

  function syncAddress() {
    if (window.history && window.history.replaceState) {
      window.history.replaceState(null, "", addressFor(state.region));
    }
    el.csv.setAttribute("href", config.csvUrl + (state.domain ? "?domain=" + encodeURIComponent(state.domain) : ""));
    var input = document.getElementById("map-region-input");
    if (input) {
      input.value = state.region;
    }
  }

  function enhanceControls() {
    el.apply.hidden = true;
    el.form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    el.form.addEventListener("change", function (event) {
      var target = event.target;
      if (target.name === "layer") {
        state.layer = target.value;
        refresh();
      } else if (target.name === "mode") {
        state.mode = target.value;
        refresh();
      } else if (target.name === "domain") {
        var domain = target.value;
        target.classList.remove("is-invalid");
        target.removeAttribute("aria-invalid");
        setStatus(t.loading);
        loadData(domain)
          .then(function (result) {
            state.domain = domain;
            data = result;
            refresh();
            setStatus("");
          })
          .catch(function () {
            setStatus(t.loadError);
          });
      }
    });
  }

  setStatus(t.loading);
  Promise.all([fetchJSON(config.boundariesUrl), loadData(state.domain)])
    .then(function (results) {
      boundaries = results[0];
      data = results[1];
      if (state.region && !regionByCode(state.region)) {
        state.region = "";
      }
      enhanceControls();
      draw();
      setStatus("");
    })
    .catch(function () {
      setStatus(t.loadError);
    });
})();
