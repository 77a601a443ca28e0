/* heapflame flame graph viewer: zoom, search, details, URL state.
 * Reads everything it needs from the DOM; ids are prefixed with the <svg>'s
 * id so several graphs can live on one page. */
(function () {
	"use strict";
	var started = window.performance ? performance.now() : 0;
	var script = document.currentScript;
	var svg = script && (script.ownerSVGElement || script.closest("svg"));
	if (!svg) {
		var all = document.querySelectorAll("svg.heapflame:not([data-hf-ready])");
		svg = all.length ? all[all.length - 1] : null;
	}
	if (!svg || svg.getAttribute("data-hf-ready")) return;
	svg.setAttribute("data-hf-ready", "1");
	var P = svg.id;
	function el(name) { return svg.querySelector("#" + P + "-" + name); }
	function num(name) { return +svg.getAttribute("data-hf-" + name); }
	var W = +svg.getAttribute("width");
	var XPAD = 10;
	var total = num("total"), fh = num("frameheight"), inverted = num("inverted") === 1;
	var nametype = svg.getAttribute("data-hf-nametype") || "";
	var details = el("details"), matchedText = el("matched");
	var unzoomBtn = el("unzoom"), searchBtn = el("search"), icBtn = el("ic");
	var gs = el("frames").children;
	var n = gs.length;
	var fr = new Array(n);
	var stack = [];
	var y0 = n ? +gs[0].querySelector("rect").getAttribute("y") : 0;
	for (var i = 0; i < n; i++) {
		var g = gs[i];
		var rect = g.querySelector("rect"), text = g.querySelector("text");
		var t = g.querySelector("title").textContent;
		var cut = t.lastIndexOf(" (");
		var y = +rect.getAttribute("y");
		var depth = Math.round((inverted ? y - y0 : y0 - y) / fh);
		while (stack.length && fr[stack[stack.length - 1]].depth >= depth) {
			fr[stack.pop()].end = i;
		}
		fr[i] = {
			g: g, rect: rect, text: text, title: t,
			name: cut >= 0 ? t.substring(0, cut) : t,
			x: +rect.getAttribute("x"), w: +rect.getAttribute("width"),
			y: y, depth: depth, value: +g.getAttribute("data-v"),
			parent: stack.length ? stack[stack.length - 1] : -1, end: n,
			label: text.textContent
		};
		g.setAttribute("data-i", i);
		stack.push(i);
	}

	/* labels are fitted with the browser's own text metrics (a canvas with
	 * the frames' font; no layout is forced), else an average glyph width */
	var measure = null, charWidth = 7;
	function measurer() {
		if (measure !== null || !n) return measure;
		measure = false;
		try {
			var cs = window.getComputedStyle(fr[0].text);
			var c = document.createElementNS("http://www.w3.org/1999/xhtml", "canvas").getContext("2d");
			c.font = cs.fontSize + " " + cs.fontFamily;
			charWidth = c.measureText("abcdefghijklmnopqrstuvwxyz").width / 26 || 7;
			measure = function (s) { return c.measureText(s).width; };
		} catch (e) { /* keep the average */ }
		return measure;
	}
	function fit(f, w) {
		var avail = w - 3, m = measurer();
		if (avail < 2.5 * charWidth) return "";
		if (!m) {
			var chars = Math.floor(avail / charWidth);
			var all = Array.from(f.name);
			return all.length <= chars ? f.name : all.slice(0, chars - 2).join("") + "..";
		}
		if (m(f.name) <= avail) return f.name;
		var cps = f.cps || (f.cps = Array.from(f.name)); /* whole code points */
		var dots = m(".."), lo = 0, hi = cps.length - 1;
		while (lo < hi) {
			var mid = (lo + hi + 1) >> 1;
			if (m(cps.slice(0, mid).join("")) + dots <= avail) lo = mid; else hi = mid - 1;
		}
		return lo > 0 ? cps.slice(0, lo).join("") + ".." : "";
	}

	/* URL state: ?x=&y= zoom, ?s= search */
	function setParams(changes) {
		if (!window.history || !history.replaceState) return;
		try {
			var params = new URLSearchParams(window.location.search);
			for (var k in changes) {
				if (changes[k] === null) params.delete(k); else params.set(k, changes[k]);
			}
			var q = params.toString();
			history.replaceState(history.state, "", window.location.pathname + (q ? "?" + q : "") + window.location.hash);
		} catch (e) { /* some embeddings forbid it */ }
	}

	var zoomed = -1;
	function zoom(i) {
		var f = fr[i];
		var scale = (W - 2 * XPAD) / f.w;
		var ancestor = {};
		for (var a = f.parent; a >= 0; a = fr[a].parent) ancestor[a] = true;
		for (var j = 0; j < n; j++) {
			var o = fr[j], cl = o.g.classList;
			if (j >= i && j < f.end) {
				var x = XPAD + (o.x - f.x) * scale, w = o.w * scale;
				cl.remove("hf-hide", "hf-parent");
				o.rect.setAttribute("x", x.toFixed(1));
				o.rect.setAttribute("width", w.toFixed(1));
				o.text.setAttribute("x", (x + 3).toFixed(2));
				o.text.textContent = fit(o, w);
			} else if (ancestor[j]) {
				cl.remove("hf-hide");
				cl.add("hf-parent");
				o.rect.setAttribute("x", XPAD);
				o.rect.setAttribute("width", (W - 2 * XPAD).toFixed(1));
				o.text.setAttribute("x", (XPAD + 3).toFixed(2));
				o.text.textContent = fit(o, W - 2 * XPAD);
			} else {
				cl.add("hf-hide");
			}
		}
		zoomed = i;
		unzoomBtn.classList.remove("hf-hide");
		setParams({x: f.x.toFixed(1), y: f.y});
	}
	function unzoom() {
		if (zoomed < 0) return;
		for (var j = 0; j < n; j++) {
			var o = fr[j];
			o.g.classList.remove("hf-hide", "hf-parent");
			o.rect.setAttribute("x", o.x.toFixed(1));
			o.rect.setAttribute("width", o.w.toFixed(1));
			o.text.setAttribute("x", (o.x + 3).toFixed(2));
			o.text.textContent = o.label;
		}
		zoomed = -1;
		unzoomBtn.classList.add("hf-hide");
		setParams({x: null, y: null});
	}

	var ignoreCase = false, term = null;
	function search(t) {
		var re;
		try {
			re = new RegExp(t, ignoreCase ? "i" : "");
		} catch (e) {
			matchedText.textContent = "Bad regular expression";
			return;
		}
		term = t;
		var sum = 0, coveredUntil = -1;
		for (var j = 0; j < n; j++) {
			var o = fr[j];
			if (re.test(o.name)) {
				o.g.classList.add("hf-match");
				/* count a match once: not again inside a matched frame */
				if (j >= coveredUntil) {
					sum += o.value;
					coveredUntil = o.end;
				}
			} else {
				o.g.classList.remove("hf-match");
			}
		}
		searchBtn.classList.add("hf-on");
		var pct = total > 0 ? 100 * sum / total : 0;
		matchedText.textContent = "Matched: " + (pct === 100 ? "100" : pct.toFixed(2)) + "%";
		setParams({s: t});
	}
	function resetSearch() {
		for (var j = 0; j < n; j++) fr[j].g.classList.remove("hf-match");
		term = null;
		searchBtn.classList.remove("hf-on");
		matchedText.textContent = " ";
		setParams({s: null});
	}
	function searchPrompt() {
		if (term !== null) { resetSearch(); return; }
		var t = window.prompt("Enter a search term (regexp allowed, eg: ^runtime\\.)" +
			(ignoreCase ? ", ignoring case" : "") + "\nPress Ctrl-i to toggle case sensitivity", "");
		if (t) search(t);
	}
	function toggleIgnoreCase() {
		ignoreCase = !ignoreCase;
		icBtn.classList.toggle("hf-on", ignoreCase);
		if (term !== null) search(term);
	}

	function frameIndex(target) {
		var g = target && target.closest ? target.closest("g[data-i]") : null;
		return g && svg.contains(g) ? +g.getAttribute("data-i") : -1;
	}
	var framesG = el("frames");
	framesG.addEventListener("click", function (e) {
		var i = frameIndex(e.target);
		if (i < 0) return;
		if (i === 0) unzoom(); else zoom(i);
	});
	framesG.addEventListener("mouseover", function (e) {
		var i = frameIndex(e.target);
		if (i >= 0) details.textContent = nametype + " " + fr[i].title;
	});
	framesG.addEventListener("mouseout", function () { details.textContent = " "; });
	unzoomBtn.addEventListener("click", unzoom);
	searchBtn.addEventListener("click", searchPrompt);
	icBtn.addEventListener("click", toggleIgnoreCase);

	/* keys go to the graph under the mouse, else the first on the page */
	svg.addEventListener("mouseenter", function () { window.heapflameActive = P; });
	window.addEventListener("keydown", function (e) {
		var active = window.heapflameActive;
		if (active ? active !== P : document.querySelector("svg.heapflame") !== svg) return;
		if (e.key === "F3" || ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F"))) {
			e.preventDefault();
			searchPrompt();
		} else if ((e.ctrlKey || e.metaKey) && (e.key === "i" || e.key === "I")) {
			e.preventDefault();
			toggleIgnoreCase();
		} else if (e.key === "Escape") {
			unzoom();
		}
	});

	svg.heapflame = {zoom: zoom, unzoom: unzoom, search: search, resetSearch: resetSearch};
	var params = new URLSearchParams(window.location.search);
	if (params.has("x") && params.has("y")) {
		var px = +params.get("x"), py = +params.get("y");
		for (var k = 1; k < n; k++) {
			if (Math.abs(fr[k].x - px) < 0.05 && fr[k].y === py) { zoom(k); break; }
		}
	}
	if (params.get("s")) search(params.get("s"));
	svg.heapflame.initMs = (window.performance ? performance.now() : 0) - started;
})();
