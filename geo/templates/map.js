/* geo map client: draws places from JSON and links the text panel to the map.
 * Needs only Leaflet (inlined in the page). Every HTML string it receives
 * (popup, tooltip) was escaped in Python; everything else is set through the
 * DOM (textContent, style, setAttribute), never as HTML.
 */
(function () {
  "use strict";

  var registry = new Map(); // placeId -> {marker, latlng, bounds, zoom, group, map}
  var wired = false;
  var moving = false; // the map is panning/zooming (tests wait for it to settle)

  function outlinesLayer(map, collection) {
    // A pane under the tiles: when tiles load they cover it, when they
    // cannot (offline) the land still shows through the empty tiles.
    var pane = map.createPane("geo-land");
    pane.style.zIndex = 150;
    pane.style.pointerEvents = "none";
    return L.geoJSON(collection, {
      pane: "geo-land",
      interactive: false,
      style: { color: "#a3a9b0", weight: 0.7, fillColor: "#f3efe4", fillOpacity: 1 },
    });
  }

  function glyphMarker(p, latlng) {
    var size = Math.round(2 * p.radius);
    var glyph = document.createElement("div");
    glyph.className = "geo-glyph geo-glyph-" + p.shape;
    glyph.style.borderColor = p.color;
    glyph.style.borderStyle = p.borderStyle;
    glyph.style.backgroundColor = p.fillCss;
    return L.marker(latlng, {
      icon: L.divIcon({ html: glyph, className: "geo-place geo-kind-" + p.kind, iconSize: [size, size] }),
      keyboard: true,
      riseOnHover: true,
    });
  }

  function circleMarker(p, latlng) {
    return L.circleMarker(latlng, {
      radius: p.radius,
      color: p.color,
      weight: p.weight,
      dashArray: p.dash,
      lineCap: p.dash ? "butt" : "round",
      fillColor: p.color,
      fillOpacity: p.fillOpacity,
      className: "geo-place geo-kind-" + p.kind,
    });
  }

  function areaLayer(p, latlng) {
    var a = p.area;
    var style = {
      color: a.color, weight: a.weight, dashArray: a.dash, fillColor: a.color,
      fillOpacity: a.fillOpacity, interactive: false, className: "geo-area",
    };
    if (a.geojson) return L.geoJSON(a.geojson, { style: style, interactive: false });
    return L.circle(latlng, Object.assign({ radius: a.radius }, style));
  }

  function placesLayer(map, places) {
    var group = L.featureGroup();
    places.forEach(function (p) {
      var latlng = L.latLng(p.lat, p.lon);
      var area = p.area ? areaLayer(p, latlng) : null;
      if (area) group.addLayer(area);
      var marker = p.shape === "circle" ? circleMarker(p, latlng) : glyphMarker(p, latlng);
      marker.bindPopup(p.popup, { maxWidth: 380, minWidth: 260, autoPanPadding: [24, 24] });
      marker.bindTooltip(p.tooltip, {
        permanent: p.label,
        direction: "right",
        offset: p.shape === "circle" ? [p.radius, 0] : [p.radius + 2, 0],
        className: "geo-label",
        opacity: 0.92,
      });
      marker.on("add", function () {
        var el = marker.getElement();
        if (el) el.setAttribute("data-place-id", p.id);
      });
      marker.on("mouseover", function () { labelHidden(marker, false); });
      marker.on("mouseout", function () { labelHidden(marker, marker._geoHidden); });
      marker.on("popupopen", function () { markText(p.id, true); });
      marker.on("popupclose", function () { markText(p.id, false); });
      group.addLayer(marker);
      var bounds = p.area && p.area.geojson ? area.getBounds() : null;
      registry.set(p.id, { marker: marker, latlng: latlng, bounds: bounds, zoom: p.zoom, group: group, map: map });
    });
    map.on("zoomend", function () { declutter(group); });
    map.on("movestart", function () { moving = true; });
    map.on("moveend", function () { moving = false; });
    group.on("add", function () { window.setTimeout(function () { declutter(group); }, 0); });
    if (!wired) {
      wired = true;
      document.addEventListener("click", onClick);
      document.addEventListener("keydown", onKey);
    }
    return group;
  }

  function labelHidden(marker, hidden) {
    var tip = marker.getTooltip();
    var el = tip && tip.options.permanent && tip.getElement();
    if (el) el.classList.toggle("geo-label-hidden", !!hidden);
  }

  function declutter(group) {
    // Permanent labels are added most-mentioned first; hide any that would
    // cover one already shown (it still shows on hover).
    var shown = [];
    group.eachLayer(function (layer) {
      var tip = layer.getTooltip && layer.getTooltip();
      var el = tip && tip.options.permanent && tip.getElement();
      if (!el) return;
      el.classList.remove("geo-label-hidden");
      var r = el.getBoundingClientRect();
      var clash = shown.some(function (s) {
        return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
      });
      layer._geoHidden = clash;
      if (clash) el.classList.add("geo-label-hidden");
      else shown.push(r);
    });
  }

  function textMentions(placeId) {
    var sel = '.geo-text [data-place-id="' + CSS.escape(placeId) + '"]';
    return document.querySelectorAll(sel);
  }

  function markText(placeId, on) {
    textMentions(placeId).forEach(function (el) { el.classList.toggle("geo-active", on); });
  }

  function focusPlace(placeId) {
    var entry = registry.get(placeId);
    if (!entry) return false;
    var map = entry.map;
    if (!map.hasLayer(entry.group)) entry.group.addTo(map);
    map.closePopup();
    var opened = false;
    function open() {
      if (opened) return;
      opened = true;
      map.off("moveend", open);
      entry.marker.openPopup();
    }
    map.on("moveend", open);
    if (entry.bounds) {
      map.flyToBounds(entry.bounds, { maxZoom: entry.zoom, padding: [30, 30], duration: 0.6 });
    } else {
      map.flyTo(entry.latlng, entry.zoom, { duration: 0.6 });
    }
    window.setTimeout(open, 1500); // in case the map did not move at all
    return true;
  }

  function flash(el) {
    el.classList.remove("geo-flash");
    void el.offsetWidth; // restart the animation
    el.classList.add("geo-flash");
  }

  function onClick(event) {
    var jump = event.target.closest("a.geo-jump");
    if (jump) {
      var target = document.getElementById(jump.getAttribute("href").slice(1));
      if (target) {
        event.preventDefault();
        target.scrollIntoView({ block: "center", behavior: "smooth" });
        flash(target);
      }
      return;
    }
    var mention = event.target.closest(".geo-text [data-place-id]");
    if (mention && focusPlace(mention.getAttribute("data-place-id"))) {
      event.preventDefault();
      flash(mention);
    }
  }

  function onKey(event) {
    if (event.key !== "Enter" && event.key !== " ") return;
    var mention = event.target.closest && event.target.closest(".geo-text [data-place-id]");
    if (mention && focusPlace(mention.getAttribute("data-place-id"))) event.preventDefault();
  }

  function legend(map, elementId) {
    var el = document.getElementById(elementId);
    if (!el) return null;
    var control = L.control({ position: "bottomleft" });
    if (map.getSize().y < 560) el.open = false; // small screens: start folded
    control.onAdd = function () {
      L.DomEvent.disableClickPropagation(el);
      L.DomEvent.disableScrollPropagation(el);
      return el;
    };
    return control.addTo(map);
  }

  function fit(map, bounds, maxZoom) {
    // Keep a band at the bottom free for the legend, so no place hides under it.
    var legendEl = map.getContainer().querySelector(".geo-legend");
    var bottom = legendEl ? legendEl.offsetHeight + 24 : 30;
    bottom = Math.min(bottom, map.getSize().y / 2);
    map.fitBounds(bounds, { paddingTopLeft: [30, 30], paddingBottomRight: [30, bottom], maxZoom: maxZoom });
  }

  function notice(map, message) {
    var el = document.createElement("div");
    el.className = "geo-notice";
    el.textContent = message;
    map.getContainer().appendChild(el);
  }

  window.geoMap = {
    outlinesLayer: outlinesLayer,
    placesLayer: placesLayer,
    focusPlace: focusPlace,
    legend: legend,
    fit: fit,
    idle: function () { return !moving; },
    notice: notice,
  };
})();
