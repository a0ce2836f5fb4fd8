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

