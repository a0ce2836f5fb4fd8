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

