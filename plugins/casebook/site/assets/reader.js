/* casebook, the reader's side: partner finder and network view.
 *
 * Material's instant navigation swaps pages without reloading scripts, so
 * everything is (re)initialised from its `document$` observable.  The data file
 * is fetched lazily, once per visit, relative to the page.
 *
 * The finder's score is the one defined in casebook/similarity.py: the build
 * exports each feature's value v(f) = w_tax * idf(f) and each organisation's
 * norm, so the score here is sum(v(f)^2 over shared f) / (|query| * |organisation|),
 * rounded to 9 decimals, ranked by score descending, then key ascending.
 * Filters ("Eingrenzen": what an organisation offers or needs, where it is) narrow
 * that list; with filters alone, it lists every organisation that passes, by key.
 */
(function () {
  "use strict";

  const PAGE_SIZE = 20;
  const COLOURS = ["#00796b", "#d84315", "#5e35b1", "#2e7d32", "#6d4c41", "#1565c0"];
  const fetched = new Map();
  const scripts = new Map();
  let network = null; // the Cytoscape instance of the current page, destroyed on navigation

  function loadJson(href) {
    const url = new URL(href, location.href).href;
    if (!fetched.has(url)) {
      fetched.set(url, fetch(url).then(function (response) {
        if (!response.ok) throw new Error("Daten nicht gefunden: " + url);
        return response.json();
      }));
    }
    return fetched.get(url);
  }

  function loadScript(href) {
    const url = new URL(href, location.href).href;
    if (!scripts.has(url)) {
      scripts.set(url, new Promise(function (resolve, reject) {
        const script = document.createElement("script");
        script.src = url;
        script.onload = resolve;
        script.onerror = function () { reject(new Error("Skript nicht gefunden: " + url)); };
        document.head.appendChild(script);
      }));
    }
    return scripts.get(url);
  }

  /* ------------------------------------------------------------ finder */

  /** "Zielgruppe Senior*innen · Daten Wartezeiten, Beratungsstatistik", as Renderer.explain groups it. */
  function explain(model, shared) {
    const groups = new Map();
    shared.forEach(function (f) {
      const feature = model.data.features[f];
      if (!groups.has(feature[0])) groups.set(feature[0], []);
      groups.get(feature[0]).push(feature[2]);
    });
    return Array.from(groups, function (group) {
      const labels = group[1];
      return (labels.length === 1 ? model.singular.get(group[0]) : model.title.get(group[0])) + " " + labels.join(", ");
    }).join(" · ");
  }

  /** Inverted index and lookups over the exported data, built once per data file. */
  function finderModel(data) {
    if (data._model) return data._model;
    const postings = data.features.map(function () { return []; });
    data.organisations.forEach(function (organisation, o) {
      organisation[4].forEach(function (f) { postings[f].push(o); });
    });
    const index = new Map(data.features.map(function (feature, i) { return [feature[0] + "\u0000" + feature[1], i]; }));
    const singular = new Map(data.taxonomies.map(function (t) { return [t.key, t.singular]; }));
    const title = new Map(data.taxonomies.map(function (t) { return [t.key, t.title]; }));
    data._model = { data: data, postings: postings, index: index, singular: singular, title: title };
    return data._model;
  }

  /** Organisations for the selected feature indices, as SimilarityIndex.similar_to(k = all) ranks them. */
  function rank(model, selected) {
    const features = model.data.features;
    const organisations = model.data.organisations;
    let squares = 0;
    selected.forEach(function (f) { squares += features[f][3] * features[f][3]; });
    const norm = Math.sqrt(squares);
    const dot = new Map();
    selected.forEach(function (f) {
      const square = features[f][3] * features[f][3];
      model.postings[f].forEach(function (o) { dot.set(o, (dot.get(o) || 0) + square); });
    });
    const minScore = model.data.min_score;
    const matches = [];
    dot.forEach(function (sum, o) {
      const scaled = Math.round((sum / (norm * organisations[o][3])) * 1e9);
      if (scaled > 0 && scaled / 1e9 >= minScore) matches.push({ o: o, scaled: scaled });
    });
    // Organisations are sorted by key in the data, so the index breaks ties by key.
    matches.sort(function (a, b) { return b.scaled - a.scaled || a.o - b.o; });
    const chosen = new Set(selected);
    return matches.map(function (match) {
      const organisation = organisations[match.o];
      // An organisation's feature indices ascend, and features are listed in explanation order.
      const shared = organisation[4].filter(function (f) { return chosen.has(f); });
      return { o: match.o, slug: organisation[0], title: organisation[1], url: organisation[2], score: match.scaled / 1e9, shared: shared };
    });
  }

  /** Every organisation, by key: the list filters narrow when no term is ticked. */
  function everyone(model) {
    return model.data.organisations.map(function (organisation, o) {
      return { o: o, slug: organisation[0], title: organisation[1], url: organisation[2], score: null, shared: [] };
    });
  }

  function initFinder(root) {
    const form = root.querySelector("form");
    const status = root.querySelector(".casebook-finder__count");
    const list = root.querySelector(".casebook-finder__results");
    const more = root.querySelector(".casebook-finder__more");
    const siteRoot = new URL(root.dataset.root, location.href);
    const boxes = Array.from(form.querySelectorAll("fieldset[data-taxonomy] input[type=checkbox]"));
    const narrows = Array.from(form.querySelectorAll("select[data-narrow]"));
    const near = form.querySelector("input[name=nah]");
    let ranking = [];
    let narrow = []; // the active filters, for the reasons of the items shown
    let shown = PAGE_SIZE;
    let model = null;

    root.querySelectorAll("input[data-filter]").forEach(function (input) {
      const items = Array.from(input.closest("fieldset").querySelectorAll("li[data-label]"));
      input.addEventListener("input", function () {
        const needle = input.value.trim().toLowerCase();
        items.forEach(function (item) { item.hidden = needle !== "" && !item.dataset.label.includes(needle); });
      });
    });

    const params = new URLSearchParams(location.search);
    boxes.forEach(function (box) {
      const wanted = params.getAll(box.name).join(",").split(",");
      box.checked = wanted.includes(box.value);
    });
    narrows.forEach(function (select) {
      const wanted = params.get(select.name);
      if (wanted && Array.from(select.options).some(function (option) { return option.value === wanted; })) select.value = wanted;
    });
    if (near) near.checked = params.get(near.name) === near.value;

    /** The active filters: per taxonomy, the terms an organisation must name one of ("in unserer Nähe" widens a place). */
    function narrowing() {
      return narrows.filter(function (select) { return select.value !== ""; }).map(function (select) {
        const key = select.dataset.narrow;
        const widened = near && near.checked && near.value === key && model.data.near[key];
        const label = select.closest("label").querySelector("span").textContent;
        return { key: key, label: label, allowed: new Set(widened ? widened[select.value] : [select.value]) };
      });
    }

    function passes(match) {
      const named = model.data.organisations[match.o][5];
      return narrow.every(function (n) { return named[n.key].some(function (slug) { return n.allowed.has(slug); }); });
    }

    /** "Bietet: Daten teilen", for each filter, with what the organisation names of it. */
    function narrowed(match) {
      const named = model.data.organisations[match.o][5];
      return narrow.map(function (n) {
        const labels = model.data.filters[n.key].labels;
        return n.label + ": " + named[n.key].filter(function (slug) { return n.allowed.has(slug); }).map(function (slug) { return labels[slug]; }).join(", ");
      }).join(" · ");
    }

    function selection() {
      const byTaxonomy = new Map();
      boxes.filter(function (box) { return box.checked; }).forEach(function (box) {
        if (!byTaxonomy.has(box.name)) byTaxonomy.set(box.name, []);
        byTaxonomy.get(box.name).push(box.value);
      });
      return byTaxonomy;
    }

    function remember(byTaxonomy) {
      const query = new URLSearchParams();
      byTaxonomy.forEach(function (slugs, key) { query.set(key, slugs.join(",")); });
      narrows.forEach(function (select) { if (select.value) query.set(select.name, select.value); });
      if (near && near.checked) query.set(near.name, near.value);
      const search = query.toString();
      history.replaceState(history.state, "", location.pathname + (search ? "?" + search : "") + location.hash);
    }

    function item(match) {
      const li = document.createElement("li");
      li.dataset.slug = match.slug;
      li.dataset.score = String(match.score);
      const link = document.createElement("a");
      link.href = new URL(match.url, siteRoot).href;
      link.textContent = match.title;
      const reason = document.createElement("span");
      reason.className = "casebook-reason";
      const parts = match.score === null ? [] : ["Übereinstimmung " + Math.round(match.score * 100) + " % · Gemeinsam: " + explain(model, match.shared)];
      if (narrow.length) parts.push(narrowed(match));
      reason.textContent = parts.join(" · ");
      li.append(link, document.createElement("br"), reason);
      return li;
    }

    function show() {
      const fragment = document.createDocumentFragment();
      ranking.slice(list.children.length, shown).forEach(function (match) { fragment.appendChild(item(match)); });
      list.appendChild(fragment);
      more.hidden = ranking.length <= shown;
    }

    function update() {
      const byTaxonomy = selection();
      narrow = narrowing();
      remember(byTaxonomy);
      list.replaceChildren();
      shown = PAGE_SIZE;
      if (byTaxonomy.size === 0 && narrow.length === 0) {
        ranking = [];
        more.hidden = true;
        status.textContent = "Wählt oben mindestens einen Begriff aus oder grenzt die Liste ein.";
        return;
      }
      const selected = [];
      byTaxonomy.forEach(function (slugs, key) {
        slugs.forEach(function (slug) {
          const f = model.index.get(key + "\u0000" + slug);
          if (f !== undefined) selected.push(f);
        });
      });
      ranking = (byTaxonomy.size ? rank(model, selected) : everyone(model)).filter(passes);
      status.textContent = ranking.length === 0
        ? (byTaxonomy.size ? "Keine Organisation hat genug mit eurer Auswahl gemeinsam." : "Keine Organisation passt zu eurer Eingrenzung.")
        : (ranking.length === 1 ? "1 Organisation passt" : ranking.length + " Organisationen passen") + " zu eurer Auswahl"
          + (byTaxonomy.size ? (ranking.length === 1 ? "." : ", die ähnlichsten zuerst.") : ".");
      show();
    }

    more.addEventListener("click", function () { shown += PAGE_SIZE; show(); });
    status.textContent = "Daten werden geladen …";
    loadJson(root.dataset.src).then(function (data) {
      model = finderModel(data);
      form.addEventListener("change", update);
      form.addEventListener("reset", function () { setTimeout(update, 0); });
      update();
    }).catch(function (error) {
      status.textContent = "Die Daten des Partner-Finders konnten nicht geladen werden.";
      console.warn(error);
    });
  }

  /* ----------------------------------------------------------- network */

  function initNetwork(root) {
    const status = root.querySelector(".casebook-network__status");
    const canvas = root.querySelector(".casebook-network__canvas");
    const siteRoot = new URL(root.dataset.root, location.href);
    const filters = Array.from(root.querySelectorAll("input[name=taxonomy]"));
    Promise.all([loadJson(root.dataset.src), loadScript(root.dataset.script)]).then(function (loaded) {
      const model = finderModel(loaded[0]);
      const data = model.data;
      const colour = new Map(data.taxonomies.map(function (t, i) { return [t.key, COLOURS[i % COLOURS.length]]; }));
      const elements = data.organisations.map(function (organisation, o) {
        return { data: { id: "o" + o, label: organisation[1], url: organisation[2], kind: "organisation" } };
      });
      data.features.forEach(function (feature, f) {
        if (model.postings[f].length < 2) return; // only what organisations share
        elements.push({ data: { id: "t" + f, label: feature[2], kind: "term", taxonomy: feature[0], colour: colour.get(feature[0]) } });
        model.postings[f].forEach(function (o) {
          elements.push({ data: { id: "e" + f + "-" + o, source: "o" + o, target: "t" + f, taxonomy: feature[0] } });
        });
      });
      network = window.cytoscape({
        container: canvas,
        elements: elements,
        minZoom: 0.2,
        maxZoom: 3,
        style: [
          { selector: "node[kind = 'organisation']", style: {
            "background-color": "#37474f", label: "data(label)", "font-size": 11, "text-valign": "bottom",
            "text-margin-y": 4, "text-wrap": "wrap", "text-max-width": 120, "min-zoomed-font-size": 7, width: 18, height: 18 } },
          { selector: "node[kind = 'term']", style: {
            shape: "round-rectangle", "background-color": "data(colour)", label: "data(label)", color: "#fff",
            "font-size": 10, "text-valign": "center", width: "label", height: 18, padding: 4, "min-zoomed-font-size": 7 } },
          { selector: "edge", style: { "line-color": "#b0bec5", width: 1.5, opacity: 0.8 } },
          { selector: "node:selected", style: { "border-width": 3, "border-color": "#ff6e40" } },
        ],
      });
      window.casebookNetwork = network; // for the browser tests and curious readers
      network.on("tap", "node[kind = 'organisation']", function (event) {
        location.href = new URL(event.target.data("url"), siteRoot).href;
      });

      function filter() {
        const enabled = new Set(filters.filter(function (box) { return box.checked; }).map(function (box) { return box.value; }));
        network.batch(function () {
          network.nodes("[kind = 'term']").forEach(function (node) {
            node.style("display", enabled.has(node.data("taxonomy")) ? "element" : "none");
          });
        });
        const visible = network.elements(":visible");
        // A force layout for readable sizes, concentric circles when it would take too long.
        visible.layout(visible.length > 1500
          ? { name: "concentric", animate: false, minNodeSpacing: 4 }
          : { name: "cose", animate: false, randomize: true, nodeRepulsion: function () { return 8000; }, idealEdgeLength: function () { return 60; } }).run();
        network.fit(visible, 20);
        status.textContent = data.organisations.length + " Organisationen und " + network.nodes("[kind = 'term']:visible").length + " gemeinsame Begriffe.";
      }

      filters.forEach(function (box) { box.addEventListener("change", filter); });
      filter();
    }).catch(function (error) {
      status.textContent = "Das Netzwerk konnte nicht geladen werden.";
      console.warn(error);
    });
  }

  // The site decides "upcoming" when it is built; an event that has ended since then moves to "Inzwischen vorbei".
  function movePassedEvents(upcoming) {
    const now = new Date();
    const today = [now.getFullYear(), now.getMonth() + 1, now.getDate()].map(function (n) { return String(n).padStart(2, "0"); }).join("-");
    const passed = upcoming.nextElementSibling && upcoming.nextElementSibling.matches("[data-casebook-passed]") ? upcoming.nextElementSibling : null;
    upcoming.querySelectorAll("li[data-ends]").forEach(function (item) {
      if (item.dataset.ends >= today || !passed) return;
      passed.querySelector("ul").appendChild(item);
      passed.hidden = false;
    });
  }

  function init() {
    document.querySelectorAll("[data-casebook-upcoming]").forEach(movePassedEvents);
    if (network) {
      network.destroy();
      network = null;
    }
    const finder = document.getElementById("casebook-finder");
    if (finder) initFinder(finder);
    const graph = document.getElementById("casebook-network");
    if (graph) initNetwork(graph);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
