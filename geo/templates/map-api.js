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
