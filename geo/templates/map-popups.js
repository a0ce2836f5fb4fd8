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

