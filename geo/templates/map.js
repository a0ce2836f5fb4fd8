/* geo map client: draws the places from JSON, fills the side panel (filters,
 * place and document lists, document text) and links them to the map.
 * Needs Leaflet and Leaflet.markercluster (both inlined in the page).
 * A reader's corrections ("Wrong?" in a popup) apply at once and are downloaded
 * as corrections.csv for `geo map --corrections` (see the corrections section).
 * Every string from the data is put into the page as text (textContent,
 * setAttribute), never as HTML.
 */
(function () {
  "use strict";

  var LIST_PAGE = 200; // rows drawn at once; "show more" adds as many
  var DOC_PAGE = 100;
  var PASSAGES = 25; // passages shown in a popup
  var LABELS = 8; // the most mentioned places shown get a permanent label
  var AREA_MIN_PX = 7; // a fallback area is never drawn smaller than this
  var SHADES = ["#efedf5", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f"];
  var UNIT_COLOR = "#b45309";

  var G = null; // the map of this page
  var moving = false; // the map is panning/zooming (tests wait for it to settle)

  // --- small helpers --------------------------------------------------------

  function $(id) { return document.getElementById(id); }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = text;
    return e;
  }

  function fold(s) {
    return String(s).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function plural(n, word) { return n + " " + (n === 1 ? word : word + "s"); }

  function metersPerPixel(map, lat) {
    return 40075016.686 * Math.abs(Math.cos(lat * Math.PI / 180)) / (256 * Math.pow(2, map.getZoom()));
  }

  // --- set-up -------------------------------------------------------------------

  function init(map, data, outlines, opts) {
    // large runs keep the documents' texts in a side file (map.texts.js) loaded before this
    var side = window.GEO_TEXTS;
    data.docs.forEach(function (doc) {
      if (doc.side && side && typeof side[doc.id] === "string") doc.text = side[doc.id];
    });
    var g = (G = {
      map: map, opts: opts, places: data.places, units: data.units, docs: data.docs,
      shapes: data.shapes || [], base: data.base || {},
      mentions: data.mentions, kinds: data.kinds, precisions: data.precisions,
      filter: {
        doc: -1, minConf: 0,
        groups: new Set(Object.keys(opts.groups)),
        precisions: new Set(["exact", "nearby", "admin2", "admin1", "country"]),
      },
      placeLimit: LIST_PAGE, docLimit: DOC_PAGE, currentDoc: -1, openPlace: -1,
    });
    var nP = g.places.length, nM = g.mentions.length, nD = g.docs.length;
    g.groupOfKind = g.kinds.map(function (k) {
      for (var key in opts.groups) if (opts.groups[key].indexOf(k) >= 0) return key;
      return "city";
    });
    g.index = new Map(g.places.map(function (p, i) { return [p.id, i]; }));
    g.docIndex = new Map(g.docs.map(function (d, i) { return [d.id, i]; }));
    g.placeMentions = g.places.map(function () { return []; });
    g.docMentions = g.docs.map(function () { return []; });
    g.demonymOnly = new Uint8Array(nP).fill(1);
    g.total = new Int32Array(nP);
    g.mentions.forEach(function (m, i) {
      g.docMentions[m[0]].push(i);
      if (m[3] < 0) return;
      g.placeMentions[m[3]].push(i);
      g.total[m[3]]++;
      if (g.kinds[m[4]] !== "demonym") g.demonymOnly[m[3]] = 0;
    });
    g.folded = g.places.map(function (p) { return fold(p.name); });
    g.count = new Int32Array(nP);
    g.docCount = new Int32Array(nD);
    g.docPlaces = new Int32Array(nD);
    g.visible = new Uint8Array(nM);
    g.shown = new Uint8Array(nP);
    g.unitShown = new Uint8Array(g.units.length);
    g.labelled = new Set();

    g.outlines = new Map();
    outlines.features.forEach(function (f) {
      var iso = f.properties.iso_a2;
      if (!iso) return;
      if (!g.outlines.has(iso)) g.outlines.set(iso, []);
      g.outlines.get(iso).push(f);
    });

    buildLayers(g, outlines);
    setupTime(g);
    setupStories(g);
    wirePanel(g);
    initFixes(g);
    if (opts.message) notice(map, opts.message);
    // Small screens start with the filters folded; short maps with the legend folded.
    if (window.innerWidth < 800 || map.getSize().y < 560) $("geo-filters").open = false;
    if (window.innerWidth < 800 || map.getSize().y < 760) $("geo-legend").open = false;
    applyFilters();
    fitToVisible(6, false);
    window.addEventListener("hashchange", function () { applyHash(); });
    applyHash();
    // one document: show its text at once, where its mentions link to the map
    if (!location.hash && G.docs.length === 1) showDoc(0, { keepHash: true, stay: true });
    return g;
  }

  function buildLayers(g, outlines) {
    var map = g.map;
    // A pane under the tiles: when tiles load they cover it, when they
    // cannot (offline) the land still shows through the empty tiles.
    var land = map.createPane("geo-land");
    land.style.zIndex = 150;
    land.style.pointerEvents = "none";
    map.createPane("geo-shade").style.zIndex = 350;
    map.createPane("geo-focus").style.zIndex = 390;
    map.getPane("geo-focus").style.pointerEvents = "none";

    g.land = L.geoJSON(outlines, {
      pane: "geo-land", interactive: false,
      style: { color: "#a3a9b0", weight: 0.7, fillColor: "#f3efe4", fillOpacity: 1 },
    }).addTo(map);
    baseLayers(g);
    g.shade = L.geoJSON(outlines, {
      pane: "geo-shade",
      style: function () { return { weight: 0.6, color: "#6b7280", fillOpacity: 0 }; },
      onEachFeature: function (f, layer) {
        layer.bindTooltip(function () {  // an element, not a string: Leaflet puts strings in as HTML
          return el("span", null, f.properties.name + ": " +
            plural(g.countryCount.get(f.properties.iso_a2) || 0, "mention"));
        }, { sticky: true, className: "geo-shade-tip" });
      },
    });
    g.countryCount = new Map();
    g.focus = L.layerGroup().addTo(map);
    g.areas = L.featureGroup().addTo(map);
    g.unitLayers = g.units.map(function (u, i) { return unitLayer(g, u, i); });
    g.cluster = L.markerClusterGroup({
      maxClusterRadius: 44,
      disableClusteringAtZoom: 9,
      showCoverageOnHover: false,
      spiderfyOnMaxZoom: false,
      chunkedLoading: false, // added at once, so a popup opened right after stays open
      animate: animated(),
      iconCreateFunction: clusterIcon,
    }).addTo(map);
    g.shapeGroup = L.featureGroup().addTo(map);
    g.shapeLayers = g.places.map(function (p, i) { return isShaped(p) ? shapeLayer(g, p, i) : null; });
    g.markers = g.places.map(function (p, i) {
      return p.unit === undefined && !isShaped(p) ? placeMarker(g, p, i) : null;
    });

    var overlays = {
      "Places": g.cluster,
      "Rivers, lakes, ranges, states (drawn as they are)": g.shapeGroup,
      "Areas of approximate places": g.areas,
      "Countries shaded by mentions": g.shade,
      "Country outlines (offline)": g.land,
    };
    if (g.baseStates) overlays["States and provinces (offline)"] = g.baseStates;
    if (g.baseWater) overlays["Major rivers and lakes (offline)"] = g.baseWater;
    var bases = {};
    if (g.opts.tiles) bases["OpenStreetMap (online)"] = g.opts.tiles;
    L.control.layers(bases, overlays, { collapsed: true, position: "topright" }).addTo(map);
    legend(map);

    map.on("zoomend", function () { sizeAreas(g); stackShapes(g); });
    map.on("zoomend moveend", function () { window.setTimeout(declutter, 0); });
    g.cluster.on("animationend", declutter);
    map.on("movestart", function () { moving = true; });
    map.on("moveend", function () { moving = false; });
    map.on("overlayadd overlayremove", function (e) {
      if (e.layer === g.shade) { $("geo-shade").checked = map.hasLayer(g.shade); shadeCountries(g); }
    });
    map.on("popupclose", function (e) {
      if (g.openPlace >= 0 && e.popup._geoPlace === g.openPlace) {
        markText(g.places[g.openPlace].id, false);
        g.openPlace = -1;
        g.focus.clearLayers();
      }
    });
  }

  function clusterIcon(cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 32 : n < 100 ? 38 : 46;
    var inner = el("div", "geo-cluster-inner", String(n));
    return L.divIcon({ html: inner, className: "geo-cluster", iconSize: [size, size] });
  }

  function markerSize(g, i) { return Math.round(2 * Math.min(6 + 4 * Math.sqrt(Math.max(g.total[i], 1)), 26)); }

  function placeMarker(g, p, i) {
    var style = g.opts.styles[p.kind] || { color: "#4b5563", shape: "circle" };
    var size = markerSize(g, i);
    var glyph = el("div", "geo-glyph geo-glyph-" + style.shape);
    glyph.style.borderColor = style.color;
    glyph.style.backgroundColor = style.color + (g.demonymOnly[i] ? "22" : "44");
    if (g.demonymOnly[i]) glyph.style.borderStyle = "dotted";
    else if (p.kind === "admin1" || p.kind === "admin2") glyph.style.borderStyle = "dashed";
    var marker = L.marker([p.lat, p.lon], {
      icon: L.divIcon({ html: glyph, className: "geo-place geo-kind-" + p.kind, iconSize: [size, size] }),
      keyboard: true, riseOnHover: true,
    });
    marker._geoPlace = i;
    marker.bindPopup(function () { return popupContent(i); });
    marker.on("popupopen", function (e) {
      e.popup._geoPlace = i;
      L.setOptions(e.popup, popupOptions());
      e.popup.update();
      opened(i);
    });
    marker.on("add", function () {
      var e = marker.getElement();
      if (!e) return;
      e.setAttribute("data-place-id", p.id);
      e.setAttribute("aria-label", p.name + ", " + p.kind + ", " + plural(g.count[i], "mention"));
    });
    marker.on("mouseover", function () { labelHidden(marker, false); });
    marker.on("mouseout", function () { labelHidden(marker, marker._geoHidden); });
    return marker;
  }

  function popupOptions() {
    // Sized to the map, and panned clear of the zoom and layer controls.
    // Below the zoom and layer controls, above the legend button and the scale.
    var size = G.map.getSize();
    var width = Math.max(160, Math.min(360, size.x - 90)); // the content; the box adds 44px
    var legendBox = $("geo-legend");
    var top = 84, bottom = Math.max(size.y < 560 ? 72 : 34, legendBox ? legendBox.offsetHeight + 40 : 0);
    return {
      maxWidth: width, minWidth: Math.min(240, width),
      maxHeight: Math.max(140, Math.min(440, size.y - top - bottom - 64)),
      autoPanPaddingTopLeft: [12, top], autoPanPaddingBottomRight: [12, bottom],
    };
  }

  function unitLayer(g, u, i) {
    var style = {
      color: UNIT_COLOR, weight: 1.5, dashArray: "4 4", fillColor: UNIT_COLOR, fillOpacity: 0.14,
      className: "geo-area",
    };
    var layer;
    if (u.shape !== undefined && u.shape !== null && g.shapes[u.shape]) {
      layer = L.geoJSON(g.shapes[u.shape], { style: style });  // a state or county: its outline
    } else if (u.outline && g.outlines.has(u.outline)) {
      layer = L.geoJSON({ type: "FeatureCollection", features: g.outlines.get(u.outline) }, { style: style });
    } else {
      layer = L.circle([u.lat, u.lon], Object.assign({ radius: u.radius }, style));
    }
    layer.on("click", function (e) { L.DomEvent.stop(e); unitPopup(g, i, e.latlng); });
    layer.on("add", function () {
      var paths = [];
      if (layer.eachLayer) layer.eachLayer(function (l) { if (l.getElement) paths.push(l.getElement()); });
      else paths.push(layer.getElement());
      paths.forEach(function (path) { if (path) path.setAttribute("data-unit", String(i)); });
    });
    layer.bindTooltip(function () { return el("span", null, "somewhere in " + u.name + " (" + u.what + ")"); },
      { sticky: true });
    return layer;
  }

  function sizeAreas(g) {
    g.unitLayers.forEach(function (layer, i) {
      var u = g.units[i];
      if (!layer.setRadius) return;
      layer.setRadius(Math.max(u.radius, AREA_MIN_PX * metersPerPixel(g.map, u.lat)));
    });
  }

  function unitBounds(u) {
    if (u.bounds) return L.latLngBounds(u.bounds);
    return L.latLng(u.lat, u.lon).toBounds(2 * u.radius);
  }

  // --- places drawn as what they are: lines, areas, outlines (footprints) -------

  function isShaped(p) { return p.unit === undefined && p.shape !== undefined && p.shape !== null; }

  function isLine(geom) { return /LineString$/.test(geom.type); }

  function shapeWords(geom) {
    return isLine(geom) ? "its line (simplified)" : "its area or outline (simplified)";
  }

  // An exact place with a footprint: a river as a line, a lake, range or state as an area.
  function shapeLayer(g, p, i) {
    var color = (g.opts.styles[p.kind] || { color: "#4b5563" }).color, geom = g.shapes[p.shape];
    var line = isLine(geom);
    var layer = L.geoJSON(geom, {
      style: {
        color: color, weight: line ? 3.5 : 2, opacity: 0.9, fill: !line, fillColor: color, fillOpacity: 0.16,
        className: "geo-shape " + (line ? "geo-shape-line" : "geo-shape-area"),
      },
    });
    layer.on("click", function (e) {
      L.DomEvent.stop(e);
      // places that fell back to this state share its outline: offer them all
      var k = g.units.findIndex(function (u) { return u.shape === p.shape; });
      if (k >= 0 && placesOnShape(g, p.shape).length > 1) unitPopup(g, k, e.latlng);
      else openPlacePopup(i, e.latlng);
    });
    layer.on("add", function () {
      layer.eachLayer(function (l) {
        var e = l.getElement && l.getElement();
        if (!e) return;
        e.setAttribute("data-place-id", p.id);
        e.setAttribute("aria-label", p.name + ", " + p.kind + ", " + plural(g.count[i], "mention"));
      });
    });
    layer.bindTooltip(function () { return el("span", null, p.name + " · " + plural(g.count[i], "mention")); },
      { sticky: true });
    return layer;
  }

  // Every shown place drawn on shape k: the place itself, and those that fell back to it.
  function placesOnShape(g, k) {
    var out = [];
    g.places.forEach(function (p, i) {
      if (g.count[i] && (isShaped(p) ? p.shape === k : p.unit !== undefined && g.units[p.unit].shape === k)) out.push(i);
    });
    return out;
  }

  // Large areas under small ones, lines on top: a lake inside a state, or a state
  // inside the country a fallback stands for, stays clickable.
  function stackShapes(g) {
    var shown = [];
    function size(layer, line) {
      if (line) return -1;
      var b = layer.getBounds();
      return (b.getNorth() - b.getSouth()) * (b.getEast() - b.getWest());
    }
    g.shapeLayers.forEach(function (layer, j) {
      if (!layer || !g.shown[j]) return;
      if (layer._geoSize === undefined) layer._geoSize = size(layer, isLine(g.shapes[g.places[j].shape]));
      shown.push([layer._geoSize, layer]);
    });
    g.unitLayers.forEach(function (layer, k) {
      if (g.unitShown[k]) shown.push([size(layer, false), layer]);  // a circle's size follows the zoom
    });
    shown.sort(function (a, b) { return b[0] - a[0]; });
    shown.forEach(function (item) { item[1].bringToFront(); });
  }

  function showShape(g, j, on) {
    if (on && !g.shown[j]) g.shapeGroup.addLayer(g.shapeLayers[j]);
    if (!on && g.shown[j]) g.shapeGroup.removeLayer(g.shapeLayers[j]);
    g.shown[j] = on ? 1 : 0;
  }

  function focusShape(g, geom, approx) {
    L.geoJSON(geom, {
      pane: "geo-focus", interactive: false,
      style: { color: approx ? UNIT_COLOR : "#111827", weight: isLine(geom) ? 5 : 3, fill: false, opacity: 0.8,
        dashArray: approx ? "5 4" : null },
    }).addTo(g.focus);
  }

  // The offline base layer's extras, under the tiles like the country outlines:
  // the states and provinces of the mentioned countries, and the major rivers and lakes.
  function baseLayers(g) {
    var base = g.base, map = g.map;
    if (base.admin1 && base.admin1.length) {
      g.baseStates = L.geoJSON({ type: "FeatureCollection", features: base.admin1 }, {
        pane: "geo-land", interactive: false,
        style: { color: "#b3a993", weight: 0.6, dashArray: "3 3", fill: false },
      }).addTo(map);
    }
    if (base.water && base.water.length) {
      g.baseWater = L.geoJSON({ type: "FeatureCollection", features: base.water }, {
        pane: "geo-land", interactive: false,
        style: function (f) {
          var line = isLine(f.geometry);
          return { color: "#8fb3d1", weight: line ? 1 : 0.5, fill: !line, fillColor: "#d4e5f3", fillOpacity: 1 };
        },
      }).addTo(map);
    }
  }

  // --- filtering ------------------------------------------------------------

  function applyFilters() {
    var g = G, f = g.filter;
    g.count.fill(0); g.docCount.fill(0); g.docPlaces.fill(0);
    var stamp = new Int32Array(g.places.length);
    var shownMentions = 0;
    g.countryCount = new Map();
    for (var i = 0; i < g.mentions.length; i++) {
      var m = g.mentions[i], p = m[3];
      var ok = p >= 0 && (f.doc < 0 || m[0] === f.doc) && g.docOn[m[0]] && f.groups.has(g.groupOfKind[m[4]]) &&
        f.precisions.has(g.precisions[m[5]]) && m[6] >= f.minConf - 1e-9;
      g.visible[i] = ok ? 1 : 0;
      if (!ok) continue;
      shownMentions++;
      g.count[p]++;
      g.docCount[m[0]]++;
      if (stamp[p] !== m[0] + 1) { stamp[p] = m[0] + 1; g.docPlaces[m[0]]++; }
      var cc = g.places[p].cc;
      if (cc) g.countryCount.set(cc, (g.countryCount.get(cc) || 0) + 1);
    }
    var add = [], remove = [];
    var unitCount = new Int32Array(g.units.length);
    var shownPlaces = 0;
    g.places.forEach(function (p, j) {
      var on = g.count[j] > 0;
      if (on) shownPlaces++;
      if (p.unit !== undefined) { unitCount[p.unit] += g.count[j]; g.shown[j] = on ? 1 : 0; return; }
      if (g.shapeLayers[j]) { showShape(g, j, on); return; }
      if (on && !g.shown[j]) add.push(g.markers[j]);
      if (!on && g.shown[j]) remove.push(g.markers[j]);
      g.shown[j] = on ? 1 : 0;
    });
    if (remove.length) g.cluster.removeLayers(remove);
    if (add.length) g.cluster.addLayers(add);
    g.units.forEach(function (u, k) {
      var on = unitCount[k] > 0;
      if (on && !g.unitShown[k]) g.areas.addLayer(g.unitLayers[k]);
      if (!on && g.unitShown[k]) g.areas.removeLayer(g.unitLayers[k]);
      g.unitShown[k] = on ? 1 : 0;
    });
    sizeAreas(g);
    stackShapes(g);
    if (g.openPlace >= 0 && !g.count[g.openPlace]) g.map.closePopup();
    else if (g.openPlace >= 0 && g.map._popup) g.map._popup.setContent(popupContent(g.openPlace));
    updateLabels(g);
    shadeCountries(g);

    var docsShown = 0, onlyTime = !isFiltered(g, true);
    for (var d = 0; d < g.docs.length; d++) if (g.docCount[d] || (onlyTime && g.docOn[d])) docsShown++;
    var filtered = isFiltered(g);
    var summary = plural(shownPlaces, "place") + " · " + plural(shownMentions, "mention") + " · " +
      (filtered ? docsShown + " of " : "") + plural(g.docs.length, "document");
    var exact = 0;
    for (i = 0; i < g.mentions.length; i++) if (g.visible[i] && g.precisions[g.mentions[i][5]] === "exact") exact++;
    if (shownMentions) summary += " · " + Math.round(100 * exact / shownMentions) + "% exact";
    $("geo-summary").textContent = summary;
    $("geo-places-n").textContent = String(shownPlaces);
    var inRange = 0;
    for (d = 0; d < g.docs.length; d++) inRange += g.docOn[d];
    $("geo-docs-n").textContent = String(inRange);
    var state = [];
    if (f.doc >= 0) state.push("1 document");
    if (f.groups.size < Object.keys(g.opts.groups).length) state.push(f.groups.size + " kinds");
    if (f.precisions.size < 5) state.push(f.precisions.size + " precisions");
    if (f.minConf > 0) state.push("confidence ≥ " + f.minConf.toFixed(2));
    if (timeActive(g)) state.push("dates " + (f.from || "…") + " – " + (f.to || "…"));
    $("geo-filter-state").textContent = state.length ? "(" + state.join(", ") + ")" : "";
    $("geo-docfilter").hidden = f.doc < 0;
    $("geo-docfilter-name").textContent = f.doc >= 0 ? g.docs[f.doc].id : "";
    renderPlaces();
    renderDocs();
    updateStories(g);
    if (g.currentDoc >= 0) markTextVisibility(g);
    if (g.fixes) renderUnplacedScope(g); // the document a point set from the panel may be limited to
  }

  function isFiltered(g, exceptTime) {
    var f = g.filter;
    return (!exceptTime && timeActive(g)) || f.doc >= 0 || f.minConf > 0 || f.precisions.size < 5 || f.groups.size < Object.keys(g.opts.groups).length;
  }

  function resetFilters(keepDoc) {
    var g = G, f = g.filter;
    if (!keepDoc) f.doc = -1;
    f.minConf = 0;
    f.groups = new Set(Object.keys(g.opts.groups));
    f.precisions = new Set(["exact", "nearby", "admin2", "admin1", "country"]);
    document.querySelectorAll(".geo-filters input[type=checkbox][name]").forEach(function (c) { c.checked = true; });
    $("geo-confidence").value = "0";
    $("geo-confidence-value").textContent = "0.00";
    if (g.time) {
      f.from = f.to = null;
      f.undated = true;
      if ($("geo-undated")) $("geo-undated").checked = true;
      timeChanged(g);  // redraws
      return;
    }
    applyFilters();
  }

  function updateLabels(g) {
    var order = [];
    g.places.forEach(function (p, i) { if (g.count[i] && g.markers[i]) order.push(i); });
    order.sort(function (a, b) { return g.count[b] - g.count[a] || g.places[a].name.localeCompare(g.places[b].name); });
    var top = new Set(order.slice(0, LABELS));
    order.forEach(function (i) {
      var marker = g.markers[i], want = top.has(i), has = g.labelled.has(i);
      var text = el("span", null, g.places[i].name + " · " + g.count[i]);  // as text: see buildLayers
      var tip = marker.getTooltip();
      if (tip && want === has) { tip.setContent(text); return; }
      if (tip) marker.unbindTooltip();
      var r = markerSize(g, i) / 2;
      marker.bindTooltip(text, {
        permanent: want, direction: "right", offset: [r, 0], className: "geo-label", opacity: 0.94,
      });
      if (want) g.labelled.add(i); else g.labelled.delete(i);
    });
  }

  function labelHidden(marker, hidden) {
    var tip = marker.getTooltip();
    var e = tip && tip.options.permanent && tip.getElement();
    if (e) e.classList.toggle("geo-label-hidden", !!hidden);
  }

  function declutter() {
    // Labels are checked most-mentioned first; one that would cover a label
    // already shown is hidden (it still shows on hover).
    var g = G;
    if (!g) return;
    // The map controls count as shown: a label never hides under one.
    var shown = Array.from(g.map.getContainer().querySelectorAll(".leaflet-control")).map(function (c) {
      return c.getBoundingClientRect();
    });
    var order = Array.from(g.labelled).sort(function (a, b) { return g.count[b] - g.count[a]; });
    order.forEach(function (i) {
      var marker = g.markers[i];
      var tip = marker.getTooltip();
      var e = tip && tip.options.permanent && tip.getElement();
      if (!e || !g.map.hasLayer(marker)) return;
      e.classList.remove("geo-label-hidden");
      var r = e.getBoundingClientRect();
      var clash = shown.some(function (s) {
        return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
      });
      marker._geoHidden = clash;
      if (clash) e.classList.add("geo-label-hidden");
      else shown.push(r);
    });
  }

  // --- countries shaded by mentions ---------------------------------------------

  function shadeBreaks(g) {
    var max = 0;
    g.countryCount.forEach(function (n) { if (n > max) max = n; });
    var breaks = [];
    for (var k = 1; k <= SHADES.length; k++) breaks.push(Math.max(1, Math.round(Math.exp(Math.log(1 + max) * k / SHADES.length) - 1)));
    return breaks; // upper bound of each class
  }

  function shadeColor(breaks, n) {
    if (!n) return null;
    for (var k = 0; k < breaks.length; k++) if (n <= breaks[k]) return SHADES[k];
    return SHADES[SHADES.length - 1];
  }

  function shadeCountries(g) {
    var on = g.map.hasLayer(g.shade);
    if (on) {
      var breaks = shadeBreaks(g);
      g.shade.eachLayer(function (layer) {
        var color = shadeColor(breaks, g.countryCount.get(layer.feature.properties.iso_a2) || 0);
        layer.setStyle(color ? { fillColor: color, fillOpacity: 0.75 } : { fillOpacity: 0 });
      });
    }
    shadeLegend(g, on);
  }

  function shadeLegend(g, on) {
    var box = $("geo-shade-legend");
    if (!box) return;
    box.hidden = !on;
    if (!on) return;
    var list = box.querySelector("ol");
    list.textContent = "";
    var breaks = shadeBreaks(g), low = 1;
    breaks.forEach(function (high, k) {
      if (high < low) return;
      var li = el("li");
      var sw = el("span", "geo-shade-swatch");
      sw.style.background = SHADES[k];
      li.appendChild(sw);
      li.appendChild(document.createTextNode(low === high ? String(low) : low + "–" + high));
      list.appendChild(li);
      low = high + 1;
    });
  }

  // --- popups -----------------------------------------------------------------

  function facts(dl, term, value) {
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
  }

  function popupContent(i) {
    var g = G, p = g.places[i];
    var style = g.opts.styles[p.kind] || { color: "#4b5563", label: p.kind };
    var box = el("div", "geo-popup");
    box.setAttribute("data-place-id", p.id);
    box.appendChild(el("h3", null, p.name));
    var badge = el("span", "geo-badge", style.label);
    badge.style.background = style.color;
    box.appendChild(badge);
    var dl = el("dl", "geo-facts");
    if (p.unit !== undefined) {
      var u = g.units[p.unit];
      var approx = el("span");
      approx.appendChild(el("span", "geo-approx", "approximate"));
      approx.appendChild(document.createTextNode(": not in the gazetteer; somewhere in " + u.name +
        " (" + u.what + "). The area is drawn, not a point."));
      facts(dl, "Precision", approx);
    } else {
      facts(dl, "Precision", p.gid.indexOf("fix:") === 0 ? "exact (a point you set)" : "exact (gazetteer point)");
    }
    if (isShaped(p)) facts(dl, "Drawn as", shapeWords(g.shapes[p.shape]));
    var ids = g.placeMentions[i].filter(function (k) { return g.visible[k]; });
    var docs = new Set(ids.map(function (k) { return g.mentions[k][0]; }));
    var best = 0;
    ids.forEach(function (k) { if (g.mentions[k][6] > best) best = g.mentions[k][6]; });
    facts(dl, "Confidence", best.toFixed(2));
    var count = plural(ids.length, "mention") + " in " + plural(docs.size, "document");
    if (ids.length < g.total[i]) count += " (" + g.total[i] + " without filters)";
    facts(dl, "Mentions", count);
    var where = [p.gid, p.cc, p.admin1].filter(Boolean).join(" · ");
    if (where) facts(dl, "Gazetteer", where);
    if (p.why) facts(dl, "Why here?", p.why);
    box.appendChild(dl);
    var alts = candidatesBox(p);
    if (alts) box.appendChild(alts);
    box.appendChild(wrongBox(g, i));
    // One item per sentence: two mentions in one sentence are marked together.
    var groups = [], last = null;
    ids.forEach(function (k) {
      var m = g.mentions[k];
      if (last && last.doc === m[0] && last.start === m[7]) last.ids.push(k);
      else groups.push((last = { doc: m[0], start: m[7], ids: [k] }));
    });
    var strip = timeStrip(g, i);
    if (strip) box.appendChild(strip);
    var list = el("ol", "geo-passages");
    groups.slice(0, PASSAGES).forEach(function (grp) { list.appendChild(passageItem(g, grp.ids)); });
    box.appendChild(list);
    if (groups.length > PASSAGES) {
      box.appendChild(el("p", "geo-more-note", "and " + (groups.length - PASSAGES) +
        " more passages: choose a document to read them all"));
    }
    return box;
  }

  function passageItem(g, ids) {
    var first = g.mentions[ids[0]], doc = g.docs[first[0]];
    var li = el("li");
    var conf = ids.map(function (k) { return g.mentions[k][6].toFixed(2); }).join(", ");
    li.appendChild(el("span", "geo-docname", doc.id + " · confidence " + conf));
    var text = doc.text !== null ? doc.text.slice(first[7], first[8]) : first[9] || "";
    var pos = 0;
    ids.forEach(function (k) {
      var m = g.mentions[k];
      var lo = Math.min(Math.max(m[1] - first[7], pos), text.length);
      var hi = Math.min(Math.max(m[2] - first[7], lo), text.length);
      li.appendChild(document.createTextNode(text.slice(pos, lo)));
      li.appendChild(el("mark", null, text.slice(lo, hi)));
      pos = hi;
    });
    li.appendChild(document.createTextNode(text.slice(pos) + " "));
    if (doc.text !== null) {
      var jump = el("button", "geo-jump geo-link", "in text ›");
      jump.type = "button";
      jump.setAttribute("data-doc", String(first[0]));
      jump.setAttribute("data-start", String(first[1]));
      li.appendChild(jump);
    }
    return li;
  }

  function unitPopup(g, k, latlng) {
    var u = g.units[k];
    // A unit drawn as its outline shares it with the unit itself when that is mentioned too.
    var members = u.shape !== undefined && u.shape !== null ? placesOnShape(g, u.shape) : [];
    if (!members.length) g.places.forEach(function (p, i) { if (p.unit === k && g.count[i]) members.push(i); });
    members.sort(function (a, b) { return g.count[b] - g.count[a]; });
    if (members.length === 1) return openPlacePopup(members[0], latlng);
    var itself = members.some(function (i) { return g.places[i].unit === undefined; });
    var box = el("div", "geo-popup");
    box.appendChild(el("h3", null, (itself ? "" : "Somewhere in ") + u.name));
    box.appendChild(el("p", "geo-unit-note", (itself ? u.name + " itself, and places" : "These places") +
      " not in the gazetteer; each is known only to this " + u.what + ", so the area is drawn, not a point."));
    var list = el("ul", "geo-unit-list");
    members.forEach(function (i) {
      var li = el("li");
      var b = el("button", "geo-link geo-unit-place", g.places[i].name + " (" + g.count[i] + ")");
      b.type = "button";
      b.setAttribute("data-place-id", g.places[i].id);
      li.appendChild(b);
      list.appendChild(li);
    });
    box.appendChild(list);
    var popup = L.popup(popupOptions()).setLatLng(latlng || [u.lat, u.lon]).setContent(box);
    popup._geoUnit = k;
    popup.openOn(g.map);
  }

  function openPlacePopup(i, latlng) {
    var g = G, p = g.places[i], marker = g.markers[i];
    if (marker && g.map.hasLayer(marker)) {
      marker.openPopup();
      return;
    }
    // A fallback has no marker: its popup opens on its area. A marker still
    // inside a cluster at this zoom gets its popup at its point, without
    // zooming further in than the place deserves.
    if (!latlng) latlng = p.unit !== undefined ? [g.units[p.unit].lat, g.units[p.unit].lon] : [p.lat, p.lon];
    var popup = L.popup(popupOptions()).setLatLng(latlng).setContent(popupContent(i));
    popup._geoPlace = i;
    popup.openOn(g.map);
    opened(i);
  }

  function opened(i) {
    var g = G, p = g.places[i];
    if (g.openPlace >= 0 && g.openPlace !== i) markText(g.places[g.openPlace].id, false);
    g.openPlace = i;
    markText(p.id, true);
    g.focus.clearLayers();
    var iso = p.outline || (p.unit !== undefined ? g.units[p.unit].outline : null);
    var shape = isShaped(p) ? p.shape : p.unit !== undefined ? g.units[p.unit].shape : null;
    if (shape !== undefined && shape !== null && g.shapes[shape]) {
      focusShape(g, g.shapes[shape], p.unit !== undefined);
    } else if (iso && g.outlines.has(iso)) {
      L.geoJSON({ type: "FeatureCollection", features: g.outlines.get(iso) }, {
        pane: "geo-focus", interactive: false,
        style: { color: p.unit !== undefined ? UNIT_COLOR : "#c2410c", weight: 2.5, fill: false,
          dashArray: p.unit !== undefined ? "5 4" : null },
      }).addTo(g.focus);
    }
    document.querySelectorAll(".geo-row.geo-current").forEach(function (r) { r.classList.remove("geo-current"); });
    var row = document.querySelector('.geo-row[data-place-id="' + CSS.escape(p.id) + '"]');
    if (row) row.classList.add("geo-current");
  }

  // --- corrections: "Wrong?" in a popup, the pending list, corrections.csv ---------
  // A correction applies in the page at once: the pending corrections (g.fixes)
  // are replayed, in order, over the mentions as the page came (g.base), later
  // ones winning, as `geo map --corrections corrections.csv` applies the file.
  // They stay in this page (and, where the browser allows, its localStorage)
  // until downloaded; nothing is sent anywhere.

  var FIX_COLUMNS = ["surface", "doc_id", "action", "gazetteer_id", "name", "lat", "lon", "kind", "country_code"];
  var FIX_ACTIONS = ["choose", "place", "not_a_place"];
  var FIX_LETTERS = { "ß": "ss", "Đ": "D", "đ": "d", "Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "Æ": "Ae", "æ": "ae",
    "Œ": "Oe", "œ": "oe", "Þ": "Th", "þ": "th", "Ð": "D", "ð": "d", "ı": "i", "Ħ": "H", "ħ": "h" };
  var UNPLACED_MAX = 200;
  var ZOOM_OF_KIND = { continent: 3, country: 4, admin1: 6, admin2: 8 };

  function nameKey(s) { // as geo.gazetteer.name_key folds names
    var t = String(s).normalize("NFKD").replace(/\p{Mn}/gu, "");
    t = t.replace(/[ßĐđŁłØøÆæŒœÞþÐðıĦħ]/g, function (c) { return FIX_LETTERS[c]; }).toLowerCase();
    return t.replace(/[.'’`´]/g, "").replace(/[\s\-‐–—,]+/g, " ").trim();
  }

  function slug(s) { // as geo.corrections names the place of a `place` row
    var t = String(s).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    return t.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "x";
  }

  function button(cls, text, onClick) {
    var b = el("button", cls, text);
    b.type = "button";
    b.addEventListener("click", function (e) { e.preventDefault(); e.stopPropagation(); onClick(); });
    return b;
  }

  function surfaceOf(g, k) {
    var m = g.mentions[k], doc = g.docs[m[0]];
    if (doc.text !== null) return doc.text.slice(m[1], m[2]);
    return (m[9] || "").slice(m[1] - m[7], m[2] - m[7]);
  }

  function initFixes(g) {
    g.base = { places: g.places.length, mentions: g.mentions.map(function (m) { return [m[3], m[4], m[5], m[6]]; }) };
    g.fixed = new Uint8Array(g.mentions.length); // 1 corrected, 2 not a place
    g.keyMentions = new Map();
    g.mentions.forEach(function (m, k) {
      var key = nameKey(surfaceOf(g, k));
      if (!key) return;
      if (!g.keyMentions.has(key)) g.keyMentions.set(key, []);
      g.keyMentions.get(key).push(k);
    });
    g.map.on("click", function (e) {
      if (!g.picking) return;
      var done = g.picking.done;
      cancelPick(g);
      done(e.latlng.wrap());
    });
    $("geo-fix-download").addEventListener("click", function () { downloadFixes(g); });
    $("geo-fixes").addEventListener("toggle", function () { renderFixes(g); });
    g.fixes = loadFixes(g);
    if (g.fixes.length) replayFixes(g, true); else renderFixes(g);
  }

  // The document a correction made in this popup may be limited to: the one
  // shown, or the only one the place is mentioned in.
  function scopeDoc(g, i) {
    if (g.currentDoc >= 0) return g.currentDoc;
    var docs = new Set(g.placeMentions[i].map(function (k) { return g.mentions[k][0]; }));
    return docs.size === 1 ? docs.values().next().value : -1;
  }

  // The names (by key) a place is mentioned by, in one document or all (-1):
  // its named mentions, or its demonyms when it has no other.
  function placeSurfaces(g, i, d) {
    var seen = new Map();
    g.placeMentions[i].forEach(function (k) {
      var m = g.mentions[k];
      if (d >= 0 && m[0] !== d) return;
      var s = surfaceOf(g, k), key = nameKey(s);
      if (key && !seen.has(key)) seen.set(key, { surface: s, kind: g.kinds[m[4]] });
    });
    var all = Array.from(seen.values());
    var named = all.filter(function (s) { return s.kind !== "demonym"; });
    return named.length ? named : all;
  }

  function fixRow(action, s, d, target) {
    var row = { surface: s.surface, doc_id: d >= 0 ? G.docs[d].id : "", action: action, gazetteer_id: "",
      name: "", lat: "", lon: "", kind: "", country_code: "" };
    if (target) {
      row.gazetteer_id = action === "choose" ? target.gid : "";
      row.name = target.name;
      row.lat = Math.round(target.lat * 1e5) / 1e5;
      row.lon = Math.round(target.lon * 1e5) / 1e5;
      row.kind = target.kind;
      row.country_code = target.cc || "";
      if (target.country) row.country = target.country; // shown in the list, not written
    }
    return row;
  }

  function pointRows(g, surfaces, d, latlng) {
    return surfaces.map(function (s) {
      var kind = s.kind && s.kind !== "demonym" ? s.kind : "feature";
      return fixRow("place", s, d, { name: s.surface, lat: latlng.lat, lon: latlng.lng, kind: kind, cc: "" });
    });
  }

  function addFixes(g, rows) {
    if (!rows.length) return;
    rows.forEach(function (r) { g.fixes.push(r); });
    replayFixes(g);
  }

  function wrongBox(g, i) {
    var p = g.places[i];
    var box = el("details", "geo-wrong");
    box.appendChild(el("summary", null, "Wrong?"));
    var d = scopeDoc(g, i);
    var scope = el("select", "geo-fix-scope");
    scope.setAttribute("aria-label", "Where the correction applies");
    var every = el("option", null, "in every document");
    every.value = "-1";
    scope.appendChild(every);
    if (d >= 0) {
      var one = el("option", null, "only in " + g.docs[d].id);
      one.value = String(d);
      scope.appendChild(one);
    }
    var line = el("label", "geo-fix-line", "Correct it ");
    line.appendChild(scope);
    box.appendChild(line);
    function doc() { return +scope.value; }
    var acts = el("div", "geo-fix-actions");
    (p.alts || []).forEach(function (a) {
      var b = button("geo-button geo-fix-choose", "It is " + a.name + (a.country || a.cc ? ", " + (a.country || a.cc) : ""),
        function () {
          addFixes(g, placeSurfaces(g, i, doc()).map(function (s) { return fixRow("choose", s, doc(), a); }));
        });
      b.setAttribute("data-gid", a.gid);
      acts.appendChild(b);
    });
    acts.appendChild(button("geo-button geo-fix-not", "Not a place", function () {
      addFixes(g, placeSurfaces(g, i, doc()).map(function (s) { return fixRow("not_a_place", s, doc(), null); }));
    }));
    acts.appendChild(button("geo-button geo-fix-point", "Set the point on the map…", function () {
      var surfaces = placeSurfaces(g, i, doc()), where = doc();
      pickPoint(g, p.name, function (latlng) { addFixes(g, pointRows(g, surfaces, where, latlng)); });
    }));
    box.appendChild(acts);
    return box;
  }

  function candidatesBox(p) {
    if (!p.alts || !p.alts.length) return null;
    var wrap = el("div", "geo-alts");
    wrap.appendChild(el("h4", null, "Other candidates"));
    var list = el("ol", "geo-alt-list");
    p.alts.forEach(function (a) {
      var li = el("li");
      li.setAttribute("data-gid", a.gid);
      li.appendChild(el("span", "geo-alt-name", a.name));
      var where = [a.kind, a.country || a.cc].filter(Boolean).join(", ");
      if (where) li.appendChild(document.createTextNode(" · " + where));
      list.appendChild(li);
    });
    wrap.appendChild(list);
    return wrap;
  }

  function pickPoint(g, label, done) {
    cancelPick(g);
    g.map.closePopup();
    var note = el("div", "geo-notice geo-pick-note", "Click the map where " + label + " is (Esc to cancel)");
    note.setAttribute("role", "status");
    g.map.getContainer().appendChild(note);
    g.map.getContainer().classList.add("geo-picking");
    g.picking = { note: note, done: done };
  }

  function cancelPick(g) {
    if (!g.picking) return;
    g.picking.note.remove();
    g.map.getContainer().classList.remove("geo-picking");
    g.picking = null;
  }

  // The place a choose/place correction points at: one already on the map, or a new one.
  function fixPlace(g, f, n) {
    var lat = +f.lat, lon = +f.lon;
    var id = f.action === "choose" ? f.gazetteer_id : "fix:" + slug(f.name || f.surface) + ":" + lat.toFixed(5) + ":" + lon.toFixed(5);
    var i = g.index.get(id);
    if (i !== undefined && g.places[i].unit === undefined) return i;
    var kind = f.kind || "feature";
    g.places.push({
      id: id, name: f.name || f.surface, kind: kind, precision: "exact", lat: lat, lon: lon,
      gid: f.action === "choose" ? f.gazetteer_id : id, cc: f.country_code || "", admin1: "", conf: 1,
      zoom: ZOOM_OF_KIND[kind] || 9, country: f.country || "", alts: [],
      why: "your correction " + (n + 1) + " (pending: download corrections.csv and rerun with --corrections)",
    });
    g.index.set(id, g.places.length - 1);
    return g.places.length - 1;
  }

  function replayFixes(g, quiet) {
    var j, exact = g.precisions.indexOf("exact"), base = g.base.places;
    cancelPick(g);
    g.openPlace = -1;
    g.map.closePopup();
    g.focus.clearLayers();
    document.querySelectorAll(".geo-text .geo-active").forEach(function (e) { e.classList.remove("geo-active"); });
    for (j = base; j < g.places.length; j++) {
      if (g.markers[j] && g.shown[j]) g.cluster.removeLayer(g.markers[j]);
      g.labelled.delete(j);
    }
    g.places.length = base;
    g.markers.length = base;
    g.shapeLayers.length = base; // a place a correction adds is a point
    g.index = new Map(g.places.map(function (p, i) { return [p.id, i]; }));
    g.mentions.forEach(function (m, k) {
      var b = g.base.mentions[k];
      m[3] = b[0]; m[4] = b[1]; m[5] = b[2]; m[6] = b[3];
    });
    g.fixed.fill(0);
    g.fixes.forEach(function (f, n) {
      var d = f.doc_id ? g.docIndex.get(f.doc_id) : -1;
      if (d === undefined) return; // a document this map does not show
      var target = f.action === "not_a_place" ? -1 : fixPlace(g, f, n);
      var kindCode = target >= 0 ? g.kinds.indexOf(g.places[target].kind) : -1;
      (g.keyMentions.get(nameKey(f.surface)) || []).forEach(function (k) {
        var m = g.mentions[k];
        if (d >= 0 && m[0] !== d) return;
        m[3] = target;
        g.fixed[k] = target >= 0 ? 1 : 2;
        if (target < 0) return;
        m[5] = exact;
        m[6] = 1;
        if (g.kinds[m[4]] !== "demonym" && kindCode >= 0) m[4] = kindCode;
      });
    });
    reindex(g);
    for (j = base; j < g.places.length; j++) {
      g.shapeLayers[j] = null;
      g.markers[j] = placeMarker(g, g.places[j], j);
    }
    applyFilters();
    if (g.currentDoc >= 0) renderText(g, g.currentDoc);
    renderFixes(g);
    if (!quiet) saveFixes(g);
  }

  function reindex(g) {
    var nP = g.places.length;
    g.placeMentions = g.places.map(function () { return []; });
    g.demonymOnly = new Uint8Array(nP).fill(1);
    g.total = new Int32Array(nP);
    g.mentions.forEach(function (m, k) {
      if (m[3] < 0) return;
      g.placeMentions[m[3]].push(k);
      g.total[m[3]]++;
      if (g.kinds[m[4]] !== "demonym") g.demonymOnly[m[3]] = 0;
    });
    g.folded = g.places.map(function (p) { return fold(p.name); });
    g.count = new Int32Array(nP);
    var shown = new Uint8Array(nP);
    shown.set(g.shown.subarray(0, Math.min(g.base.places, g.shown.length)));
    g.shown = shown;
  }

  function describeFix(f) {
    var what = f.action === "not_a_place" ? "not a place"
      : f.action === "choose" ? f.name + (f.country || f.country_code ? ", " + (f.country || f.country_code) : "")
      : "the point " + (+f.lat).toFixed(4) + ", " + (+f.lon).toFixed(4);
    return f.surface + " → " + what + (f.doc_id ? " (only in " + f.doc_id + ")" : "");
  }

  function renderFixes(g) {
    if (!g.fixes) return;
    $("geo-fixes-n").textContent = String(g.fixes.length);
    var list = $("geo-fix-list");
    list.textContent = "";
    g.fixes.forEach(function (f, n) {
      var li = el("li");
      li.appendChild(el("span", "geo-fix-text", describeFix(f)));
      li.appendChild(document.createTextNode(" "));
      var undo = button("geo-link geo-fix-undo", "undo", function () { g.fixes.splice(n, 1); replayFixes(g); });
      undo.setAttribute("aria-label", "Undo: " + describeFix(f));
      li.appendChild(undo);
      list.appendChild(li);
    });
    $("geo-fix-empty").hidden = g.fixes.length > 0;
    $("geo-fix-download").disabled = !g.fixes.length;
    if ($("geo-fixes").open) renderUnplaced(g);
  }

  // Names found but not placed, and the fallbacks: each can be given a point.
  function renderUnplacedScope(g) {
    var scope = $("geo-unplaced-scope"), keep = scope.value;
    scope.textContent = "";
    var every = el("option", null, "in every document");
    every.value = "-1";
    scope.appendChild(every);
    if (g.currentDoc >= 0) {
      var one = el("option", null, "only in " + g.docs[g.currentDoc].id);
      one.value = String(g.currentDoc);
      scope.appendChild(one);
      if (keep === one.value) scope.value = keep;
    }
    return scope;
  }

  function renderUnplaced(g) {
    var scope = renderUnplacedScope(g);
    var rows = [], groups = new Map();
    g.mentions.forEach(function (m, k) {
      if (m[3] >= 0 || g.fixed[k] || g.kinds[m[4]] === "demonym") return;
      var s = surfaceOf(g, k), key = nameKey(s);
      if (!key) return;
      if (!groups.has(key)) { groups.set(key, { surface: s, kind: g.kinds[m[4]], n: 0 }); rows.push(groups.get(key)); }
      groups.get(key).n++;
    });
    g.places.forEach(function (p, i) {
      if (p.unit !== undefined && g.total[i]) rows.push({ place: i, n: g.total[i] });
    });
    var list = $("geo-unplaced-list");
    list.textContent = "";
    rows.slice(0, UNPLACED_MAX).forEach(function (r) {
      var li = el("li");
      var name = r.place === undefined ? r.surface : g.places[r.place].name;
      li.appendChild(el("span", "geo-unplaced-name", name));
      li.appendChild(document.createTextNode(r.place === undefined ? " · not placed (" + r.n + ") "
        : " · ≈ somewhere in " + g.units[g.places[r.place].unit].name + " (" + r.n + ") "));
      var b = button("geo-link geo-fix-point", "set the point", function () {
        var d = +scope.value;
        var surfaces = r.place === undefined ? [{ surface: r.surface, kind: r.kind }] : placeSurfaces(g, r.place, d);
        pickPoint(g, name, function (latlng) { addFixes(g, pointRows(g, surfaces, d, latlng)); });
      });
      b.setAttribute("aria-label", "Set the point of " + name + " on the map");
      li.appendChild(b);
      list.appendChild(li);
    });
    $("geo-unplaced-n").textContent = String(rows.length);
    $("geo-unplaced-empty").hidden = rows.length > 0;
  }

  function csvCell(value, numeric) {
    var s = value === null || value === undefined ? "" : String(value);
    if (!numeric && /^[=+\-@\t\r]/.test(s)) s = "'" + s; // a spreadsheet would run it as a formula
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function fixesCsv(g) {
    var lines = [FIX_COLUMNS.join(",")];
    g.fixes.forEach(function (f) {
      lines.push(FIX_COLUMNS.map(function (c) { return csvCell(f[c], c === "lat" || c === "lon"); }).join(","));
    });
    return lines.join("\n") + "\n";
  }

  function downloadFixes(g) {
    var url = URL.createObjectURL(new Blob([fixesCsv(g)], { type: "text/csv;charset=utf-8" }));
    var a = el("a");
    a.href = url;
    a.download = "corrections.csv";
    a.hidden = true;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 4000);
  }

  function saveFixes(g) {
    try {
      if (g.fixes.length) window.localStorage.setItem(g.opts.store, JSON.stringify(g.fixes));
      else window.localStorage.removeItem(g.opts.store);
    } catch (e) { /* no storage here (a sandboxed frame): they live in the page until downloaded */ }
  }

  function loadFixes(g) {
    var raw = null;
    try { raw = g.opts.store ? window.localStorage.getItem(g.opts.store) : null; } catch (e) { return []; }
    if (!raw) return [];
    var list;
    try { list = JSON.parse(raw); } catch (e) { return []; }
    if (!Array.isArray(list)) return [];
    return list.filter(function (f) {
      if (!f || typeof f !== "object" || FIX_ACTIONS.indexOf(f.action) < 0 || typeof f.surface !== "string") return false;
      if (f.action === "not_a_place") return true;
      return isFinite(+f.lat) && isFinite(+f.lon) && f.lat !== "" && f.lon !== "" &&
        (f.action !== "choose" || typeof f.gazetteer_id === "string");
    }).map(function (f) {
      var row = {};
      FIX_COLUMNS.concat(["country"]).forEach(function (c) {
        var v = f[c];
        row[c] = c === "lat" || c === "lon" ? (v === "" || v === undefined ? "" : +v) : (v === undefined || v === null ? "" : String(v));
      });
      return row;
    });
  }

  // --- choosing a place or a document --------------------------------------------

  function focusPlace(id) {
    var g = G, i = g.index.get(id);
    if (i === undefined) return false;
    if (!g.count[i]) resetFilters(g.filter.doc >= 0 && g.placeMentions[i].some(function (k) {
      return g.mentions[k][0] === g.filter.doc;
    }));
    setHash("place", id);
    var p = g.places[i], map = g.map;
    map.closePopup();
    var token = (g.focusToken = (g.focusToken || 0) + 1);
    function open() {
      if (token !== g.focusToken) return; // another place was chosen meanwhile
      if (g.cluster._inZoomAnimation) { g.cluster.once("animationend", open); return; }
      g.focusToken++;
      map.off("moveend", open);
      openPlacePopup(i);
    }
    var bounds = p.unit !== undefined ? unitBounds(g.units[p.unit]) : p.bounds ? L.latLngBounds(p.bounds) : null;
    var zoom = p.unit !== undefined ? g.units[p.unit].zoom : p.bounds ? p.zoom : Math.max(p.zoom, 9);
    if (!animated()) {
      if (bounds) map.fitBounds(bounds, { maxZoom: zoom, padding: [30, 30], animate: false });
      else map.setView([p.lat, p.lon], zoom, { animate: false });
      open();
      return true;
    }
    if (bounds) map.flyToBounds(bounds, { maxZoom: zoom, padding: [30, 30], duration: 0.6 });
    else map.flyTo([p.lat, p.lon], zoom, { duration: 0.6 });
    // Listen only now: stopping an earlier animation fires a "moveend" of its own.
    map.on("moveend", open);
    window.setTimeout(open, 1500); // in case the map had nowhere to go
    window.setTimeout(open, 1200); // in case the map did not move at all
    return true;
  }

  function animated() {
    // Readers who ask for less motion get jumps instead of flights.
    return !(window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches);
  }

  function markText(placeId, on) {
    var sel = '.geo-text [data-place-id="' + CSS.escape(placeId) + '"]';
    document.querySelectorAll(sel).forEach(function (e) { e.classList.toggle("geo-active", on); });
  }

  function showDoc(d, opts) {
    var g = G;
    opts = opts || {};
    if (d < 0 || d >= g.docs.length) return false;
    g.filter.doc = d;
    g.currentDoc = d;
    g.map.closePopup();
    applyFilters();
    renderText(g, d);
    selectTab("text");
    var panel = $("geo-panel"), tabs = document.querySelector(".geo-tabs");
    panel.scrollTop = Math.min(panel.scrollTop, tabs.offsetTop);  // the text starts in view
    if (panel.scrollTop < tabs.offsetTop && tabs.offsetTop > panel.clientHeight / 2) panel.scrollTop = tabs.offsetTop;
    if (!opts.keepHash) setHash("doc", g.docs[d].id);
    if (!opts.stay) fitToVisible(7);
    return true;
  }

  function closeDoc() {
    var g = G;
    g.filter.doc = -1;
    g.currentDoc = -1;
    $("geo-tab-text").hidden = true;
    applyFilters();
    selectTab("docs");
    setHash(null);
    fitToVisible(6);
  }

  function fitToVisible(maxZoom, animate) {
    var g = G, pts = [];
    g.places.forEach(function (p, i) { if (g.count[i]) pts.push([p.lat, p.lon]); });
    if (!pts.length) return;
    fit(g.map, L.latLngBounds(pts), maxZoom, animate === undefined ? animated() : animate);
  }

  function fit(map, bounds, maxZoom, animate) {
    // Keep a band at the bottom free for the legend, so no place hides under it.
    var legendEl = map.getContainer().querySelector(".geo-legend");
    var bottom = legendEl ? legendEl.offsetHeight + 24 : 30;
    bottom = Math.min(bottom, map.getSize().y / 2);
    var right = map.getSize().x < 600 ? 20 : 110; // room for the labels, on a wide map
    map.fitBounds(bounds, {
      paddingTopLeft: [map.getSize().x < 600 ? 20 : 50, 40], paddingBottomRight: [right, bottom],
      maxZoom: maxZoom, animate: animate,
    });
  }

  // --- the panel -----------------------------------------------------------------

  function selectTab(name) {
    ["places", "docs", "text"].forEach(function (t) {
      var tab = $("geo-tab-" + t), on = t === name;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      $("geo-view-" + t).hidden = !on;
      if (on) tab.hidden = false;
    });
  }

  function symbol(g, p, i) {
    var style = g.opts.styles[p.kind] || { color: "#4b5563", shape: "circle" };
    var s = el("span", "geo-sym geo-sym-" + style.shape + (p.unit !== undefined ? " geo-sym-approx" : ""));
    s.style.borderColor = p.unit !== undefined ? UNIT_COLOR : style.color;
    s.style.backgroundColor = (p.unit !== undefined ? UNIT_COLOR : style.color) + "33";
    if (g.demonymOnly[i]) s.style.borderStyle = "dotted";
    s.setAttribute("aria-hidden", "true");
    return s;
  }

  function renderPlaces() {
    var g = G, list = $("geo-place-list");
    var q = fold($("geo-place-search").value.trim());
    var rows = [];
    for (var i = 0; i < g.places.length; i++) {
      if (g.count[i] && (!q || g.folded[i].indexOf(q) >= 0)) rows.push(i);
    }
    rows.sort(function (a, b) { return g.count[b] - g.count[a] || g.places[a].name.localeCompare(g.places[b].name); });
    list.textContent = "";
    var frag = document.createDocumentFragment();
    rows.slice(0, g.placeLimit).forEach(function (i) {
      var p = g.places[i], style = g.opts.styles[p.kind] || { label: p.kind };
      var li = el("li");
      var b = el("button", "geo-row");
      b.type = "button";
      b.setAttribute("data-place-id", p.id);
      if (i === g.openPlace) b.classList.add("geo-current");
      b.appendChild(symbol(g, p, i));
      var main = el("span", "geo-row-main");
      main.appendChild(el("span", "geo-row-name", p.name));
      var meta = style.label.replace(/ \(.*\)$/, "");
      if (g.demonymOnly[i]) meta += " · demonym only";
      meta += p.unit !== undefined ? " · ≈ somewhere in " + g.units[p.unit].name : " · exact";
      main.appendChild(el("span", "geo-row-meta", meta));
      b.appendChild(main);
      var n = el("span", "geo-row-n", String(g.count[i]));
      n.setAttribute("aria-label", plural(g.count[i], "mention"));
      n.title = plural(g.count[i], "mention");
      b.appendChild(n);
      li.appendChild(b);
      frag.appendChild(li);
    });
    list.appendChild(frag);
    listFooter("geo-place", rows.length, g.placeLimit, LIST_PAGE);
  }

  function snippet(text) {
    if (text === null) return "(text not included)";
    var s = text.slice(0, 240).replace(/\s+/g, " ").trim();
    return s.length > 110 ? s.slice(0, 110) + "…" : s;
  }

  function renderDocs() {
    var g = G, list = $("geo-doc-list");
    var q = fold($("geo-doc-search").value.trim());
    var rows = [];
    for (var d = 0; d < g.docs.length; d++) {
      if (!g.docOn[d]) continue;  // outside the time range
      if (!q) { rows.push(d); continue; }
      var doc = g.docs[d];
      if (!doc._fold) doc._fold = fold(doc.id + " " + (doc.title || "") + " " + (doc.source || "") + " " + (doc.text || "").slice(0, 400));
      if (doc._fold.indexOf(q) >= 0) rows.push(d);
    }
    list.textContent = "";
    var frag = document.createDocumentFragment();
    rows.slice(0, g.docLimit).forEach(function (d) {
      var doc = g.docs[d];
      var li = el("li");
      var b = el("button", "geo-row geo-docrow");
      b.type = "button";
      b.setAttribute("data-doc", String(d));
      b.setAttribute("data-doc-id", doc.id);
      if (d === g.currentDoc) b.classList.add("geo-current");
      var main = el("span", "geo-row-main");
      main.appendChild(el("span", "geo-row-name", docLabel(doc)));
      if (docMeta(doc)) main.appendChild(el("span", "geo-row-meta geo-row-when", docMeta(doc)));
      main.appendChild(el("span", "geo-row-meta", snippet(doc.text)));
      b.appendChild(main);
      var n = el("span", "geo-row-n" + (g.docPlaces[d] ? "" : " geo-zero"), String(g.docPlaces[d]));
      n.title = plural(g.docPlaces[d], "place") + " shown";
      n.setAttribute("aria-label", n.title);
      b.appendChild(n);
      li.appendChild(b);
      frag.appendChild(li);
    });
    list.appendChild(frag);
    listFooter("geo-doc", rows.length, g.docLimit, DOC_PAGE);
  }

  // The "nothing matches" note and the "show more" button under a paged list.
  function listFooter(prefix, total, limit, page) {
    $(prefix + "-empty").hidden = total > 0;
    var more = $(prefix + "-more"), rest = total - Math.min(total, limit);
    more.hidden = rest <= 0;
    more.textContent = "Show " + Math.min(rest, page) + " more of " + rest;
  }

  function mentionClass(g, m, k) {
    if (g.fixed && g.fixed[k] === 2) return "geo-m-notplace";
    if (m[3] < 0) return "geo-m-unresolved";
    if (g.kinds[m[4]] === "demonym") return "geo-m-demonym";
    return g.precisions[m[5]] === "exact" ? "geo-m-place" : "geo-m-approx";
  }

  function renderText(g, d) {
    var doc = g.docs[d], box = $("geo-doc-text");
    $("geo-doc-title").textContent = docLabel(doc);
    $("geo-doc-pos").textContent = (d + 1) + " / " + g.docs.length;
    $("geo-doc-prev").disabled = d === 0;
    $("geo-doc-next").disabled = d === g.docs.length - 1;
    box.textContent = "";
    box.setAttribute("data-doc", String(d));
    if (doc.text === null && doc.side) {
      box.appendChild(el("p", "geo-empty", "The text of this document is in " + doc.side +
        ", which did not load: keep it beside this page."));
      return;
    }
    if (doc.text === null) {
      box.appendChild(el("p", "geo-empty", "The text of this document was not included; its passages:"));
      g.docMentions[d].forEach(function (k) { box.appendChild(el("p", null, g.mentions[k][9] || "")); });
      return;
    }
    var text = doc.text;
    var ids = g.docMentions[d].slice().sort(function (a, b) {
      var x = g.mentions[a], y = g.mentions[b];
      return x[1] - y[1] || y[2] - x[2];
    });
    var frag = document.createDocumentFragment(), pos = 0;
    ids.forEach(function (k) {
      var m = g.mentions[k];
      if (m[1] < pos || m[1] < 0 || m[2] > text.length || m[2] <= m[1]) return; // nested: the outer span shows
      frag.appendChild(document.createTextNode(text.slice(pos, m[1])));
      var span = el("span", "geo-m " + mentionClass(g, m, k), text.slice(m[1], m[2]));
      span.id = "m-" + d + "-" + m[1];
      span.setAttribute("data-mention", String(k));
      if (m[3] >= 0) {
        var p = g.places[m[3]];
        span.setAttribute("data-place-id", p.id);
        span.tabIndex = 0;
        span.setAttribute("role", "button");
        span.title = p.name + " (" + g.kinds[m[4]] + ", " +
          (p.unit !== undefined ? "somewhere in " + g.units[p.unit].name : "exact") +
          ", confidence " + m[6].toFixed(2) + ")" + (g.fixed && g.fixed[k] ? " — your correction" : "");
      } else {
        span.title = g.fixed && g.fixed[k] === 2 ? "not a place (your correction)" : "not placed on the map";
      }
      frag.appendChild(span);
      pos = m[2];
    });
    frag.appendChild(document.createTextNode(text.slice(pos)));
    box.appendChild(frag);
    markTextVisibility(g);
  }

  function markTextVisibility(g) {
    document.querySelectorAll("#geo-doc-text [data-mention]").forEach(function (span) {
      var k = +span.getAttribute("data-mention");
      var off = g.mentions[k][3] >= 0 && !g.visible[k];
      span.classList.toggle("geo-m-off", off);
      if (off) span.title = span.title.replace(/( — hidden by the filters)?$/, " — hidden by the filters");
    });
  }

  function jumpTo(d, start) {
    var g = G;
    if (g.currentDoc !== d) showDoc(d, { stay: true });
    else selectTab("text");
    var target = $("m-" + d + "-" + start);
    if (!target) return;
    target.scrollIntoView({ block: "center", behavior: "smooth" });
    flash(target);
  }

  function flash(e) {
    e.classList.remove("geo-flash");
    void e.offsetWidth; // restart the animation
    e.classList.add("geo-flash");
  }

  function wirePanel(g) {
    document.addEventListener("click", onClick);
    document.addEventListener("keydown", onKey);
    document.querySelectorAll(".geo-filters input[name=kind]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (box.checked) g.filter.groups.add(box.value); else g.filter.groups.delete(box.value);
        applyFilters();
      });
    });
    document.querySelectorAll(".geo-filters input[name=precision]").forEach(function (box) {
      box.addEventListener("change", function () {
        if (box.checked) g.filter.precisions.add(box.value); else g.filter.precisions.delete(box.value);
        applyFilters();
      });
    });
    var conf = $("geo-confidence");
    var pending = false;
    function readConfidence() {
      g.filter.minConf = +conf.value;
      $("geo-confidence-value").textContent = (+conf.value).toFixed(2);
    }
    conf.addEventListener("input", function () {
      readConfidence();
      if (pending) return;
      pending = true; // a dragged slider fires often: redraw once a frame
      window.requestAnimationFrame(function () { pending = false; applyFilters(); });
    });
    conf.addEventListener("change", function () { readConfidence(); applyFilters(); });
    $("geo-shade").addEventListener("change", function (e) {
      if (e.target.checked) g.map.addLayer(g.shade); else g.map.removeLayer(g.shade);
      shadeCountries(g);
    });
    $("geo-reset").addEventListener("click", function () {
      var doc = g.currentDoc >= 0;
      resetFilters(doc);
    });
    $("geo-docfilter-clear").addEventListener("click", closeDoc);
    $("geo-place-search").addEventListener("input", function () { g.placeLimit = LIST_PAGE; renderPlaces(); });
    $("geo-doc-search").addEventListener("input", function () { g.docLimit = DOC_PAGE; renderDocs(); });
    $("geo-place-more").addEventListener("click", function () { g.placeLimit += LIST_PAGE; renderPlaces(); });
    $("geo-doc-more").addEventListener("click", function () { g.docLimit += DOC_PAGE; renderDocs(); });
    $("geo-tab-places").addEventListener("click", function () { selectTab("places"); });
    $("geo-tab-docs").addEventListener("click", function () { selectTab("docs"); });
    $("geo-tab-text").addEventListener("click", function () { selectTab("text"); });
    document.querySelector(".geo-tabs").addEventListener("keydown", function (e) {
      if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
      var tabs = Array.from(document.querySelectorAll(".geo-tabs [role=tab]")).filter(function (t) { return !t.hidden; });
      var at = tabs.indexOf(document.activeElement);
      if (at < 0) return;
      var next = tabs[(at + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length];
      next.focus();
      next.click();
    });
    $("geo-doc-prev").addEventListener("click", function () { showDoc(g.currentDoc - 1); });
    $("geo-doc-next").addEventListener("click", function () { showDoc(g.currentDoc + 1); });
    $("geo-doc-close").addEventListener("click", closeDoc);
    // The panel's scroll and clicks must not reach the map.
    L.DomEvent.disableScrollPropagation($("geo-panel"));
  }

  function onClick(event) {
    var t = event.target;
    if (!t.closest) return;
    var jump = t.closest(".geo-jump");
    if (jump) {
      event.preventDefault();
      jumpTo(+jump.getAttribute("data-doc"), +jump.getAttribute("data-start"));
      return;
    }
    var row = t.closest(".geo-row[data-place-id], .geo-unit-place, .geo-text [data-place-id]");
    if (row) {
      event.preventDefault();
      if (row.classList.contains("geo-unit-place")) {
        var i = G.index.get(row.getAttribute("data-place-id"));
        if (i !== undefined) { setHash("place", G.places[i].id); openPlacePopup(i); }
        return;
      }
      if (focusPlace(row.getAttribute("data-place-id")) && row.classList.contains("geo-m")) flash(row);
      return;
    }
    var doc = t.closest(".geo-docrow");
    if (doc) {
      event.preventDefault();
      showDoc(+doc.getAttribute("data-doc"));
    }
  }

  function onKey(event) {
    if (event.key === "Escape") { cancelPick(G); G.map.closePopup(); return; }
    if (event.key !== "Enter" && event.key !== " ") return;
    var mention = event.target.closest && event.target.closest(".geo-text [data-place-id]");
    if (mention && focusPlace(mention.getAttribute("data-place-id"))) event.preventDefault();
  }

  // --- shareable links -------------------------------------------------------------

  function setHash(key, value) {
    // the time range stays in the link: #place=...&from=...&to=...
    var g = G, parts = [];
    if (key === "place" && g.filter.doc >= 0) parts.push("doc=" + encodeURIComponent(g.docs[g.filter.doc].id));
    if (key) parts.push(key + "=" + encodeURIComponent(value));
    if (g.filter.from) parts.push("from=" + g.filter.from);
    if (g.filter.to) parts.push("to=" + g.filter.to);
    var h = parts.length ? "#" + parts.join("&") : "";
    g.lastHash = h;
    try {
      history.replaceState(null, "", h || location.pathname + location.search);
    } catch (e) { /* a sandboxed frame: links are not shareable there */ }
  }

  function applyHash() {
    var g = G, h = location.hash;
    if (!h || h === g.lastHash) return;
    var params = new URLSearchParams(h.slice(1));
    var doc = params.get("doc"), place = params.get("place");
    hashRange(g, params);
    if (params.get("view") === "stories" || params.get("view") === "places") setView(g, params.get("view"));
    if (doc !== null && g.docIndex.has(doc)) showDoc(g.docIndex.get(doc), { keepHash: true, stay: place !== null });
    if (place !== null) focusPlace(place);
    g.lastHash = h;
  }

  // --- time and stories ------------------------------------------------------------
  // The documents' dates give a histogram and a range filter; their foci give
  // the stories view (one marker per document). Kept apart from the places code:
  // it only adds g.docOn (documents inside the range) for applyFilters to read.

  var DAY = 86400000;

  function dayNumber(iso) { return Math.floor(Date.parse(iso + "T00:00:00Z") / DAY); }
  function isoDay(n) { return new Date(n * DAY).toISOString().slice(0, 10); }

  function setupTime(g) {
    g.docOn = new Uint8Array(g.docs.length).fill(1);
    g.filter.from = null; g.filter.to = null; g.filter.undated = true;
    var days = [];
    g.docs.forEach(function (doc, d) {
      doc._day = typeof doc.date === "string" && /^\d{4}-\d{2}-\d{2}$/.test(doc.date) ? dayNumber(doc.date) : null;
      if (doc._day !== null && !isNaN(doc._day)) days.push(doc._day); else doc._day = null;
    });
    if (!days.length) { g.time = null; return; }
    var lo = Math.min.apply(null, days), hi = Math.max.apply(null, days);
    var span = hi - lo;
    var unit = span <= 62 ? "day" : span <= 730 ? "week" : "month";
    // bins: [start day, end day] (inclusive), contiguous over the whole span
    var bins = [], start = binStart(lo, unit);
    while (start <= hi) {
      var next = binNext(start, unit);
      bins.push([start, next - 1]);
      start = next;
    }
    var t = (g.time = { unit: unit, bins: bins, counts: new Int32Array(bins.length), undated: 0 });
    g.docs.forEach(function (doc) {
      if (doc._day === null) { t.undated++; return; }
      doc._bin = binOf(t, doc._day);
      t.counts[doc._bin]++;
    });
    // place -> mentions per bin, for the strip in its popup
    t.placeBins = g.places.map(function () { return null; });
    g.mentions.forEach(function (m) {
      var b = g.docs[m[0]]._bin;
      if (m[3] < 0 || b === undefined) return;
      if (!t.placeBins[m[3]]) t.placeBins[m[3]] = new Int32Array(bins.length);
      t.placeBins[m[3]][b]++;
    });
    buildTimePanel(g);
  }

  function binStart(day, unit) {
    if (unit === "day") return day;
    if (unit === "week") return day - ((new Date(day * DAY).getUTCDay() + 6) % 7); // Monday
    var d = new Date(day * DAY);
    return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY);
  }

  function binNext(start, unit) {
    if (unit === "day") return start + 1;
    if (unit === "week") return start + 7;
    var d = new Date(start * DAY);
    return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY);
  }

  function binOf(t, day) {
    var lo = 0, hi = t.bins.length - 1;
    while (lo < hi) { var mid = (lo + hi + 1) >> 1; if (t.bins[mid][0] <= day) lo = mid; else hi = mid - 1; }
    return lo;
  }

  function binLabel(t, b) {
    var iso = isoDay(t.bins[b][0]);
    if (t.unit === "month") return iso.slice(0, 7);
    return t.unit === "week" ? "week of " + iso : iso;
  }

  function buildTimePanel(g) {
    var t = g.time, filters = $("geo-filters");
    var box = el("section", "geo-time");
    box.id = "geo-time";
    box.setAttribute("aria-label", "Stories over time");
    var head = el("div", "geo-time-head");
    head.appendChild(el("strong", null, "When"));
    var range = el("span", "geo-time-range");
    range.id = "geo-time-range";
    range.setAttribute("aria-live", "polite");
    head.appendChild(range);
    box.appendChild(head);
    var hist = el("div", "geo-hist");
    hist.id = "geo-hist";
    hist.setAttribute("role", "img");
    var max = Math.max.apply(null, Array.from(t.counts));
    hist.setAttribute("aria-label", "documents per " + t.unit + ", " + t.bins.length + " " + t.unit + "s");
    t.bars = [];
    for (var b = 0; b < t.bins.length; b++) {
      var bar = el("span", "geo-bar");
      bar.style.height = (t.counts[b] ? Math.max(8, Math.round(100 * t.counts[b] / max)) : 0) + "%";
      bar.title = binLabel(t, b) + ": " + plural(t.counts[b], "document");
      bar.setAttribute("data-bin", String(b));
      hist.appendChild(bar);
      t.bars.push(bar);
    }
    box.appendChild(hist);
    var sliders = el("div", "geo-time-sliders");
    ["from", "to"].forEach(function (which) {
      var input = el("input");
      input.type = "range"; input.min = "0"; input.max = String(t.bins.length - 1); input.step = "1";
      input.value = which === "from" ? "0" : String(t.bins.length - 1);
      input.id = "geo-time-" + which;
      input.setAttribute("aria-label", which === "from" ? "From" : "To");
      input.addEventListener("input", function () { onSlide(g, which); });
      sliders.appendChild(input);
    });
    box.appendChild(sliders);
    var foot = el("div", "geo-time-foot");
    var axis = el("span", "geo-time-axis", isoDay(t.bins[0][0]) + " – " + isoDay(t.bins[t.bins.length - 1][1]) +
      " · by " + t.unit);
    foot.appendChild(axis);
    if (t.undated) {
      var label = el("label", "geo-check");
      var check = el("input");
      check.type = "checkbox"; check.id = "geo-undated"; check.checked = true;
      check.addEventListener("change", function () { g.filter.undated = check.checked; timeChanged(g); });
      label.appendChild(check);
      label.appendChild(document.createTextNode(" " + plural(t.undated, "undated document")));
      foot.appendChild(label);
    }
    box.appendChild(foot);
    filters.parentNode.insertBefore(box, filters);
    hist.addEventListener("click", function (e) {  // a bar: that period alone; again: everything
      var b = e.target.getAttribute && e.target.getAttribute("data-bin");
      if (b === null || b === undefined) return;
      b = +b;
      var f = g.filter, whole = isoDay(t.bins[b][0]) === f.from && isoDay(t.bins[b][1]) === f.to;
      setRange(g, whole ? null : isoDay(t.bins[b][0]), whole ? null : isoDay(t.bins[b][1]));
    });
  }

  function onSlide(g, which) {
    var t = g.time, a = +$("geo-time-from").value, b = +$("geo-time-to").value;
    if (a > b) { if (which === "from") b = a; else a = b; }
    var full = a === 0 && b === t.bins.length - 1;
    setRange(g, full ? null : isoDay(t.bins[a][0]), full ? null : isoDay(t.bins[b][1]), true);
  }

  // Show the documents dated from..to (ISO days, inclusive; null: open end).
  function setRange(g, from, to, sliding) {
    g.filter.from = from || null;
    g.filter.to = to || null;
    timeChanged(g, sliding);
  }

  function timeChanged(g, sliding) {
    var t = g.time, f = g.filter;
    if (!t) return;
    var lo = f.from ? dayNumber(f.from) : -Infinity, hi = f.to ? dayNumber(f.to) : Infinity;
    g.docs.forEach(function (doc, d) {
      g.docOn[d] = doc._day === null ? (f.undated ? 1 : 0) : (doc._day >= lo && doc._day <= hi ? 1 : 0);
    });
    if (!sliding) {
      $("geo-time-from").value = String(f.from ? binOf(t, Math.max(lo, t.bins[0][0])) : 0);
      $("geo-time-to").value = String(f.to ? binOf(t, Math.min(hi, t.bins[t.bins.length - 1][1])) : t.bins.length - 1);
    }
    t.bars.forEach(function (bar, b) {
      bar.classList.toggle("geo-bar-off", t.bins[b][1] < lo || t.bins[b][0] > hi);
    });
    $("geo-time-range").textContent = f.from || f.to ? (f.from || "…") + " – " + (f.to || "…") : "all dates";
    timeHash(g);
    applyFilters();
  }

  function timeActive(g) { return !!(g.time && (g.filter.from || g.filter.to || !g.filter.undated)); }

  function timeHash(g) {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.get("place") !== null) setHash("place", params.get("place"));
    else if (g.filter.doc >= 0) setHash("doc", g.docs[g.filter.doc].id);
    else setHash(null);
  }

  function hashRange(g, params) {
    var from = params.get("from"), to = params.get("to"), ok = /^\d{4}-\d{2}-\d{2}$/;
    if (!g.time || (from === null && to === null)) return;
    from = from && ok.test(from) ? from : null;
    to = to && ok.test(to) ? to : null;
    if (from !== g.filter.from || to !== g.filter.to) setRange(g, from, to);
  }

  // The bar strip of a place's popup: its mentions per period, the range marked.
  function timeStrip(g, i) {
    var t = g.time;
    if (!t || !t.placeBins[i]) return null;
    var counts = t.placeBins[i], max = Math.max.apply(null, Array.from(counts));
    var f = g.filter, lo = f.from ? dayNumber(f.from) : -Infinity, hi = f.to ? dayNumber(f.to) : Infinity;
    var box = el("div", "geo-strip");
    box.setAttribute("role", "img");
    var dated = 0;
    for (var b = 0; b < counts.length; b++) dated += counts[b];
    box.setAttribute("aria-label", "When it was mentioned: " + plural(dated, "mention") + " in dated documents, " +
      isoDay(t.bins[0][0]) + " to " + isoDay(t.bins[t.bins.length - 1][1]));
    box.appendChild(el("span", "geo-strip-label", "When mentioned (by " + t.unit + ")"));
    var bars = el("span", "geo-strip-bars");
    for (b = 0; b < counts.length; b++) {
      var bar = el("span", "geo-strip-bar" + (t.bins[b][1] < lo || t.bins[b][0] > hi ? " geo-bar-off" : ""));
      bar.style.height = (counts[b] ? Math.max(12, Math.round(100 * counts[b] / max)) : 0) + "%";
      bar.title = binLabel(t, b) + ": " + plural(counts[b], "mention");
      bars.appendChild(bar);
    }
    box.appendChild(bars);
    box.appendChild(el("span", "geo-strip-axis", isoDay(t.bins[0][0]) + " – " + isoDay(t.bins[t.bins.length - 1][1])));
    return box;
  }

  // --- the stories view: one marker per document, at its focus ---------------------

  function setupStories(g) {
    g.view = "places";
    g.storyMarkers = g.docs.map(function (doc, d) { return doc.focus ? storyMarker(g, doc, d) : null; });
    g.storyShown = new Uint8Array(g.docs.length);
    g.stories = L.markerClusterGroup({
      maxClusterRadius: 44, showCoverageOnHover: false, spiderfyOnMaxZoom: true, chunkedLoading: false,
      animate: animated(), iconCreateFunction: clusterIcon,
    });
    var n = g.storyMarkers.filter(Boolean).length;
    if (!n) return;  // no document has a focus (or none was given): no stories view
    var box = el("div", "geo-viewswitch");
    box.id = "geo-viewswitch";
    box.setAttribute("role", "radiogroup");
    box.setAttribute("aria-label", "Show on the map");
    [["places", "Places"], ["stories", "Stories (" + n + ")"]].forEach(function (v) {
      var label = el("label", "geo-chip");
      var input = el("input");
      input.type = "radio"; input.name = "geo-view"; input.value = v[0]; input.checked = v[0] === "places";
      input.addEventListener("change", function () { if (input.checked) setView(g, v[0]); });
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + v[1]));
      box.appendChild(label);
    });
    var head = document.querySelector(".geo-head");
    head.appendChild(box);
  }

  function storyMarker(g, doc, d) {
    var glyph = el("div", "geo-story-glyph");
    var marker = L.marker([doc.focus[0], doc.focus[1]], {
      icon: L.divIcon({ html: glyph, className: "geo-story", iconSize: [18, 18] }), keyboard: true,
    });
    marker._geoDoc = d;
    marker.bindPopup(function () { return storyPopup(g, d); }, { maxWidth: 320 });
    marker.on("popupopen", function (e) { L.setOptions(e.popup, popupOptions()); e.popup.update(); });
    marker.on("add", function () {
      var e = marker.getElement();
      if (!e) return;
      e.setAttribute("data-doc-id", doc.id);
      e.setAttribute("aria-label", (doc.title || doc.id) + ", about " + doc.focus[2]);
    });
    return marker;
  }

  function storyPopup(g, d) {
    var doc = g.docs[d];
    var box = el("div", "geo-popup geo-story-popup");
    box.setAttribute("data-doc-id", doc.id);
    box.appendChild(el("h3", null, doc.title || doc.id));
    var meta = [doc.date, doc.source].filter(Boolean).join(" · ");
    if (meta) box.appendChild(el("p", "geo-story-meta", meta));
    var about = "About " + doc.focus[2] + (doc.focus[5] && doc.focus[5] !== doc.focus[2] ? ", " + doc.focus[5] : "") +
      " (" + doc.focus[3] + ", focus " + (+doc.focus[4]).toFixed(2) + ")";
    box.appendChild(el("p", "geo-story-about", about));
    if (doc.text !== null) box.appendChild(el("p", "geo-story-lines", firstLines(doc.text)));
    var actions = el("p", "geo-story-actions");
    if (doc.url && /^https?:\/\//i.test(doc.url)) {  // only http(s) links (the page data holds no others)
      var a = el("a", "geo-story-link", "Read the story ↗");
      a.href = doc.url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      actions.appendChild(a);
    }
    var show = el("button", "geo-link geo-story-places", "Its places ›");
    show.type = "button";
    show.addEventListener("click", function () { setView(g, "places"); showDoc(d); });
    actions.appendChild(show);
    box.appendChild(actions);
    return box;
  }

  function firstLines(text) {
    var s = text.slice(0, 400).replace(/\s+/g, " ").trim();
    return s.length > 280 ? s.slice(0, 280).replace(/\s\S*$/, "") + " …" : s;
  }

  function setView(g, view) {
    g.view = view === "stories" ? "stories" : "places";
    var stories = g.view === "stories";
    [g.cluster, g.areas, g.shapeGroup].filter(Boolean).forEach(function (layer) {
      if (stories) g.map.removeLayer(layer); else if (!g.map.hasLayer(layer)) g.map.addLayer(layer);
    });
    if (stories) g.map.addLayer(g.stories); else g.map.removeLayer(g.stories);
    document.querySelectorAll("#geo-viewswitch input").forEach(function (i) { i.checked = i.value === g.view; });
    g.map.closePopup();
    updateStories(g);
  }

  // Which story markers show: their document passes the time range and the document filter.
  function updateStories(g) {
    if (!g.stories) return;
    var add = [], remove = [];
    g.storyMarkers.forEach(function (marker, d) {
      if (!marker) return;
      var on = g.docOn[d] && (g.filter.doc < 0 || g.filter.doc === d) ? 1 : 0;
      if (on && !g.storyShown[d]) add.push(marker);
      if (!on && g.storyShown[d]) remove.push(marker);
      g.storyShown[d] = on;
    });
    if (remove.length) g.stories.removeLayers(remove);
    if (add.length) g.stories.addLayers(add);
  }

  function docLabel(doc) { return doc.title || doc.id; }

  function docMeta(doc) { return [doc.date, doc.source].filter(Boolean).join(" · "); }

  // --- map furniture -----------------------------------------------------------------

  function legend(map) {
    var box = $("geo-legend");
    if (!box) return null;
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control.addTo(map);
  }

  function notice(map, message) {
    var e = el("div", "geo-notice", message);
    e.setAttribute("role", "status");
    map.getContainer().appendChild(e);
  }

  window.geoMap = {
    init: init,
    focusPlace: focusPlace,
    showDoc: function (id) { return G.docIndex.has(id) && showDoc(G.docIndex.get(id)); },
    idle: function () { return !moving; },
    // The popup of the area a fallback place was drawn at: every place shown there.
    openArea: function (id) {
      var i = G.index.get(id), p = i === undefined ? null : G.places[i];
      if (!p || p.unit === undefined) return false;
      unitPopup(G, p.unit, null);
      return true;
    },
    // For tests: ids of the places whose markers are inside the clusters on the map.
    clusteredPlaces: function () {
      var out = [];
      G.cluster._featureGroup.eachLayer(function (layer) {
        if (!layer.getAllChildMarkers) return;
        layer.getAllChildMarkers().forEach(function (m) { out.push(G.places[m._geoPlace].id); });
      });
      return out;
    },
    // For tests: where a point of the map is on the page.
    screenPoint: function (lat, lon) {
      var pt = G.map.latLngToContainerPoint([lat, lon]), box = G.map.getContainer().getBoundingClientRect();
      return { x: box.left + pt.x, y: box.top + pt.y };
    },
    // For tests: ids of the places drawn as their line or area now.
    shapedPlaces: function () {
      var out = [];
      G.places.forEach(function (p, i) { if (G.shapeLayers[i] && G.map.hasLayer(G.shapeLayers[i])) out.push(p.id); });
      return out;
    },
    // The pending corrections, and the corrections.csv the download button writes.
    corrections: function () { return G.fixes.map(function (f) { return Object.assign({}, f); }); },
    correctionsCsv: function () { return fixesCsv(G); },
    // For tests: ids of the documents whose story markers are on the map (in clusters or not).
    storyDocs: function () {
      if (!G.map.hasLayer(G.stories)) return [];
      return G.stories.getLayers().map(function (m) { return G.docs[m._geoDoc].id; });
    },
    setView: function (view) { setView(G, view); },
    setRange: function (from, to) { setRange(G, from, to); },
    // For tests and notebooks: ids of the places shown now.
    shownPlaces: function () {
      var g = G, out = [];
      g.places.forEach(function (p, i) { if (g.count[i]) out.push(p.id); });
      return out;
    },
  };
})();
