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

