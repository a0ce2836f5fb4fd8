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

