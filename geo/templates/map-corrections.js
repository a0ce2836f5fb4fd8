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

