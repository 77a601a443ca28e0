/* heapflame HTML report: every view is computed here from the embedded
 * stacks (src/html/html.c writes them). Nothing is fetched; nothing from
 * the profile is ever parsed as HTML (text goes in with textContent). */
(function () {
	"use strict";
	var T0 = window.performance ? performance.now() : 0;
	function $(id) { return document.getElementById(id); }
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls) e.className = cls;
		if (text !== undefined) e.textContent = text;
		return e;
	}
	var meta = JSON.parse($("hf-meta").textContent);
	var nodes = JSON.parse($("hf-nodes").textContent);
	var colorTables = JSON.parse($("hf-colors").textContent);
	var NT = meta.types.length, NN = nodes.name.length, DIFF = meta.diff;
	/* a tree's function ids: 16-bit when they fit (106 MB less on the
	 * 53 million nodes of a 1,000,000-stack profile) */
	var FnArray = NN < 32767 ? Int16Array : Int32Array;
	var names = nodes.name;

	/* ---- the call tree: distinct stacks decoded into a prefix tree ---- */
	var DIG = new Int8Array(128);
	(function () {
		var a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		for (var i = 0; i < 64; i++) DIG[a.charCodeAt(i)] = i;
	})();

	/* A tree: parent, fn (function id; ids are in name order, so a
	 * preorder tree with children in id order is the flame graph's
	 * layout), inl (every call through the node was inlined), and the
	 * stacks: leaf[k] is stack k's node, val[k * NT + t] its value for
	 * sample type t (base likewise, in a diff: "before"). */
	/* Decoded in steps (step(deadline) returns true when done, the tree
	 * in .tree): "Matched" decodes it in slices of the main thread so the
	 * page stays responsive; a view that needs it now finishes it. */
	function stackDecoder(s) {
		/* the reader's own closures, called directly on this hot path */
		var rd = reader(s), bits = rd.bits, gamma = rd.gamma, uvar = rd.uvar, eg = rd.eg;
		var lists = DISP.lists, listStart = DISP.listStart, rorders = DISP.orders;
		var count = uvar(), nodes = uvar(), nv = DIFF ? 2 * NT : NT, orders = [];
		for (var o = 0; o < nv; o++) orders.push(uvar());
		/* sized once: a 1,000,000-stack profile has 53 million nodes */
		var cap = nodes + 1;
		var parent = new Int32Array(cap), fn = new FnArray(cap), inl = new Uint8Array(cap);
		var leaf = new Int32Array(count), val = new Float64Array(count * NT);
		var base = DIFF ? new Float64Array(count * NT) : null;
		parent[0] = -1; fn[0] = -1;
		var n = 1, path = new Int32Array(65538), depth = 0, i = 0, job = {tree: null};
		path[0] = 0;
		job.step = function (deadline) {
			for (; i < count; i++) {
				if ((i & 1023) === 0 && i && performance.now() > deadline) return false;
				var shared = gamma() - 1, suffix = gamma() - 1;
				depth = shared;
				for (var k = 0; k < suffix; k++) {
					var par = path[depth], pf = par === 0 ? NN : fn[par], ko = rorders[pf];
					var code = lists[listStart[pf] + (gamma() - 1) * (1 << ko) + (ko ? bits(ko) : 0)];
					if (n === cap) {
						cap *= 2;
						var p2 = new Int32Array(cap); p2.set(parent); parent = p2;
						var f2 = new FnArray(cap); f2.set(fn); fn = f2;
						var i2 = new Uint8Array(cap); i2.set(inl); inl = i2;
					}
					parent[n] = par;
					fn[n] = code >> 1;
					inl[n] = code & 1;
					path[++depth] = n++;
				}
				leaf[i] = path[depth];
				for (var v = 0; v < nv; v++) {
					var x = eg(orders[v]);
					if (v < NT) val[i * NT + v] = x; else base[i * NT + v - NT] = x;
				}
			}
			if (n < cap) { parent = parent.slice(0, n); fn = fn.slice(0, n); inl = inl.slice(0, n); }
			/* leaf[k] grows with k (sorted distinct stacks, preorder nodes):
			 * the stacks under node v are those whose leaf is in [v, end[v]) */
			job.tree = {n: n, parent: parent, fn: fn, inl: inl, leaf: leaf, val: val, base: base, cache: {}};
			return true;
		};
		return job;
	}
	/* a plain bit reader (the display tree and the callee lists: small) */
	function reader(s) {
		var pos = 0, acc = 0, nb = 0, r = {};
		function bits(k) {
			while (nb < k) { acc |= DIG[s.charCodeAt(pos++)] << nb; nb += 6; }
			var v = acc & ((1 << k) - 1);
			acc >>>= k;
			nb -= k;
			return v;
		}
		function gamma() {
			/* fast path: the zeros, the one and the low bits in the buffer */
			while (nb < 24) { acc |= DIG[s.charCodeAt(pos++)] << nb; nb += 6; }
			if (acc !== 0) {
				var z0 = 31 - Math.clz32(acc & -acc);
				if (2 * z0 + 1 <= nb) {
					var g = ((acc >>> (z0 + 1)) & ((1 << z0) - 1)) | (1 << z0);
					acc >>>= 2 * z0 + 1;
					nb -= 2 * z0 + 1;
					return g;
				}
			}
			var z = 0;
			while (bits(1) === 0) z++;
			if (z <= 24) return z ? (1 << z) + bits(z) : 1;
			var lo = 0, m = 1;
			for (var left = z; left > 0; left -= 24) {
				var tk = left > 24 ? 24 : left;
				lo += bits(tk) * m;
				m *= 1 << tk;
			}
			return Math.pow(2, z) + lo;
		}
		function uvar() {
			var v = 0, mul = 1, d;
			do { d = bits(6); v += (d & 31) * mul; mul *= 32; } while (d & 32);
			return v;
		}
		/* zigzag exp-Golomb of order k (values past 2^53 lose precision) */
		function eg(k) {
			var q = gamma() - 1, low = 0, mul = 1;
			for (var left = k; left > 0; left -= 24) {
				var take = left > 24 ? 24 : left;
				low += bits(take) * mul;
				mul *= 1 << take;
			}
			var u = q * Math.pow(2, k) + low;
			return u % 2 ? -(u + 1) / 2 : u / 2;
		}
		r.bits = bits;
		r.gamma = gamma;
		r.uvar = uvar;
		r.eg = eg;
		r.svar = function () { var u = uvar(); return u % 2 ? -(u + 1) / 2 : u / 2; };
		r.state = function (p, a, n) { pos = p; acc = a; nb = n; };
		r.pos = function () { return pos; };
		r.acc = function () { return acc; };
		r.nb = function () { return nb; };
		/* k bits, k up to 48 */
		r.wide = function (k) { return k > 24 ? bits(24) + bits(k - 24) * 16777216 : bits(k); };
		return r;
	}
	var TIMES = {};
	/* The display tree (src/html/html.c put_display): the call tree cut
	 * to its widest nodes, for the flame graph; the whole call tree (CT)
	 * is decoded only when a view needs it (top, peek, sandwich, refine, a
	 * zoom or a search past what the display tree holds). */
	function decodeDisplay() {
		/* One function with the bit buffer in locals (no closure over it):
		 * this runs once, cold, before the first paint, and the hot loops
		 * get optimised where they stand. A rare long code goes through the
		 * reader r, synced in and out. */
		var text = $("hf-display").textContent, r = reader(text), lists, listStart = new Int32Array(NN + 2);
		var orders = new Int32Array(NN + 1), pos = 0, acc = 0, nb = 0, z = 0, g = 0;
		/* a callee's code, 2 * id + inlined, in the bits of 2 * NN */
		var codeBits = NN ? 32 - Math.clz32(2 * NN) : 0, codeMask = codeBits >= 31 ? -1 : (1 << codeBits) - 1;
		var codes = new Int32Array(1024), ncodes = 0;
		function sync() { r.state(pos, acc, nb); }
		function back() { pos = r.pos(); acc = r.acc(); nb = r.nb(); }
		for (var p = 0; p <= NN; p++) {
			var len = 0;
			for (var two = 0; two < 2; two++) {
				while (nb <= 24) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
				z = acc ? 31 - Math.clz32(acc & -acc) : 32;
				if (2 * z + 1 <= nb) { g = ((acc >>> (z + 1)) & ((1 << z) - 1)) | (1 << z); acc >>>= 2 * z + 1; nb -= 2 * z + 1; }
				else { sync(); g = r.gamma(); back(); }
				if (two === 0) len = g - 1; else orders[p] = g - 1;
			}
			listStart[p] = ncodes;
			if (ncodes + len > codes.length) {
				var c2 = new Int32Array(Math.max(2 * codes.length, ncodes + len));
				c2.set(codes);
				codes = c2;
			}
			if (codeBits <= 24) {
				for (var q = 0; q < len; q++) {
					while (nb < codeBits) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
					codes[ncodes++] = acc & codeMask;
					acc >>>= codeBits;
					nb -= codeBits;
				}
			} else {
				sync();
				for (var q2 = 0; q2 < len; q2++) codes[ncodes++] = r.wide(codeBits);
				back();
			}
		}
		listStart[NN + 1] = ncodes;
		lists = codes.subarray(0, ncodes);
		sync();
		var n = r.uvar(), cut = r.uvar(), totmag = [];
		for (var t = 0; t < NT; t++) totmag.push(r.uvar());
		var vorders = [];
		for (var o = 0; o < (DIFF ? 2 * NT : NT); o++) vorders.push(r.uvar());
		back();
		var parent = new Int32Array(n), fn = new Int32Array(n), inl = new Uint8Array(n);
		var own = new Float64Array(n * NT), ownB = DIFF ? new Float64Array(n * NT) : null;
		var nv = DIFF ? 2 * NT : NT, path = new Int32Array(n + 2), depth = 0, nz = new Uint8Array(nv);
		parent[0] = -1; fn[0] = -1;
		for (var j = 0; j < n; j++) {
			if (j > 0) {
				while (nb <= 24) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
				z = acc ? 31 - Math.clz32(acc & -acc) : 32;
				if (2 * z + 1 <= nb) { g = ((acc >>> (z + 1)) & ((1 << z) - 1)) | (1 << z); acc >>>= 2 * z + 1; nb -= 2 * z + 1; }
				else { sync(); g = r.gamma(); back(); }
				var d = depth + 1 - (g - 1), par = path[d - 1];
				var pf = par === 0 ? NN : fn[par], ko = orders[pf];
				while (nb <= 24) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
				z = acc ? 31 - Math.clz32(acc & -acc) : 32;
				if (2 * z + 1 <= nb) { g = ((acc >>> (z + 1)) & ((1 << z) - 1)) | (1 << z); acc >>>= 2 * z + 1; nb -= 2 * z + 1; }
				else { sync(); g = r.gamma(); back(); }
				var rank = (g - 1) * (1 << ko);
				if (ko) {
					while (nb < ko) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
					rank += acc & ((1 << ko) - 1);
					acc >>>= ko;
					nb -= ko;
				}
				var code = lists[listStart[pf] + rank];
				parent[j] = par; fn[j] = code >> 1; inl[j] = code & 1;
				path[d] = j;
				depth = d;
			}
			/* a bit per value column (non-zero), then those values */
			var mask = 0;
			if (nv <= 24) {
				while (nb < nv) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
				mask = acc & ((1 << nv) - 1);
				acc >>>= nv;
				nb -= nv;
			} else {
				mask = -1;
			}
			if (nv > 24) { sync(); for (var b = 0; b < nv; b++) nz[b] = r.bits(1); back(); }
			for (var w = 0; mask && w < nv; w++) {
				if (nv <= 24 ? !(mask & (1 << w)) : !nz[w]) continue;
				/* zigzag exp-Golomb of the column's order k (r.eg inline) */
				var k = vorders[w], x;
				while (nb <= 24) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
				z = acc ? 31 - Math.clz32(acc & -acc) : 32;
				if (k <= 24 && 2 * z + 1 <= nb) {
					g = ((acc >>> (z + 1)) & ((1 << z) - 1)) | (1 << z);
					acc >>>= 2 * z + 1;
					nb -= 2 * z + 1;
					while (nb < k) { acc |= DIG[text.charCodeAt(pos++)] << nb; nb += 6; }
					var low = k ? acc & ((1 << k) - 1) : 0;
					acc >>>= k;
					nb -= k;
					var u = (g - 1) * (1 << k) + low;
					x = u % 2 ? -(u + 1) / 2 : u / 2;
				} else {
					sync();
					x = r.eg(k);
					back();
				}
				if (w < NT) own[j * NT + w] = x; else ownB[j * NT + w - NT] = x;
			}
		}
		/* no frame left out is wider than theta of its type's magnitude */
		return {n: n, parent: parent, fn: fn, inl: inl, own: own, ownB: ownB, pruned: cut > 0, lists: lists, listStart: listStart,
			orders: orders, theta: cut > 0 ? Math.pow(2, -cut / 8) : 0, totmag: totmag};
	}
	var DISP = decodeDisplay();
	TIMES.decode = performance.now() - T0;
	/* The bulk (the stacks, the packed source listings and call graphs)
	 * comes after this script in the file: the flame graph is drawn from
	 * the display tree while the parser reads it, and the views that need
	 * it wait for bulk.ready (after DOMContentLoaded and the inflating). */
	var bulk = {ready: false, graphs: [], src: null, error: "", notes: {}};
	/* a packed element's text: base64 of gzip (src/html/html.c put_packed) */
	function inflate(id) {
		var e = $(id);
		if (!e) return Promise.resolve(null);
		if (typeof DecompressionStream === "undefined")
			return Promise.reject(new Error("this browser cannot read the packed data (no DecompressionStream)"));
		var bin = atob(e.textContent), u = new Uint8Array(bin.length);
		for (var i = 0; i < bin.length; i++) u[i] = bin.charCodeAt(i);
		return new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream("gzip"))).text();
	}
	var CT = null, ctJob = null;
	function ct() {
		if (!bulk.ready) throw new Error("the stacks are not read yet");
		ctStep(Infinity);
		return CT;
	}
	/* the whole tree decoded until the deadline: true when it is
	 * (TIMES.fullDecode: the main thread's time in it, all steps) */
	function ctStep(deadline) {
		if (CT) return true;
		if (!ctJob) { ctJob = stackDecoder($("hf-stacks").textContent); ctJob.ms = 0; }
		var t0 = performance.now(), done = ctJob.step(deadline);
		ctJob.ms += performance.now() - t0;
		if (done) { CT = ctJob.tree; TIMES.fullDecode = ctJob.ms; ctJob = null; }
		return done;
	}

	/* per-node self values of a type (the base: "before", in a diff) */
	function selfOf(t, ty, wantBase) {
		var key = wantBase ? "b" : "s";
		if (t.cacheTy !== ty) { t.cache = {}; t.cacheTy = ty; }
		if (t.cache[key]) return t.cache[key];
		var a = new Float64Array(t.n), src = wantBase ? t.base : t.val;
		for (var k = 0; k < t.leaf.length; k++) a[t.leaf[k]] += src[k * NT + ty];
		t.cache[key] = a;
		return a;
	}
	/* the end of v's subtree in a preorder tree, found by a scan (the
	 * whole tree keeps no array of ends: 212 MB on 53 million nodes): the
	 * first node after it has a parent before v */
	function endOf(t, v) {
		var j = v + 1, n = t.n, parent = t.parent;
		while (j < n && parent[j] >= v) j++;
		return j;
	}

	/* ---- formatting (pprof's measurement, the SVG's titles) ---- */
	/* C's "%.2f": the exact binary value rounded, a tie to even (JS's
	 * toFixed rounds a tie up: 0.125 is "0.13" there, "0.12" in pprof) */
	function fixed2(v) {
		var s = v.toFixed(2);
		if (!isFinite(v)) return s;
		var exact = Math.abs(v).toFixed(60), dot = exact.indexOf(".");
		if (!/^50*$/.test(exact.slice(dot + 3))) return s;
		var down = exact.slice(0, dot + 3), last = down.charCodeAt(down.length - 1) - 48;
		if (last % 2 === 0) return (v < 0 && Number(down) !== 0 ? "-" : "") + down;
		return s;
	}
	function thousands(v) {
		var s = String(Math.abs(Math.round(v))), out = "";
		while (s.length > 3) { out = "," + s.slice(-3) + out; s = s.slice(0, -3); }
		return (v < 0 ? "-" : "") + s + out;
	}
	function flameUnit(t) {
		var ty = meta.types[t].type, u = meta.types[t].unit;
		if (u === "bytes") return {kind: "bytes", count: "bytes"};
		if (u === "nanoseconds") return {kind: "ns", count: "ns"};
		if (/_objects$/.test(ty) || ty === "objects") return {kind: "count", count: "objects"};
		if (u === "count" && ty) return {kind: "count", count: ty};
		return {kind: "count", count: u || "samples"};
	}
	function scaledFlame(v, units, step) {
		var a = Math.abs(v), u = 0;
		while (u < units.length - 1 && a >= step) { a /= step; u++; }
		var s = fixed2(v < 0 ? -a : a);
		if (s.slice(-3) === ".00") s = s.slice(0, -3);
		return s + " " + units[u];
	}
	function flameValue(t, v) {
		var fu = flameUnit(t);
		if (fu.kind === "bytes") return scaledFlame(v, ["B", "kB", "MB", "GB", "TB", "PB"], 1024);
		if (fu.kind === "ns") return scaledFlame(v, ["ns", "us", "ms", "s"], 1000);
		return thousands(v) + " " + fu.count;
	}
	var UNITS = [
		{units: [["B", ["b", "byte"], 1], ["kB", ["kb", "kbyte", "kilobyte"], 1024],
			["MB", ["mb", "mbyte", "megabyte"], 1048576], ["GB", ["gb", "gbyte", "gigabyte"], 1073741824],
			["TB", ["tb", "tbyte", "terabyte"], 1099511627776], ["PB", ["pb", "pbyte", "petabyte"], 1125899906842624]],
			fallback: ["B", 1]},
		{units: [["ns", ["ns", "nanosecond"], 1], ["us", ["\u03bcs", "us", "microsecond"], 1e3],
			["ms", ["ms", "millisecond"], 1e6], ["s", ["s", "sec", "second"], 1e9], ["hrs", ["hour", "hr"], 3600e9]],
			fallback: ["s", 1e9]},
		{units: [["n*GCU", ["nanogcu"], 1e-9], ["u*GCU", ["microgcu"], 1e-6], ["m*GCU", ["milligcu"], 1e-3],
			["GCU", ["gcu"], 1], ["k*GCU", ["kilogcu"], 1e3], ["M*GCU", ["megagcu"], 1e6],
			["G*GCU", ["gigagcu"], 1e9], ["T*GCU", ["teragcu"], 1e12], ["P*GCU", ["petagcu"], 1e15]],
			fallback: ["GCU", 1]}
	];
	function sniff(ut, name) {
		var low = name.toLowerCase();
		if (low.length > 2 && low.charAt(low.length - 1) === "s") low = low.slice(0, -1);
		for (var u = 0; u < ut.units.length; u++)
			if (ut.units[u][1].indexOf(low) >= 0) return ut.units[u];
		return null;
	}
	/* pprof's measurement.Scale: [value, unit] */
	function scale(value, from, to) {
		if (value < 0) { var r = scale(-value, from, to); return [-r[0], r[1]]; }
		var auto = to === "minimum" || to === "auto";
		for (var i = 0; i < UNITS.length; i++) {
			var ut = UNITS[i], src = sniff(ut, from);
			if (!src) continue;
			var v = value * src[2];
			if (auto) {
				var best = null;
				for (var u = 0; u < ut.units.length; u++)
					if ((!best || ut.units[u][2] >= best[2]) && v / ut.units[u][2] >= 1) best = ut.units[u];
				if (best) return [v / best[2], best[0]];
				return [v / ut.fallback[1], ut.fallback[0]];
			}
			var dst = sniff(ut, to);
			if (!dst) return [v / ut.fallback[1], ut.fallback[0]];
			return [v / dst[2], dst[0]];
		}
		if (auto || to === "count" || to === "sample" || to === "unit") return [value, ""];
		return [value, to];
	}
	function scaledLabel(value, from, to) {
		var r = scale(value, from, to);
		var num = fixed2(r[0]);
		if (num.slice(-3) === ".00") num = num.slice(0, -3);
		if (num === "0" || num === "-0") return "0";
		return num + r[1];
	}
	function pad(s, w) { while (s.length < w) s = " " + s; return s; }
	/* C's %.2g */
	function g2(x) {
		if (x === 0) return "0";
		var e = Number(x.toExponential(1).split("e")[1]);
		if (e < -4 || e >= 2) {
			var p = x.toExponential(1).split("e");
			var m = p[0].replace(/\.?0+$/, ""), ex = Number(p[1]);
			return m + "e" + (ex < 0 ? "-" : "+") + (Math.abs(ex) < 10 ? "0" : "") + Math.abs(ex);
		}
		var s = x.toPrecision(2);
		if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
		return s;
	}
	function percentage(value, total) {
		var ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
		if (ratio >= 99.95 && ratio <= 100.05) return "  100%";
		if (ratio >= 1) return pad(fixed2(ratio), 5) + "%";
		return pad(g2(ratio), 5) + "%";
	}
	function outputUnit(rows, total, sampleUnit) {
		if (!rows.length) return "minimum";
		var min = 0;
		for (var i = 0; i < rows.length; i++) {
			var m = Math.abs(rows[i].flat);
			if (m === 0) m = Math.abs(rows[i].cum);
			if (m > 0 && (min === 0 || m < min)) min = m;
		}
		if (min === 0) min = total;
		var minU = scale(min, sampleUnit, "minimum")[1], maxU = scale(total, sampleUnit, "minimum")[1];
		var unit = minU;
		if (minU !== maxU && min * 100 < total) unit = scale(min * 100, sampleUnit, "minimum")[1];
		return unit || sampleUnit;
	}

	/* ---- state ---- */
	var VIEWS = ["flame", "sandwich", "graph", "top", "peek", "source"];
	var VIEW_NAMES = {flame: "Flame graph", sandwich: "Sandwich", graph: "Call graph", top: "Top",
		peek: "Peek", source: "Source"};
	var state = {view: "flame", type: meta.defaultType, fn: -1, q: "", icicle: false,
		focus: "", ignore: "", hide: "", show: ""};
	var nameIndex = null;
	function fnByName(n) {
		if (!nameIndex) {
			nameIndex = new Map();
			for (var i = 0; i < NN; i++) nameIndex.set(names[i], i);
		}
		return nameIndex.has(n) ? nameIndex.get(n) : -1;
	}

	/* ---- refine: pprof's focus / ignore / hide / show over the stacks ---- */
	function compile(s) {
		if (!s) return null;
		try { return new RegExp(s); } catch (e) { return undefined; }
	}
	/* pprof matches a frame by function name, file name or object file */
	function matcher(re) {
		if (!re) return null;
		var m = new Int8Array(NN);
		for (var i = 0; i < NN; i++)
			m[i] = re.test(names[i]) || re.test(nodes.files[nodes.file[i]]) ||
				re.test(nodes.objs[nodes.obj[i]]) ? 1 : 0;
		return m;
	}
	var refined = {key: null, tree: null};
	function refineKey() { return [state.focus, state.ignore, state.hide, state.show].join("\u0000"); }
	/* The refined call tree, built as the whole tree is decoded: each
	 * stack filtered (focus/ignore keep or drop it, hide/show remove
	 * frames), the filtered stacks sorted (hide/show can reorder them: a
	 * stable radix sort by function id, deepest frame first), then
	 * inserted sharing the prefix they have with the previous one. The
	 * nodes come out in preorder with siblings in name order, in typed
	 * arrays sized once, with no Map and no object per node, so
	 * stacksStats, sandwichFromStacks, matchedFull and subLayout work on
	 * it as on the whole tree, and the flame graph draws it cut
	 * (cutLayout). A focus on the heaviest function of the 1,000,000-stack
	 * bench profile keeps most of its 53 million nodes: 9 bytes a node. */
	function effectiveTree() {
		var key = refineKey();
		if (refined.key === key) return refined.tree;
		var res = {focus: compile(state.focus), ignore: compile(state.ignore),
			hide: compile(state.hide), show: compile(state.show)};
		var bad = false;
		for (var k in res) if (res[k] === undefined) bad = true;
		var CT = ct();
		if (bad || (!res.focus && !res.ignore && !res.hide && !res.show)) {
			refined = {key: key, tree: CT};
			return CT;
		}
		refined = {key: null, tree: null}; /* the old one freed first */
		var t0 = performance.now();
		var t = refineTree(CT, matcher(res.focus), matcher(res.ignore), matcher(res.hide), matcher(res.show));
		TIMES.refine = performance.now() - t0;
		refined = {key: key, tree: t};
		return t;
	}
	function refineTree(CT, mf, mi, mh, ms) {
		var K = CT.leaf.length, cparent = CT.parent, cfn = CT.fn, cinl = CT.inl;
		/* 1. the kept stacks' filtered frames, root first, one after
		 * another: counted first, so the buffers are sized once (on the
		 * 1,000,000-stack profile: tens of millions of frames) */
		var path = new Int32Array(65538), L = 0, maxLen = 0, J = 0;
		function walk(k) { /* the stack's frames leaf first in path: their count, or -1 when dropped */
			var np = 0, focused = !mf, ignored = false;
			for (var a = CT.leaf[k]; a > 0; a = cparent[a]) {
				var f = cfn[a];
				if (mf && mf[f]) focused = true;
				if (mi && mi[f]) ignored = true;
				path[np++] = a;
			}
			return !focused || ignored ? -1 : np;
		}
		for (var k = 0; k < K; k++) {
			var np = walk(k), len = 0;
			if (np < 0) continue;
			for (var q = 0; q < np; q++) { var fq = cfn[path[q]]; if (!((mh && mh[fq]) || (ms && !ms[fq]))) len++; }
			if (len === 0 && (mh || ms)) continue; /* nothing left: dropped */
			L += len;
			J++;
			if (len > maxLen) maxLen = len;
		}
		var fb = new FnArray(L), ib = new Uint8Array(L), off = new Int32Array(J + 1), src = new Int32Array(J);
		L = 0; J = 0;
		for (k = 0; k < K; k++) {
			np = walk(k);
			if (np < 0) continue;
			/* a frame is inlined when a frame of its location (a run of
			 * inlined frames after one that is not) is kept before it:
			 * hiding the line it was inlined into makes it the location's
			 * outermost line, not inlined (pprof's graph) */
			var start = L, locKept = false;
			for (q = np - 1; q >= 0; q--) {
				var c = path[q], fc = cfn[c];
				if (!cinl[c]) locKept = false;
				if ((mh && mh[fc]) || (ms && !ms[fc])) continue;
				ib[L] = locKept ? 1 : 0;
				fb[L++] = fc;
				locKept = true;
			}
			if (L === start && (mh || ms)) continue;
			src[J++] = k;
			off[J] = L;
		}
		/* 2. their order: the whole tree's when no frame was removed */
		var order = new Int32Array(J), j;
		if (!mh && !ms) for (j = 0; j < J; j++) order[j] = j;
		else {
			/* LSD radix by the frame at depth d, d from the deepest up:
			 * a stack shorter than d + 1 would sort first there, in the
			 * order it had, so it joins only when d reaches its last frame
			 * (then before the stacks already sorted, which are longer):
			 * the work is the frames' count, not stacks × the deepest */
			var byLen = new Int32Array(J), lenStart = new Int32Array(maxLen + 2);
			for (j = 0; j < J; j++) lenStart[off[j + 1] - off[j] + 1]++;
			for (var l = 1; l <= maxLen + 1; l++) lenStart[l] += lenStart[l - 1];
			var fill = lenStart.slice();
			for (j = 0; j < J; j++) byLen[fill[off[j + 1] - off[j]]++] = j;
			var tmp = new Int32Array(J), cnt = new Int32Array(NN + 1), na = 0;
			for (var d = maxLen - 1; d >= 0; d--) {
				/* the stacks of length d + 1 (in their order), then the
				 * longer ones as sorted so far */
				var lo = lenStart[d + 1], hi = lenStart[d + 2], nj = hi - lo;
				for (j = na - 1; j >= 0; j--) order[j + nj] = order[j];
				for (j = 0; j < nj; j++) order[j] = byLen[lo + j];
				na += nj;
				cnt.fill(0);
				for (j = 0; j < na; j++) cnt[fb[off[order[j]] + d] + 1]++;
				for (var b = 1; b <= NN; b++) cnt[b] += cnt[b - 1];
				for (j = 0; j < na; j++) { var oj = order[j]; tmp[cnt[fb[off[oj] + d]]++] = oj; }
				var sw = order; order = tmp; tmp = sw;
			}
			tmp = cnt = byLen = null;
		}
		/* 3. the tree: each stack shares a prefix with the one before */
		var nodeCap = Math.min(L, CT.n - 1) + 1;
		var parent = new Int32Array(nodeCap), fn = new FnArray(nodeCap);
		var inl = new Uint8Array(nodeCap), leaf = new Int32Array(J), val = new Float64Array(J * NT);
		var base = DIFF ? new Float64Array(J * NT) : null;
		parent[0] = -1; fn[0] = -1;
		var n = 1, m = 0, at = new Int32Array(maxLen + 1), prevOff = 0, prevLen = -1;
		for (var r = 0; r < J; r++) {
			var sj = order[r], so = off[sj], len = off[sj + 1] - so, sh = 0;
			var lim = Math.min(len, prevLen);
			while (sh < lim && fb[so + sh] === fb[prevOff + sh]) sh++;
			for (var e = 0; e < sh; e++) if (!ib[so + e]) inl[at[e + 1]] = 0;
			for (e = sh; e < len; e++) {
				parent[n] = at[e];
				fn[n] = fb[so + e];
				inl[n] = ib[so + e];
				at[e + 1] = n++;
			}
			var ck = src[sj];
			/* a stack equal to the one before after hide/show: one stack */
			if (sh === len && len === prevLen) m--;
			else {
				leaf[m] = at[len];
				for (var z = 0; z < NT; z++) { val[m * NT + z] = 0; if (DIFF) base[m * NT + z] = 0; }
			}
			for (z = 0; z < NT; z++) {
				val[m * NT + z] += CT.val[ck * NT + z];
				if (DIFF) base[m * NT + z] += CT.base[ck * NT + z];
			}
			m++;
			prevOff = so; prevLen = len;
		}
		fb = ib = off = order = null; /* the frames can go before the copies */
		if (n < nodeCap) { parent = parent.slice(0, n); fn = fn.slice(0, n); inl = inl.slice(0, n); }
		if (m < J) { leaf = leaf.slice(0, m); val = val.slice(0, m * NT); if (DIFF) base = base.slice(0, m * NT); }
		return {n: n, parent: parent, fn: fn, inl: inl, leaf: leaf, val: val, base: base, cache: {}};
	}
	/* renumbers a tree (parents before children) into preorder, children
	 * in function id order (= name order) */
	function preorder(t) {
		var n = t.n, first = new Int32Array(n).fill(-1), next = new Int32Array(n).fill(-1);
		for (var i = n - 1; i > 0; i--) { next[i] = first[t.parent[i]]; first[t.parent[i]] = i; }
		var order = new Int32Array(n), stack = [0], k = 0, kidsList = [];
		function byFn(x, y) { return t.fn[x] - t.fn[y]; }
		while (stack.length) {
			var v = stack.pop();
			order[k++] = v;
			kidsList.length = 0;
			for (var c = first[v]; c >= 0; c = next[c]) kidsList.push(c);
			if (kidsList.length > 1) kidsList.sort(byFn);
			for (var j = kidsList.length - 1; j >= 0; j--) stack.push(kidsList[j]);
		}
		var newId = new Int32Array(n);
		for (var q = 0; q < n; q++) newId[order[q]] = q;
		var r = {n: n, parent: new Int32Array(n), fn: new Int32Array(n), inl: new Uint8Array(n),
			leaf: new Int32Array(t.leaf.length), val: t.val, base: t.base, cache: {}};
		for (var m = 0; m < n; m++) {
			var o = order[m];
			r.parent[m] = o === 0 ? -1 : newId[t.parent[o]];
			r.fn[m] = t.fn[o];
			r.inl[m] = t.inl[o];
		}
		for (var l = 0; l < t.leaf.length; l++) r.leaf[l] = newId[t.leaf[l]];
		return r;
	}

	/* ---- per (tree, type): flat, cum and edges as pprof's graph counts them ---- */
	var statsCache = {key: null, stats: null};
	function stats() {
		var key = refineKey() + "\u0001" + state.type;
		if (statsCache.key === key) return statsCache.stats;
		var t = effectiveTree(), ty = state.type;
		statsCache = {key: key, stats: stacksStats(t, ty)};
		return statsCache.stats;
	}

	/* The same from the stacks of the whole tree, each walked from its
	 * leaf up: no array per tree node (a 1,000,000-stack profile's tree
	 * has 53 million). A function's cum and an edge's weight count a stack
	 * once however often it recurs there (pprof's graph). */
	function stacksStats(t, ty) {
		var flat = new Float64Array(NN), cum = new Float64Array(NN), seen = new Int32Array(NN).fill(-1);
		var edges = new Map(), K = t.leaf.length, parent = t.parent, fnv = t.fn, inl = t.inl;
		for (var k = 0; k < K; k++) {
			var v = t.val[k * NT + ty];
			if (v === 0) continue;
			var leaf = t.leaf[k];
			if (leaf > 0) flat[fnv[leaf]] += v;
			for (var a = leaf; a > 0; a = parent[a]) {
				var f = fnv[a], pa = parent[a];
				if (seen[f] !== k) { seen[f] = k; cum[f] += v; }
				if (pa > 0 && fnv[pa] !== f) {
					var key = fnv[pa] * NN + f, e = edges.get(key);
					if (!e) { e = {src: fnv[pa], dst: f, w: 0, inl: true, stack: -1}; edges.set(key, e); }
					if (e.stack !== k) { e.stack = k; e.w += v; }
					if (!inl[a]) e.inl = false;
				}
			}
		}
		var flatSum = 0;
		for (var q = 0; q < NN; q++) flatSum += flat[q];
		return {tree: t, flat: flat, cum: cum, edges: edges, flatSum: flatSum};
	}

	/* ---- flame layouts ---- */
	/* a small merged tree (the sandwich's): children merged by function */
	function Layout() {
		this.n = 1; this.fn = [-1]; this.parent = [-1]; this.self = [0]; this.base = [0];
		this.inl = [1]; this.kids = new Map();
	}
	Layout.prototype.child = function (p, fn, inl) {
		var key = p * (NN + 1) + fn, c = this.kids.get(key);
		if (c === undefined) {
			c = this.n++;
			this.kids.set(key, c);
			this.fn.push(fn); this.parent.push(p); this.self.push(0); this.base.push(0); this.inl.push(inl);
		} else if (!inl) {
			this.inl[c] = 0;
		}
		return c;
	};
	Layout.prototype.finish = function () {
		var t = preorder({n: this.n, parent: Int32Array.from(this.parent), fn: Int32Array.from(this.fn),
			inl: Uint8Array.from(this.inl), leaf: new Int32Array(0), val: null, base: null});
		/* carry the self values over through the renumbering (by path) */
		var order = new Int32Array(this.n), pos = new Int32Array(this.n), st = [0], k = 0;
		var first = new Int32Array(this.n).fill(-1), next = new Int32Array(this.n).fill(-1), fnv = this.fn, kl = [];
		for (var i = this.n - 1; i > 0; i--) { next[i] = first[this.parent[i]]; first[this.parent[i]] = i; }
		while (st.length) {
			var v = st.pop();
			order[k++] = v;
			kl.length = 0;
			for (var c = first[v]; c >= 0; c = next[c]) kl.push(c);
			if (kl.length > 1) kl.sort(function (x, y) { return fnv[x] - fnv[y]; });
			for (var j = kl.length - 1; j >= 0; j--) st.push(kl[j]);
		}
		for (var q = 0; q < this.n; q++) pos[q] = order[q];
		var self = new Float64Array(this.n), base = new Float64Array(this.n);
		for (var m = 0; m < this.n; m++) { self[m] = this.self[pos[m]]; base[m] = this.base[pos[m]]; }
		return layoutOf(t, self, base);
	};
	/* the flame layout of a preorder tree with children in name order:
	 * widths are subtree sums (in a diff "after" = value + base), and the
	 * colours of a diff follow each frame's self change */
	function layoutOf(t, after, before) {
		var n = t.n, w = new Float64Array(n), bas = before ? new Float64Array(n) : null;
		var depth = new Int32Array(n), x = new Float64Array(n), end = new Int32Array(n);
		var delta = before ? new Float64Array(n) : null, maxDelta = 0, maxDepth = 0;
		for (var i = 0; i < n; i++) {
			w[i] = after[i];
			end[i] = i + 1;
			if (before) { bas[i] = before[i]; delta[i] = after[i] - before[i]; if (Math.abs(delta[i]) > maxDelta) maxDelta = Math.abs(delta[i]); }
		}
		for (var j = n - 1; j > 0; j--) {
			var p = t.parent[j];
			w[p] += w[j];
			if (before) bas[p] += bas[j];
			if (end[j] > end[p]) end[p] = end[j];
		}
		var cursor = new Float64Array(n);
		for (var v = 1; v < n; v++) {
			var pa = t.parent[v];
			depth[v] = depth[pa] + 1;
			if (w[v] > 0 && depth[v] > maxDepth) maxDepth = depth[v];
			x[v] = x[pa] + cursor[pa];
			cursor[pa] += w[v] > 0 ? w[v] : 0;
		}
		return {n: n, fn: t.fn, parent: t.parent, inl: t.inl, w: w, x: x, depth: depth, end: end,
			base: bas, delta: delta, maxDelta: maxDelta, maxDepth: maxDepth, total: w[0]};
	}
	var flameCache = {key: null, F: null};
	/* a zoom past the display tree's detail: {key, type, F}, F the layout
	 * of that frame's subtree in the whole tree and its ancestors (until a
	 * zoom out of it, a reset, a type switch or a refine) */
	var subZoom = null;
	/* the stacks under nodes [lo, hi) of the whole tree: leaf[k] grows
	 * with k, so they are the k in [first(lo), first(hi)) */
	function leafIndex(t, v) {
		var a = 0, b = t.leaf.length;
		while (a < b) { var m = (a + b) >> 1; if (t.leaf[m] < v) a = m + 1; else b = m; }
		return a;
	}
	/* per type: prefix sums of the stacks' "after" (value + base) and base */
	function stackSums(t, ty) {
		var key = "p" + ty;
		if (t.cache[key]) return t.cache[key];
		var K = t.leaf.length, after = new Float64Array(K + 1), base = DIFF ? new Float64Array(K + 1) : null;
		for (var k = 0; k < K; k++) {
			var b = DIFF ? t.base[k * NT + ty] : 0;
			after[k + 1] = after[k] + t.val[k * NT + ty] + b;
			if (DIFF) base[k + 1] = base[k] + b;
		}
		t.cache[key] = {after: after, base: base};
		return t.cache[key];
	}
	/* The flame layout of one frame of the whole tree (named by its path
	 * of names), its subtree and its ancestors: what a zoom past the
	 * display tree draws, without laying out the whole tree (53 million
	 * nodes from 1,000,000 stacks). The ancestors keep their whole width. */
	function subLayout(key) {
		var t = effectiveTree(), want = key.split(";"), v = 0, path = [0], ty = state.type, endV = t.n;
		for (var d = 0; d < want.length; d++) {
			var c = v + 1, found = -1;
			while (c < endV) {
				var endC = endOf(t, c);
				if (names[t.fn[c]] === want[d]) { found = c; endV = endC; break; }
				c = endC;
			}
			if (found < 0) return null;
			v = found;
			path.push(v);
		}
		var T = v, m = path.length - 1, size = endV - T, n = m + size;
		var parent = new Int32Array(n), fn = new Int32Array(n), inl = new Uint8Array(n);
		for (var i = 0; i < m; i++) { parent[i] = i - 1; fn[i] = t.fn[path[i]]; inl[i] = t.inl[path[i]]; }
		for (var j = 0; j < size; j++) {
			var node = T + j;
			fn[m + j] = t.fn[node];
			inl[m + j] = t.inl[node];
			parent[m + j] = j === 0 ? m - 1 : t.parent[node] - T + m;
		}
		var after = new Float64Array(n), before = DIFF ? new Float64Array(n) : null;
		for (var k = leafIndex(t, T), k1 = leafIndex(t, endV); k < k1; k++) {
			var b = DIFF ? t.base[k * NT + ty] : 0, at = t.leaf[k] - T + m;
			after[at] += t.val[k * NT + ty] + b;
			if (DIFF) before[at] += b;
		}
		var F = layoutOf({n: n, parent: parent, fn: fn, inl: inl}, after, before), S = stackSums(t, ty);
		for (var a = 0, endA = t.n; a < m; a++) {
			if (a > 0) endA = endOf(t, path[a]);
			var lo = leafIndex(t, path[a]), hi = leafIndex(t, endA);
			F.w[a] = S.after[hi] - S.after[lo];
			if (DIFF) F.base[a] = S.base[hi] - S.base[lo];
		}
		F.total = F.w[0];
		F.sub = true;
		F.subStart = m;
		return {F: F, zoom: m};
	}
	function deepZoom(key) {
		var sub = subLayout(key);
		if (!sub) return 0;
		subZoom = {key: key, type: state.type, refine: refineKey(), F: sub.F};
		return sub.zoom;
	}
	function resetZoom() {
		flame.zoom = 0;
		if (subZoom) leaveSubZoom();
	}
	function leaveSubZoom() {
		subZoom = null;
		flame.F = mainLayout();
	}
	function displayLayout(ty) {
		var n = DISP.n, self = new Float64Array(n), b = DIFF ? new Float64Array(n) : null, F;
		for (var i = 0; i < n; i++) self[i] = DISP.own[i * NT + ty];
		if (DIFF) {
			for (var j = 0; j < n; j++) { b[j] = DISP.ownB[j * NT + ty]; self[j] += b[j]; }
			F = layoutOf(DISP, self, b);
		} else {
			F = layoutOf(DISP, self, null);
		}
		F.pruned = DISP.pruned;
		F.limit = DISP.theta * DISP.totmag[ty];
		return F;
	}
	function mainLayout() {
		var plain = !state.focus && !state.ignore && !state.hide && !state.show;
		if (subZoom && subZoom.type === state.type && subZoom.refine === refineKey()) return subZoom.F;
		var key = refineKey() + "\u0001" + state.type + (plain ? "\u0001d" : "");
		if (flameCache.key === key) return flameCache.F;
		flameCache = {key: null, F: null};
		if (plain) {
			flameCache = {key: key, F: displayLayout(state.type)};
			return flameCache.F;
		}
		var t = effectiveTree(), t0 = performance.now(), F = cutLayout(t, state.type);
		TIMES.refineLayout = performance.now() - t0;
		flameCache = {key: key, F: F};
		return F;
	}
	/* The flame layout of a refined tree: cut as the display tree is
	 * (src/html/html.c, DISPLAY_MAX) to its widest nodes, at most 100,000,
	 * when it has more; each kept node carries what its subtree holds
	 * beyond its kept children, so the widths are exact. Nodes are ranked
	 * by their subtree's magnitude for this type, summed in a Float32Array
	 * (4 bytes a node, dropped after; rounding is monotone, so a parent
	 * never ranks below its child), then cut at a power of 2^(1/16) of the
	 * total so that at most DISPLAY_MAX stay; the widths are then summed
	 * exactly from the stacks. A zoom into a frame narrower than the cut
	 * allows lays out that frame's subtree (subLayout). */
	var DISPLAY_MAX = 100000;
	function cutLayout(t, ty) {
		var n = t.n;
		if (n - 1 <= DISPLAY_MAX) return treeLayout(t, ty);
		var K = t.leaf.length, parent = t.parent, w = new Float32Array(n);
		for (var k = 0; k < K; k++) w[t.leaf[k]] += Math.abs(t.val[k * NT + ty] + (DIFF ? t.base[k * NT + ty] : 0));
		for (var j = n - 1; j > 0; j--) w[parent[j]] += w[j];
		var total = w[0], BINS = 1024, hist = new Int32Array(BINS + 1), LN = 16 / Math.LN2;
		function bin(x) { return x <= 0 ? BINS : Math.min(BINS, Math.floor(Math.log(total / x) * LN)); }
		if (!(total > 0)) return treeLayout(t, ty);
		for (var v = 1; v < n; v++) hist[bin(w[v])]++;
		var B = -1, cum = 0;
		while (B + 1 < BINS && cum + hist[B + 1] <= DISPLAY_MAX) cum += hist[++B];
		var dp = new Int32Array(cum + 1), df = new Int32Array(cum + 1), di = new Uint8Array(cum + 1), m = 1;
		dp[0] = -1; df[0] = -1; di[0] = t.inl[0];
		/* w[v] becomes v's display id, or -1 (ids are below 2^24: exact) */
		w[0] = 0;
		for (v = 1; v < n; v++) {
			var pv = w[parent[v]];
			if (pv >= 0 && bin(w[v]) <= B) {
				dp[m] = pv; df[m] = t.fn[v]; di[m] = t.inl[v];
				w[v] = m++;
			} else {
				w[v] = -1;
			}
		}
		var own = new Float64Array(m), ownB = DIFF ? new Float64Array(m) : null;
		for (k = 0; k < K; k++) {
			var a = t.leaf[k];
			while (w[a] < 0) a = parent[a];
			var b = DIFF ? t.base[k * NT + ty] : 0;
			own[w[a]] += t.val[k * NT + ty] + b;
			if (DIFF) ownB[w[a]] += b;
		}
		w = null;
		var F = layoutOf({n: m, parent: dp, fn: df, inl: di}, own, ownB);
		F.pruned = m < n;
		F.limit = total * Math.pow(2, -(B + 1) / 16);
		F.treeNodes = n;
		return F;
	}
	function treeLayout(t, ty) {
		var self = selfOf(t, ty);
		if (!DIFF) return layoutOf(t, self, null);
		var b = selfOf(t, ty, true), after = new Float64Array(t.n);
		for (var i = 0; i < t.n; i++) after[i] = self[i] + b[i];
		return layoutOf(t, after, b);
	}

	var colorStrings = [];
	function colorOf(F, i) {
		if (DIFF) {
			var d = F.delta[i], max = F.maxDelta;
			if (meta.negate) d = -d;
			if (d === 0 || max <= 0) return "#ffffff";
			if (d > 0) {
				var g = Math.floor(210 * (max - d) / max);
				return "rgb(255," + g + "," + g + ")";
			}
			var bl = Math.floor(210 * (max + d) / max);
			return "rgb(" + bl + "," + bl + ",255)";
		}
		var pal = meta.types[state.type].palette, cache = colorStrings[pal];
		if (!cache) {
			var tab = colorTables[pal];
			cache = colorStrings[pal] = [];
			for (var k = 0; k <= NN; k++) cache.push("#" + tab.substr(k * 6, 6));
		}
		return cache[F.fn[i] + 1];
	}
	function frameName(F, i) { return F.fn[i] < 0 ? "all" : names[F.fn[i]]; }
	function frameInfo(F, i, total) {
		var ty = state.type, v = F.w[i], fu = flameUnit(ty);
		var pct = F.fn[i] < 0 && F.parent[i] < 0 ? "100%" : fixed2(total ? 100 * v / total : 0) + "%";
		var s = flameValue(ty, v) + ", " + pct;
		if (!DIFF) {
			if (fu.kind !== "count") s += "; " + thousands(v) + " " + fu.count;
			return s;
		}
		var ch = v - F.base[i];
		return s + "; before " + flameValue(ty, F.base[i]) + ", change " + (ch > 0 ? "+" : "") + flameValue(ty, ch);
	}

	/* ---- a flame graph on a canvas: culling, zoom, search, tooltips ---- */
	var FH = 16;
	function FlameView(container, opts) {
		this.opts = opts || {};
		this.wrap = el("div", "hf-canvas-wrap");
		this.canvas = el("canvas");
		this.wrap.appendChild(this.canvas);
		container.appendChild(this.wrap);
		this.details = el("div", "hf-details", " ");
		container.appendChild(this.details);
		this.F = null;
		this.zoom = 0;
		this.re = null;
		var self = this;
		this.canvas.addEventListener("mousemove", function (e) { self.hover(e); });
		this.canvas.addEventListener("mouseleave", function () { tip.style.display = "none"; self.details.textContent = " "; });
		this.canvas.addEventListener("click", function (e) { self.click(e); });
	}
	FlameView.prototype.set = function (F, icicle) {
		if (this.F !== F) this.zoom = 0;
		this.F = F;
		this.icicle = icicle;
		this.draw();
	};
	/* after a scroll: draw again when the window left the rows drawn */
	FlameView.prototype.onScroll = function () {
		var b = this.band;
		if (!this.F || !b || !this.canvas.offsetParent) return;
		var box = this.canvas.getBoundingClientRect(), vh = window.innerHeight || 900;
		if (Math.max(0, -box.top) < b[0] || Math.min(b[2], vh - box.top) > b[1]) this.draw();
	};
	FlameView.prototype.rowY = function (d) {
		var rows = this.F.maxDepth + 1;
		return this.icicle ? d * FH : (rows - 1 - d) * FH;
	};
	FlameView.prototype.draw = function () {
		var F = this.F, c = this.canvas;
		if (!F) return;
		var t0 = performance.now();
		var W = this.wrap.clientWidth || 1200, rows = F.maxDepth + 1, H = rows * FH;
		var dpr = window.devicePixelRatio || 1;
		if (c.width !== Math.round(W * dpr) || c.height !== Math.round(H * dpr)) {
			c.width = Math.round(W * dpr);
			c.height = Math.round(H * dpr);
			c.style.height = H + "px";
		}
		var g = c.getContext("2d");
		g.setTransform(dpr, 0, 0, dpr, 0, 0);
		var grad = g.createLinearGradient(0, 0, 0, H);
		grad.addColorStop(0.05, meta.bg[0]);
		grad.addColorStop(0.95, meta.bg[1]);
		g.fillStyle = grad;
		g.font = "12px Verdana, \"DejaVu Sans\", sans-serif";
		g.textBaseline = "middle";
		var z = this.zoom, x0 = F.x[z], span = F.w[z] || 1, sc = W / span;
		this.W = W;
		this.scale = sc;
		var charW = this.charW || (this.charW = g.measureText("abcdefghijklmnopqrstuvwxyz").width / 26 || 7);
		var drawn = 0, sel = state.fn, hit = this.hits(), matchColor = meta.search;
		/* vertical culling: only the rows in the window (and half a screen
		 * around it) are drawn; a scroll past them draws again (onScroll) */
		var box = c.getBoundingClientRect(), vh = window.innerHeight || 900;
		var top = box.height ? Math.max(0, -box.top - vh / 2) : 0, bottom = box.height ? Math.min(H, 1.5 * vh - box.top) : H;
		this.band = [top, bottom, H];
		/* the background only where frames are drawn (a 3,000-pixel-high
		 * canvas is mostly out of the window); the rest cleared */
		g.clearRect(0, 0, W, H);
		g.fillRect(0, top, W, bottom - top);
		/* ancestors of the zoomed frame span the whole width */
		for (var a = F.parent[z]; a >= 0; a = F.parent[a]) {
			this.box(g, F, a, 0, W, colorOf(F, a), 0.5, charW);
			drawn++;
		}
		/* the frames in view: rectangles batched by colour (one fillStyle
		 * each), then the labels under one fillStyle, then the outlines */
		var end = F.end[z], icicle = this.icicle, byColor = new Map(), labels = [], outlines = [];
		/* the frames drawn, for a search's repaint (recolor) */
		var vis = this.vis && this.vis.length >= 1024 ? this.vis : new Int32Array(1024), nvis = 0;
		for (var i = z; i < end; i++) {
			var w = F.w[i] * sc;
			/* culling: a frame under a pixel (and all it calls) is not drawn */
			if (w < 1) { i = F.end[i] - 1; continue; }
			var y = this.rowY(F.depth[i]);
			if (y + FH < top || y > bottom) {
				/* what it calls is further out of the window */
				if (icicle ? y > bottom : y + FH < top) i = F.end[i] - 1;
				continue;
			}
			var x = (F.x[i] - x0) * sc;
			var fill = hit && F.fn[i] >= 0 && hit[F.fn[i]] ? matchColor : colorOf(F, i);
			var list = byColor.get(fill);
			if (!list) byColor.set(fill, list = []);
			list.push(x, y, w);
			if (w > 3 * charW) labels.push(i, x, y, w);
			if (sel >= 0 && F.fn[i] === sel) outlines.push(x, y, w);
			if (nvis === vis.length) { var v2 = new Int32Array(2 * nvis); v2.set(vis); vis = v2; }
			vis[nvis++] = i;
			drawn++;
		}
		this.vis = vis;
		this.painted = {F: F, zoom: z, icicle: icicle, W: W, H: H, sel: sel, hit: hit, n: nvis, x0: x0, sc: sc, charW: charW};
		this.paintFrames(g, F, byColor, labels, outlines, charW);
		this.drawn = drawn;
		this.lastMs = performance.now() - t0;
	};
	/*
	 * A search changed only the colours: the frames drawn whose match
	 * changed are painted again (their rectangle, label and outline, as
	 * draw paints them: frames do not overlap), not the whole graph. On
	 * the 200,000-stack bench profile scrolled to its root that is a few
	 * hundred frames of some 14,000. Anything else changed: draw.
	 */
	FlameView.prototype.recolor = function () {
		var F = this.F, p = this.painted, c = this.canvas, b = this.band;
		if (!F || !p || p.F !== F || p.zoom !== this.zoom || p.icicle !== this.icicle || p.sel !== state.fn ||
			p.W !== (this.wrap.clientWidth || 1200) || !c.offsetParent) return this.draw();
		var box = c.getBoundingClientRect(), vh = window.innerHeight || 900;
		if (b && box.height && (Math.max(0, -box.top) < b[0] || Math.min(b[2], vh - box.top) > b[1])) return this.draw();
		var t0 = performance.now(), hit = this.hits(), old = p.hit, g = c.getContext("2d"), vis = this.vis;
		var byColor = new Map(), labels = [], outlines = [], sel = p.sel, charW = p.charW;
		for (var k = 0; k < p.n; k++) {
			var i = vis[k], f = F.fn[i];
			var now = !!(hit && f >= 0 && hit[f]);
			if (now === !!(old && f >= 0 && old[f])) continue;
			var fill = now ? meta.search : colorOf(F, i), list = byColor.get(fill);
			if (!list) byColor.set(fill, list = []);
			var x = (F.x[i] - p.x0) * p.sc, y = this.rowY(F.depth[i]), w = F.w[i] * p.sc;
			list.push(x, y, w);
			if (w > 3 * charW) labels.push(i, x, y, w);
			if (sel >= 0 && f === sel) outlines.push(x, y, w);
		}
		this.paintFrames(g, F, byColor, labels, outlines, charW);
		p.hit = hit;
		this.recolored = (this.recolored || 0) + 1;
		this.lastMs = performance.now() - t0;
	};
	/* rectangles batched by colour, then labels, then outlines */
	FlameView.prototype.paintFrames = function (g, F, byColor, labels, outlines, charW) {
		byColor.forEach(function (l, color) {
			g.fillStyle = color;
			/* on whole pixels: no anti-aliased edges to blend */
			for (var k = 0; k < l.length; k += 3) {
				var x1 = Math.round(l[k]), x2 = Math.round(l[k] + l[k + 2]) - 1;
				g.fillRect(x1, l[k + 1], x2 > x1 ? x2 - x1 : 1, FH - 1);
			}
		});
		g.fillStyle = meta.text;
		for (var q = 0; q < labels.length; q += 4) {
			var name = frameName(F, labels[q]), fit = Math.floor((labels[q + 3] - 6) / charW);
			if (fit < name.length) name = fit > 2 ? name.slice(0, fit - 2) + ".." : "";
			if (name) g.fillText(name, labels[q + 1] + 3, labels[q + 2] + FH / 2);
		}
		g.strokeStyle = "#0050ff";
		g.lineWidth = 2;
		for (var o = 0; o < outlines.length; o += 3) g.strokeRect(outlines[o] + 1, outlines[o + 1] + 1, Math.max(outlines[o + 2] - 2, 1), FH - 3);
	};
	FlameView.prototype.box = function (g, F, i, x, w, fill, alpha, charW) {
		var y = this.rowY(F.depth[i]);
		g.globalAlpha = alpha;
		g.fillStyle = fill;
		g.fillRect(x, y, Math.max(w - 0.5, 0.5), FH - 1);
		g.globalAlpha = 1;
		if (w > 3 * charW) {
			var name = frameName(F, i), fit = Math.floor((w - 6) / charW);
			if (fit < name.length) name = fit > 2 ? name.slice(0, fit - 2) + ".." : "";
			if (name) {
				g.fillStyle = meta.text;
				g.fillText(name, x + 3, y + FH / 2);
			}
		}
	};
	FlameView.prototype.at = function (e) {
		var F = this.F;
		if (!F) return -1;
		var r = this.canvas.getBoundingClientRect();
		var mx = e.clientX - r.left, my = e.clientY - r.top;
		var rows = F.maxDepth + 1, row = Math.floor(my / FH);
		var d = this.icicle ? row : rows - 1 - row;
		if (d < 0) return -1;
		for (var a = F.parent[this.zoom], anc = []; a >= 0; a = F.parent[a]) anc.push(a);
		for (var k = 0; k < anc.length; k++) if (F.depth[anc[k]] === d) return anc[k];
		var v = F.x[this.zoom] + mx / this.scale, i = this.zoom;
		if (F.depth[i] === d) return i;
		/* descend: each child list is contiguous in preorder */
		while (F.depth[i] < d) {
			var c = i + 1, found = -1;
			while (c < F.end[i]) {
				if (v >= F.x[c] && v < F.x[c] + F.w[c]) { found = c; break; }
				c = F.end[c];
			}
			if (found < 0) return -1;
			i = found;
		}
		return i;
	};
	FlameView.prototype.hover = function (e) {
		var i = this.at(e);
		if (i < 0) { tip.style.display = "none"; this.details.textContent = " "; return; }
		var F = this.F, text = frameName(F, i) + " (" + frameInfo(F, i, F.total) + ")";
		tip.textContent = text;
		tip.style.display = "block";
		tip.style.left = Math.min(e.clientX + 12, window.innerWidth - 300) + "px";
		tip.style.top = (e.clientY + 14) + "px";
		this.details.textContent = "Function: " + text;
	};
	/* zooming into a frame so narrow that frames the display tree left
	 * out would be a pixel wide: the whole tree takes over */
	FlameView.prototype.deepen = function (i) {
		var F = this.F;
		if (this !== flame || !bulk.ready || !F.pruned || i <= 0 || F.limit * (this.W || 1200) / Math.abs(F.w[i] || 1) < 1) return i;
		var z = deepZoom(frameZoomKey(F, i));
		if (!z) return i;
		this.F = mainLayout();
		return z;
	};
	FlameView.prototype.click = function (e) {
		var i = this.at(e);
		if (i < 0) return;
		if (this === flame && this.F.sub && i < this.F.subStart) {
			/* an ancestor of a deep zoom: back to the display tree */
			var key = frameZoomKey(this.F, i);
			leaveSubZoom();
			i = key ? findZoom(this.F, key) : 0;
		}
		i = this.deepen(i);
		var F = this.F;
		this.zoom = F.parent[i] < 0 ? 0 : i;
		if (F.fn[i] >= 0) select(F.fn[i], this.opts.noZoomState ? null : "flame");
		else { this.draw(); saveState(); }
	};
	FlameView.prototype.zoomTo = function (i) { this.zoom = this.deepen(i); this.draw(); };
	/* "Matched": matching frames' share, a frame inside a match counted once */
	FlameView.prototype.matched = function () {
		var F = this.F, hit = this.hits();
		if (!F || !hit) return null;
		if (F.pruned || F.sub) return matchedFull(hit);
		var sum = 0;
		for (var i = 1; i < F.n; i++) {
			if (F.w[i] <= 0) { i = F.end[i] - 1; continue; }
			if (hit[F.fn[i]]) { sum += F.w[i]; i = F.end[i] - 1; }
		}
		return F.total > 0 ? 100 * sum / F.total : 0;
	};
	/* "Matched" over the whole call tree (the display tree lacks the
	 * narrow frames), per type and search */
	var matchedCache = {key: null, v: 0};
	function matchedKey() { return state.type + "\u0001" + state.q + "\u0001" + refineKey(); }
	function matchedFull(hit) {
		var key = matchedKey();
		if (matchedCache.key === key) return matchedCache.v;
		/* per stack, from its leaf up: counted once if any frame matches
		 * (no array per tree node) */
		var t = effectiveTree(), ty = state.type, K = t.leaf.length, sum = 0, total = 0;
		for (var k = 0; k < K; k++) {
			var w = t.val[k * NT + ty] + (DIFF ? t.base[k * NT + ty] : 0);
			total += w;
			for (var a = t.leaf[k]; a > 0; a = t.parent[a]) if (hit[t.fn[a]]) { sum += w; break; }
		}
		matchedCache = {key: key, v: total > 0 ? 100 * sum / total : 0};
		return matchedCache.v;
	}
	/* which functions the search matches (tested once per function) */
	FlameView.prototype.hits = function () {
		if (!this.re) return null;
		if (this.hitRe !== this.re) {
			var h = new Uint8Array(NN);
			for (var i = 0; i < NN; i++) h[i] = this.re.test(names[i]) ? 1 : 0;
			this.hitArr = h;
			this.hitRe = this.re;
		}
		return this.hitArr;
	};

	/* ---- the page ---- */
	var app = $("hf-app");
	app.textContent = "";
	var tip = el("div", "hf-tip");
	document.body.appendChild(tip);
	var head = el("div", "hf-head");
	var h1 = el("h1");
	var legend = el("div", "hf-legend");
	head.appendChild(h1);
	head.appendChild(legend);
	app.appendChild(head);
	var bar = el("div", "hf-bar");
	app.appendChild(bar);
	var typeSel = el("select");
	typeSel.id = "hf-type";
	typeSel.title = "Sample type";
	meta.types.forEach(function (t, i) {
		var o = el("option", "", t.type + " (" + t.unit + ")");
		o.value = String(i);
		typeSel.appendChild(o);
	});
	bar.appendChild(typeSel);
	var tabs = el("span", "hf-tabs"), tabBtn = {};
	VIEWS.forEach(function (v) {
		var b = el("button", "", VIEW_NAMES[v]);
		b.type = "button";
		b.setAttribute("data-view", v);
		b.addEventListener("click", function () { setView(v); });
		tabBtn[v] = b;
		tabs.appendChild(b);
	});
	bar.appendChild(tabs);
	function input(ph, id, title) {
		var i = el("input");
		i.type = "text";
		i.placeholder = ph;
		i.id = id;
		i.title = title;
		i.spellcheck = false;
		bar.appendChild(i);
		return i;
	}
	var searchIn = input("search regex", "hf-search", "highlight matching functions (regular expression)");
	var matchedEl = el("span", "hf-matched", "");
	matchedEl.id = "hf-matched";
	bar.appendChild(matchedEl);
	var icBtn = el("button", "", "Icicle");
	icBtn.type = "button";
	icBtn.id = "hf-icicle";
	bar.appendChild(icBtn);
	var resetBtn = el("button", "", "Reset zoom");
	resetBtn.type = "button";
	bar.appendChild(resetBtn);
	var refineIn = {};
	["focus", "ignore", "hide", "show"].forEach(function (k) {
		refineIn[k] = input(k, "hf-" + k, "pprof's -" + k + " (regular expression on function, file or object name)");
	});
	var refineNote = el("span", "hf-note", "");
	bar.appendChild(refineNote);

	var views = {};
	VIEWS.forEach(function (v) {
		var d = el("div", "hf-view");
		d.id = "hf-view-" + v;
		views[v] = d;
		app.appendChild(d);
	});
	var flame = new FlameView(views.flame);
	var sandNote = el("div", "hf-note", "");
	views.sandwich.appendChild(sandNote);
	var sw = el("div", "hf-sandwich");
	views.sandwich.appendChild(sw);
	sw.appendChild(el("h3", "", "Callers (who calls it; counted once per stack)"));
	var callersView = new FlameView(sw, {noZoomState: true});
	sw.appendChild(el("h3", "", "Callees (what it calls)"));
	var calleesView = new FlameView(sw, {noZoomState: true});

	/* ---- header ---- */
	function renderHeader() {
		var ty = meta.types[state.type];
		h1.textContent = meta.title + (meta.base ? "  (" + (meta.diffBase ? "-diff_base " : "-base ") + meta.base + ")" : "");
		var lines = ty.legend.filter(function (l) { return l.charAt(0) !== "\n"; });
		if (!lines.length) lines = ["Type: " + ty.type];
		lines.push("Total " + ty.type + ": " + scaledLabel(ty.total, ty.unit, "auto") +
			(DIFF ? " (a difference: values are after - before)" : ""));
		if (meta.filters.length) lines.push("Command-line filters: " + meta.filters.join(" "));
		var ref = ["focus", "ignore", "hide", "show"].filter(function (k) { return state[k]; })
			.map(function (k) { return k + "=" + state[k]; });
		if (ref.length) lines.push("Refined in the page: " + ref.join(" ") + " (percentages stay of the unfiltered total, as pprof)");
		legend.textContent = lines.join("\n");
	}

	/* ---- top ---- */
	var topSort = {key: "flat", desc: true}, topFilter = "";
	var topWrap = el("div");
	var topFilterIn = el("input");
	topFilterIn.type = "text";
	topFilterIn.placeholder = "filter rows (regex)";
	topFilterIn.id = "hf-top-filter";
	views.top.appendChild(topFilterIn);
	views.top.appendChild(topWrap);
	topFilterIn.addEventListener("input", function () { topFilter = topFilterIn.value; renderTop(); });
	/* pprof's -top rows (nodefraction 0: every function), flat order */
	function topRows() {
		var s = stats(), ty = meta.types[state.type], rows = [];
		var inlIn = new Uint8Array(NN), noinlIn = new Uint8Array(NN);
		s.edges.forEach(function (e) { if (e.inl) inlIn[e.dst] = 1; else noinlIn[e.dst] = 1; });
		for (var f = 0; f < NN; f++) {
			if (s.flat[f] === 0 && s.cum[f] === 0) continue;
			rows.push({fn: f, flat: s.flat[f], cum: s.cum[f],
				name: names[f] + (!inlIn[f] ? "" : noinlIn[f] ? " (partial-inline)" : " (inline)")});
		}
		rows.sort(function (a, b) {
			var fa = Math.abs(a.flat), fb = Math.abs(b.flat);
			if (fa !== fb) return fb - fa;
			var na = names[a.fn], nb = names[b.fn];
			if (na !== nb) return na < nb ? -1 : 1;
			return Math.abs(b.cum) - Math.abs(a.cum);
		});
		var unit = outputUnit(rows, ty.total, ty.unit), sum = 0;
		rows.forEach(function (r) {
			sum += r.flat;
			r.flatS = scaledLabel(r.flat, ty.unit, unit);
			r.cumS = scaledLabel(r.cum, ty.unit, unit);
			r.flatP = percentage(r.flat, ty.total);
			r.sumP = percentage(sum, ty.total);
			r.cumP = percentage(r.cum, ty.total);
		});
		return rows;
	}
	function renderTop() {
		var rows = topRows(), re = null;
		if (topFilter) { try { re = new RegExp(topFilter); topFilterIn.className = ""; } catch (e) { topFilterIn.className = "hf-bad"; } }
		if (re) rows = rows.filter(function (r) { return re.test(r.name); });
		if (topSort.key !== "flat" || !topSort.desc) {
			var k = topSort.key, dir = topSort.desc ? -1 : 1;
			rows = rows.slice().sort(function (a, b) {
				if (k === "name") return dir * (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
				var x = k === "cum" ? a.cum : a.flat, y = k === "cum" ? b.cum : b.flat;
				return dir * (Math.abs(x) - Math.abs(y));
			});
		}
		var tab = el("table", "hf-table");
		tab.id = "hf-top";
		var hr = el("tr");
		[["flat", "flat"], ["flat%", "flat"], ["sum%", null], ["cum", "cum"], ["cum%", "cum"], ["name", "name"]].forEach(function (h) {
			var th = el("th", h[0] === "name" ? "hf-name" : "", h[0]);
			if (h[1]) th.addEventListener("click", function () {
				topSort = {key: h[1], desc: topSort.key === h[1] ? !topSort.desc : h[1] !== "name"};
				renderTop();
			});
			hr.appendChild(th);
		});
		tab.appendChild(hr);
		var limit = Math.min(rows.length, 5000), selRow = null;
		for (var i = 0; i < limit; i++) {
			var r = rows[i], tr = el("tr", "hf-row" + (r.fn === state.fn ? " hf-sel" : ""));
			tr.setAttribute("data-fn", String(r.fn));
			[r.flatS, r.flatP, r.sumP, r.cumS, r.cumP].forEach(function (c) { tr.appendChild(el("td", "", c)); });
			tr.appendChild(el("td", "hf-name", r.name));
			tab.appendChild(tr);
			if (r.fn === state.fn) selRow = tr;
		}
		tab.addEventListener("click", function (e) {
			var tr = e.target.closest("tr[data-fn]");
			if (tr) select(+tr.getAttribute("data-fn"), "top");
		});
		topWrap.textContent = "";
		if (rows.length > limit) topWrap.appendChild(el("div", "hf-note", "showing the first " + limit + " of " + rows.length + " rows; filter to see others"));
		topWrap.appendChild(tab);
		if (selRow && selRow.scrollIntoView) selRow.scrollIntoView({block: "nearest"});
	}

	/* ---- peek: pprof's callers and callees of the selected function ---- */
	function renderPeek() {
		var v = views.peek;
		v.textContent = "";
		var f = state.fn;
		if (f < 0) { v.appendChild(el("div", "hf-empty", "Select a function (click a frame, a row or a graph node).")); return; }
		var s = stats(), ty = meta.types[state.type];
		var ins = [], outs = [];
		s.edges.forEach(function (e) {
			if (e.dst === f) ins.push(e);
			if (e.src === f) outs.push(e);
		});
		ins.sort(function (a, b) { return Math.abs(b.w) - Math.abs(a.w) || (names[a.src] < names[b.src] ? -1 : 1); });
		outs.sort(function (a, b) { return Math.abs(b.w) - Math.abs(a.w) || (names[a.dst] < names[b.dst] ? -1 : 1); });
		var rows = topRows(), me = null;
		for (var i = 0; i < rows.length; i++) if (rows[i].fn === f) me = rows[i];
		var unit = outputUnit(rows, ty.total, ty.unit);
		var tab = el("table", "hf-table");
		tab.id = "hf-peek";
		var hr = el("tr");
		["flat", "flat%", "sum%", "cum", "cum%", "calls", "calls%", "context"].forEach(function (h) {
			hr.appendChild(el("th", h === "context" ? "hf-name" : "", h));
		});
		tab.appendChild(hr);
		function edgeRow(e, other, inl) {
			var tr = el("tr", "hf-row");
			tr.setAttribute("data-fn", String(other));
			for (var k = 0; k < 5; k++) tr.appendChild(el("td", "", ""));
			tr.appendChild(el("td", "", scaledLabel(e.w, ty.unit, unit)));
			tr.appendChild(el("td", "", percentage(e.w, me ? me.cum : 0)));
			tr.appendChild(el("td", "hf-name", "  " + names[other] + (inl ? " (inline)" : "")));
			tab.appendChild(tr);
		}
		ins.forEach(function (e) { edgeRow(e, e.src, e.inl); });
		if (me) {
			var tr = el("tr", "hf-row hf-self");
			tr.setAttribute("data-fn", String(f));
			[me.flatS, me.flatP, me.sumP, me.cumS, me.cumP, "", ""].forEach(function (c) { tr.appendChild(el("td", "", c)); });
			tr.appendChild(el("td", "hf-name", names[f]));
			tab.appendChild(tr);
		}
		outs.forEach(function (e) { edgeRow(e, e.dst, e.inl); });
		tab.addEventListener("click", function (e) {
			var r = e.target.closest("tr[data-fn]");
			if (r) select(+r.getAttribute("data-fn"), "peek");
		});
		v.appendChild(tab);
	}

	/* ---- sandwich: callers (inverted) and callees of the selected function ---- */
	function renderSandwich() {
		var f = state.fn;
		if (f < 0) {
			sandNote.textContent = "Select a function (click a frame, a row or a graph node).";
			sw.style.display = "none";
			return;
		}
		sw.style.display = "";
		sandNote.textContent = names[f];
		sandNote.className = "hf-sel-name";
		var t = effectiveTree(), ty = state.type, callers = new Layout(), callees = new Layout();
		sandwichFromStacks(t, ty, f, callers, callees);
		/* the layouts' roots are "all"; their one child is the function */
		callersView.set(callers.finish(), false);
		calleesView.set(callees.finish(), true);
	}

	/* the same on the whole tree, its subtree sums from the stacks (no
	 * array per tree node). A subtree under 1/100,000 of the total is
	 * folded into its parent's own value (widths stay exact; it would be
	 * under a hundredth of a pixel): the sandwich of a function at the
	 * root of a 53-million-node tree is drawn from a few hundred thousand. */
	function sandwichFromStacks(t, ty, f, callers, callees) {
		var S = stackSums(t, ty), K = t.leaf.length, limit = 1e-4 * Math.abs(S.after[K]) || 0;
		var map = new Int32Array(1024), at = new Uint8Array(1024), lend = new Int32Array(1024);
		function sumOf(v, end) { var lo = leafIndex(t, v), hi = leafIndex(t, end); return [lo, hi, S.after[hi] - S.after[lo], DIFF ? S.base[hi] - S.base[lo] : 0]; }
		for (var v = 1; v < t.n; v++) {
			if (t.fn[v] !== f) continue;
			/* the outermost occurrence only: recursion counted once */
			var ev = endOf(t, v), r = sumOf(v, ev), c = callers.child(0, f, t.inl[v]);
			if (Math.abs(r[2]) >= limit) for (var a = t.parent[v]; a > 0; a = t.parent[a]) c = callers.child(c, t.fn[a], t.inl[a]);
			callers.self[c] += r[2];
			callers.base[c] += r[3];
			var size = ev - v;
			if (map.length < size) { map = new Int32Array(size); at = new Uint8Array(size); lend = new Int32Array(size); }
			/* the subtree ends within this occurrence's subtree */
			for (var j = 0; j < size; j++) lend[j] = j + 1;
			for (j = size - 1; j > 0; j--) { var pj = t.parent[v + j] - v; if (lend[j] > lend[pj]) lend[pj] = lend[j]; }
			map[0] = callees.child(0, f, t.inl[v]);
			at[0] = 1;
			for (var w = v + 1; w < ev; w++) {
				var pm = map[t.parent[w] - v];
				if (limit > 0) {
					var ew = lend[w - v] + v, q = sumOf(w, ew);
					if (Math.abs(q[2]) < limit) {
						callees.self[pm] += q[2];
						callees.base[pm] += q[3];
						for (var x = w; x < ew; x++) at[x - v] = 0;
						w = ew - 1;
						continue;
					}
				}
				map[w - v] = callees.child(pm, t.fn[w], t.inl[w]);
				at[w - v] = 1;
			}
			for (var k = r[0]; k < r[1]; k++) {
				var node = t.leaf[k] - v;
				if (!at[node]) continue; /* counted with its folded subtree */
				var b = DIFF ? t.base[k * NT + ty] : 0;
				callees.self[map[node]] += t.val[k * NT + ty] + b;
				callees.base[map[node]] += b;
			}
			v = ev - 1;
		}
	}

	/* ---- call graph: pprof's SVG per type, pan and zoom, click selects ---- */
	var graphState = {type: -1, svg: null, vb: null};
	function renderGraph() {
		var v = views.graph, ty = meta.types[state.type];
		if (graphState.type !== state.type) {
			v.textContent = "";
			graphState = {type: state.type, svg: null, vb: null};
			v.appendChild(el("div", "hf-note", "The call graph reflects the command line's filters only" +
				(meta.filters.length ? " (" + meta.filters.join(" ") + ")" : "") +
				", not the page's refine boxes. Drag to pan, wheel to zoom, double-click to reset; click a node to select its function."));
			var box = el("div", "hf-graph");
			v.appendChild(box);
			var src = ty.graph ? bulk.graphs[state.type] : null;
			if (!src) { box.appendChild(el("div", "hf-empty", ty.graphError || bulk.error || "No call graph in this report.")); return; }
			var doc = new DOMParser().parseFromString(src, "image/svg+xml");
			var svg = doc.documentElement;
			if (!svg || svg.nodeName !== "svg") { box.appendChild(el("div", "hf-empty", "The call graph could not be read.")); return; }
			/* our page's script only: the SVG's own script is left out */
			var scripts = svg.querySelectorAll("script");
			for (var i = 0; i < scripts.length; i++) scripts[i].parentNode.removeChild(scripts[i]);
			svg = document.importNode(svg, true);
			svg.removeAttribute("width");
			svg.removeAttribute("height");
			box.appendChild(svg);
			graphState.svg = svg;
			var vb = svg.viewBox && svg.viewBox.baseVal;
			graphState.vb0 = vb ? [vb.x, vb.y, vb.width, vb.height] : [0, 0, 1000, 1000];
			graphState.vb = graphState.vb0.slice();
			panZoom(svg);
			svg.addEventListener("click", function (e) {
				var k = graphNode(e.target.closest("g.node"));
				if (k >= 0 && ty.gmap[k] >= 0) select(ty.gmap[k], "graph");
			});
		}
		if (!graphState.svg) return;
		var gs = graphState.svg.querySelectorAll("g.node");
		for (var k = 0; k < gs.length; k++) {
			var gi = graphNode(gs[k]);
			gs[k].classList.toggle("hf-sel", gi >= 0 && ty.gmap[gi] === state.fn && state.fn >= 0);
		}
	}
	/* pprof's node N<k> (the DOT name is the node's first <title>; the
	 * legend box has a Graphviz id of the same form, so ids won't do) */
	function graphNode(g) {
		if (!g) return -1;
		var t = g.querySelector("title"), m = t && /^N(\d+)$/.exec(t.textContent);
		return m ? +m[1] - 1 : -1;
	}
	function panZoom(svg) {
		function apply() { svg.setAttribute("viewBox", graphState.vb.join(" ")); }
		apply();
		var drag = null;
		svg.addEventListener("mousedown", function (e) { drag = {x: e.clientX, y: e.clientY, vb: graphState.vb.slice()}; });
		window.addEventListener("mouseup", function () { drag = null; });
		svg.addEventListener("mousemove", function (e) {
			if (!drag || !(e.buttons & 1)) return;
			var r = svg.getBoundingClientRect(), k = Math.max(drag.vb[2] / r.width, drag.vb[3] / r.height);
			graphState.vb[0] = drag.vb[0] - (e.clientX - drag.x) * k;
			graphState.vb[1] = drag.vb[1] - (e.clientY - drag.y) * k;
			apply();
		});
		svg.addEventListener("wheel", function (e) {
			e.preventDefault();
			var r = svg.getBoundingClientRect(), vb = graphState.vb;
			var k = Math.pow(1.002, e.deltaMode ? e.deltaY * 30 : e.deltaY);
			var s = Math.max(vb[2] / r.width, vb[3] / r.height);
			var cx = vb[0] + (e.clientX - r.left) * s, cy = vb[1] + (e.clientY - r.top) * s;
			graphState.vb = [cx - (cx - vb[0]) * k, cy - (cy - vb[1]) * k, vb[2] * k, vb[3] * k];
			apply();
		}, {passive: false});
		svg.addEventListener("dblclick", function () { graphState.vb = graphState.vb0.slice(); apply(); });
	}

	/* ---- source: pprof's list of the selected function. Without a
	 * refine: the CLI's --list, computed when the report was written
	 * (src/html/source.c); under the refine boxes: computed here from the
	 * line stream (src/html/html.c put_lines) as pprof's list counts, flat
	 * to a sample's innermost line, cum once per sample per line ---- */
	function sourceData() { return bulk.src; }
	function sourceLabel(v) { return scaledLabel(v, meta.types[state.type].unit, "minimum"); }
	function refineActive() {
		var any = false;
		["focus", "ignore", "hide", "show"].forEach(function (k) {
			if (state[k]) any = true;
			if (compile(state[k]) === undefined) any = false;
		});
		return any;
	}
	/* per distinct stack with a frame of a found routine (a group): its
	 * functions root first, where those frames are, and its variants
	 * (values, or null: the stack's; the slot of each such frame, a slot
	 * being a (group, line), or -1) */
	var lineStream = null;
	function lineVariants(D) {
		if (lineStream) return lineStream;
		var t = ct(), NG = D.groups ? D.groups.length : 0, ngroups = new Int32Array(NN), groupsOf = [];
		for (var g = 0; g < NG; g++) {
			var gf = D.groups[g];
			ngroups[gf]++;
			(groupsOf[gf] || (groupsOf[gf] = [])).push(g);
		}
		var L = {stacks: [], slotGroup: [], slotLine: [], slotsOf: [], groupsOf: groupsOf, cacheKey: null};
		if (!NG || !D.lines) return (lineStream = L);
		var rd = reader(D.lines), base = [], orders = [], slotOf = new Map(), path = [];
		for (g = 0; g < NG; g++) { base.push(rd.svar()); L.slotsOf.push([]); }
		for (var o = 0; o < NT; o++) orders.push(rd.uvar());
		for (var k = 0; k < t.leaf.length; k++) {
			path.length = 0;
			for (var a = t.leaf[k]; a > 0; a = t.parent[a]) path.push(t.fn[a]);
			path.reverse();
			var pos = [];
			for (var d = 0; d < path.length; d++) if (ngroups[path[d]]) pos.push(d);
			if (!pos.length) continue;
			var nvar = rd.gamma(), vars = [];
			for (var v = 0; v < nvar; v++) {
				var vals = null;
				if (nvar > 1) {
					vals = new Float64Array(NT);
					for (var ty = 0; ty < NT; ty++) vals[ty] = rd.eg(orders[ty]);
				}
				var slots = new Int32Array(pos.length);
				for (var q = 0; q < pos.length; q++) {
					var f = path[pos[q]], gi = -1;
					if (ngroups[f] > 1) { var c = rd.gamma() - 1; if (c) gi = groupsOf[f][c - 1]; }
					else if (rd.bits(1)) gi = groupsOf[f][0];
					slots[q] = -1;
					if (gi < 0) continue;
					/* the line over the group's smallest: exp-Golomb of order 2 */
					var ln = base[gi] + (rd.gamma() - 1) * 4 + rd.bits(2), key = gi + ":" + ln, sl = slotOf.get(key);
					if (sl === undefined) {
						sl = L.slotGroup.length;
						slotOf.set(key, sl);
						L.slotGroup.push(gi);
						L.slotLine.push(ln);
						L.slotsOf[gi].push(sl);
					}
					slots[q] = sl;
				}
				vars.push({vals: vals, slots: slots});
			}
			L.stacks.push({k: k, path: Int32Array.from(path), pos: Int32Array.from(pos), vars: vars});
		}
		return (lineStream = L);
	}
	/* flat and cum per slot for a type under the refine boxes (pprof's
	 * FilterSamplesByName, then its list's counting) */
	function refinedLines(D, ty) {
		var L = lineVariants(D), key = refineKey() + "\u0001" + ty;
		if (L.cacheKey === key) return L.cache;
		var mf = matcher(compile(state.focus)), mi = matcher(compile(state.ignore));
		var mh = matcher(compile(state.hide)), ms = matcher(compile(state.show));
		var n = L.slotGroup.length, flat = new Float64Array(n), cum = new Float64Array(n);
		var stamp = new Int32Array(n).fill(-1), sid = 0, t = ct();
		function kept(f) { return !(mh && mh[f]) && !(ms && !ms[f]); }
		L.stacks.forEach(function (s) {
			var path = s.path, focused = !mf, ignored = false, leafPos = -1, d;
			for (d = 0; d < path.length; d++) {
				if (mf && mf[path[d]]) focused = true;
				if (mi && mi[path[d]]) ignored = true;
			}
			if (!focused || ignored) return;
			for (d = path.length - 1; d >= 0 && leafPos < 0; d--) if (kept(path[d])) leafPos = d;
			if (leafPos < 0) return; /* nothing left: the sample is dropped */
			s.vars.forEach(function (va) {
				var v = va.vals ? va.vals[ty] : t.val[s.k * NT + ty];
				if (v === 0) return;
				sid++;
				for (var q = 0; q < s.pos.length; q++) {
					var sl = va.slots[q], p = s.pos[q];
					if (sl < 0 || !kept(path[p])) continue;
					if (p === leafPos) flat[sl] += v;
					if (stamp[sl] !== sid) { stamp[sl] = sid; cum[sl] += v; }
				}
			});
		});
		L.cacheKey = key;
		L.cache = {flat: flat, cum: cum};
		return L.cache;
	}
	/* the routines of function f under the refine, in the shape of the
	 * written ones ([fn, file, flat, cum, first line, [flat, cum, text
	 * id per line], group, file lines, beyond]); the lines of a window
	 * are those the report holds for the group in any type (a refine
	 * only narrows a window, but in a diff a line whose values cancel
	 * without it has no text here: counted in `untold`) */
	function refinedRoutines(D, f, ty) {
		var L = lineVariants(D), R = refinedLines(D, ty), out = [];
		(L.groupsOf[f] || []).forEach(function (g) {
			var flat = 0, cum = 0, lo = Infinity, hi = -Infinity, at = new Map();
			L.slotsOf[g].forEach(function (sl) {
				if (R.flat[sl] === 0 && R.cum[sl] === 0) return;
				var ln = L.slotLine[sl];
				flat += R.flat[sl];
				cum += R.cum[sl];
				at.set(ln, sl);
				if (ln < lo) lo = ln;
				if (ln > hi) hi = ln;
			});
			if (!at.size) return;
			if (!D.groupInfo) D.groupInfo = [];
			var info = D.groupInfo[g];
			if (!info) {
				info = D.groupInfo[g] = {file: null, text: new Map(), last: 0, fileLines: -1};
				D.types.forEach(function (T) {
					(T.routines || []).forEach(function (r) {
						if (r[6] !== g) return;
						info.file = r[1];
						for (var j = 0; j < r[5].length; j += 3) info.text.set(r[4] + j / 3, r[5][j + 2]);
						info.last = Math.max(info.last, r[4] + r[5].length / 3 - 1);
						if (r.length > 7) info.fileLines = r[7];
					});
				});
			}
			var first = Math.max(1, lo - 5), last = Math.min(hi + 5, info.last), rows = [], untold = 0;
			at.forEach(function (sl, ln) {
				if (!info.text.has(ln) && !(info.fileLines >= 0 && ln > info.fileLines)) untold++;
			});
			for (var ln = first; ln <= last; ln++) {
				var sl = at.get(ln), id = info.text.has(ln) ? info.text.get(ln) : -1;
				rows.push(sl === undefined ? 0 : R.flat[sl], sl === undefined ? 0 : R.cum[sl], id);
			}
			var r = [f, info.file, flat, cum, first, rows, g];
			if (info.fileLines >= 0 && hi > info.fileLines) r.push(info.fileLines, hi);
			r.untold = untold;
			out.push(r);
		});
		return out;
	}
	function renderSource() {
		var v = views.source;
		v.textContent = "";
		var f = state.fn;
		if (f < 0) { v.appendChild(el("div", "hf-empty", "Select a function to see its source.")); return; }
		v.appendChild(el("div", "hf-sel-name", names[f]));
		var refining = refineActive();
		var ref = ["focus", "ignore", "hide", "show"].filter(function (k) { return state[k]; });
		v.appendChild(el("div", "hf-note", "pprof's list of the function (as --list): per line its own value (flat) and " +
			"with what it calls (cum), the heaviest lines shaded; with the command line's filters" +
			(meta.filters.length ? " (" + meta.filters.join(" ") + ")" : "") +
			(refining ? " and the page's refine boxes (" + ref.map(function (k) { return k + "=" + state[k]; }).join(" ") +
				"), as --list with the same flags" : "") + "."));
		var D = sourceData(), T = D && D.types[state.type];
		if (!D) { v.appendChild(el("div", "hf-empty", bulk.srcError || "This report was written without source listings.")); return; }
		if (!D.missingBy) {
			/* [fn, file, before, after] per function whose source was not
			 * found (the same for every type) */
			D.missingBy = new Map();
			for (var m = 0; m < D.missing.length; m += 4) {
				var mf = D.missing[m];
				if (!D.missingBy.has(mf)) D.missingBy.set(mf, []);
				D.missingBy.get(mf).push(D.missing.slice(m, m + 4));
			}
		}
		if (T && T.routines && !T.byFn) {
			T.byFn = new Map();
			T.routines.forEach(function (r) {
				if (!T.byFn.has(r[0])) T.byFn.set(r[0], []);
				T.byFn.get(r[0]).push(r);
			});
		}
		var found, missing = D.missingBy.get(f) || [];
		if (refining) {
			found = refinedRoutines(D, f, state.type);
			/* a source not found: listed when the function keeps a value */
			var st = missing.length ? stats() : null;
			if (st && st.flat[f] === 0 && st.cum[f] === 0) missing = [];
		} else {
			found = T && T.byFn ? T.byFn.get(f) || [] : [];
		}
		var out = el("div", "hf-source");
		out.id = "hf-source-view";
		v.appendChild(out);
		if (!found.length && !missing.length) {
			out.appendChild(el("div", "hf-empty", names[f] + " has no " + meta.types[state.type].type +
				" value of its own lines" + (refining ? " under the refine boxes" : "") + ": pprof's list shows nothing for it."));
			return;
		}
		var total = T && T.routines ? T.total : meta.types[state.type].total;
		out.appendChild(el("div", "hf-src-total", "Total: " + sourceLabel(total)));
		function fileOf(id) { return id < 0 ? nodes.files[nodes.file[f]] : D.texts[id]; }
		/* in --list's order: by file name */
		var all = found.map(function (r) { return {file: fileOf(r[1]), r: r}; })
			.concat(missing.map(function (q) { return {file: fileOf(q[1]), q: q}; }));
		all.sort(function (a, b) { return a.file < b.file ? -1 : a.file > b.file ? 1 : 0; });
		all.forEach(function (x) {
			var box = el("div", "hf-routine");
			out.appendChild(box);
			if (!x.file) { box.appendChild(el("div", "hf-src-head", "No source information for " + names[f])); return; }
			box.appendChild(el("div", "hf-src-head", "ROUTINE ======================== " + names[f] + " in " + x.file));
			if (x.q) {
				var q = x.q, msg = D.texts[q[2]] + (q[3] >= 0 ? x.file + D.texts[q[3]] : "");
				box.appendChild(el("div", "hf-src-missing", "source not found (searched as --list does: -source_path or the " +
					"working directory and their parents, then the path as recorded, $GOROOT/src, the module cache and " +
					"vendor/ directories; pprof's list has only the function's totals then, which are in Top):"));
				box.appendChild(el("div", "hf-src-error", msg));
				return;
			}
			var r = x.r;
			box.appendChild(el("div", "hf-src-sum", pad(sourceLabel(r[2]), 10) + " " + pad(sourceLabel(r[3]), 10) +
				" (flat, cum) " + percentage(r[3], total) + " of Total"));
			var tab = el("table", "hf-table hf-src-lines"), max = 0, k, L = r[5];
			for (k = 0; k < L.length; k += 3) max = Math.max(max, Math.abs(L[k + 1]));
			for (k = 0; k < L.length; k += 3) {
				var flat = L[k], cum = L[k + 1], tr = el("tr", "hf-line" + (cum !== 0 ? " hf-hot" : ""));
				tr.appendChild(el("td", "", flat === 0 ? "." : sourceLabel(flat)));
				tr.appendChild(el("td", "", cum === 0 ? "." : sourceLabel(cum)));
				tr.appendChild(el("td", "hf-lineno", String(r[4] + k / 3)));
				tr.appendChild(el("td", "hf-code", L[k + 2] >= 0 ? D.texts[L[k + 2]] : ""));
				/* shaded by the line's share of the routine's heaviest line */
				if (cum !== 0 && max > 0) tr.style.backgroundColor = "rgba(255,80,0," + (0.12 + 0.5 * Math.abs(cum) / max).toFixed(3) + ")";
				if (flat !== 0) tr.classList.add("hf-flat");
				tab.appendChild(tr);
			}
			box.appendChild(tab);
			if (r.length > 7) box.appendChild(el("div", "hf-note", "Note: the file has " + r[7] +
				" lines but the profile has samples at line " + r[8] + ": it is not the source that was profiled"));
			if (r.untold) box.appendChild(el("div", "hf-note", r.untold + " line(s) with values under the refine are outside " +
				"the lines this report holds (in a diff, lines whose values cancel without the refine are not written)"));
		});
	}

	/* ---- selection, type, view, URL state ---- */
	/* a view that needs the bulk says so until it is read (bulkRead
	 * removes the notes) */
	function waitNote(v) {
		if (bulk.notes[v]) return;
		bulk.notes[v] = el("div", "hf-empty", "Reading the report\u2026");
		views[v].insertBefore(bulk.notes[v], views[v].firstChild);
	}
	/* before the bulk is read: what the display tree can show */
	function plainFlame() { return !state.focus && !state.ignore && !state.hide && !state.show && !subZoom; }
	function render() {
		if (!bulk.ready && !plainFlame()) {
			renderHeader();
			VIEWS.forEach(function (v) {
				tabBtn[v].classList.toggle("hf-on", v === state.view);
				views[v].classList.toggle("hf-on", v === state.view);
			});
			waitNote(state.view);
			return;
		}
		var F = mainLayout();
		renderHeader();
		typeSel.value = String(state.type);
		VIEWS.forEach(function (v) {
			tabBtn[v].classList.toggle("hf-on", v === state.view);
			views[v].classList.toggle("hf-on", v === state.view);
		});
		icBtn.classList.toggle("hf-on", state.icicle);
		icBtn.textContent = state.icicle ? "Flame" : "Icicle";
		if (state.view === "flame") {
			flame.re = compile(state.q) || null;
			flame.set(F, state.icicle);
			showMatched();
		} else {
			flame.F = F;
			matchedEl.textContent = "";
		}
		if (!bulk.ready && state.view !== "flame") { waitNote(state.view); return; }
		if (state.view === "top") renderTop();
		if (state.view === "peek") renderPeek();
		if (state.view === "sandwich") renderSandwich();
		if (state.view === "graph") renderGraph();
		if (state.view === "source") renderSource();
	}
	function matchedText(m) { return m === null ? "" : "Matched: " + (m === 100 ? "100" : fixed2(m)) + "%"; }
	/* over the whole tree after the repaint when the display tree is cut */
	/* Over every stack (the whole tree decoded first, if it is not) in
	 * slices of at most MATCHED_SLICE ms of the main thread after the
	 * repaint has been shown, so the page answers meanwhile ("Matched: …"
	 * until done); a new search, type or refine drops the old count. */
	var matchedTimer = 0, matchedRun = 0, MATCHED_SLICE = 30;
	function showMatched() {
		clearTimeout(matchedTimer);
		var run = ++matchedRun;
		if (!flame.F || !(flame.F.pruned || flame.F.sub) || !flame.re) { matchedEl.textContent = matchedText(flame.matched()); return; }
		var key = matchedKey();
		if (matchedCache.key === key) { matchedEl.textContent = matchedText(matchedCache.v); return; }
		matchedEl.textContent = "Matched: \u2026";
		if (!bulk.ready) return; /* shown again once the stacks are read */
		var hit = flame.hits(), ty = state.type, t = null, k = 0, sum = 0, total = 0, t0 = performance.now();
		function slice() {
			if (run !== matchedRun) return;
			var deadline = performance.now() + MATCHED_SLICE;
			if (!t) {
				if (!ctStep(deadline)) { matchedTimer = setTimeout(slice, 0); return; }
				t = effectiveTree();
			}
			var K = t.leaf.length, val = t.val, base = t.base, leaf = t.leaf, parent = t.parent, fn = t.fn;
			for (; k < K; k++) {
				if ((k & 4095) === 0 && performance.now() > deadline) { matchedTimer = setTimeout(slice, 0); return; }
				var w = val[k * NT + ty] + (DIFF ? base[k * NT + ty] : 0);
				total += w;
				for (var a = leaf[k]; a > 0; a = parent[a]) if (hit[fn[a]]) { sum += w; break; }
			}
			matchedCache = {key: key, v: total > 0 ? 100 * sum / total : 0};
			TIMES.matched = performance.now() - t0;
			if (state.view === "flame") matchedEl.textContent = matchedText(matchedCache.v);
		}
		/* after the repaint has been shown */
		requestAnimationFrame(function () { if (run === matchedRun) matchedTimer = setTimeout(slice, 0); });
	}
	/* a new search: the flame graph's matching frames recoloured (not
	 * drawn again), "Matched", and the URL once the repaint is shown
	 * (history.replaceState took 15-70 ms at times here) */
	var saveQueued = false;
	function searchChanged(q) {
		state.q = q;
		if (state.view !== "flame" || !flame.F || (!bulk.ready && !plainFlame()) || flame.F !== mainLayout()) {
			render();
			saveState();
			return;
		}
		flame.re = compile(q) || null;
		flame.recolor();
		showMatched();
		if (saveQueued) return;
		saveQueued = true;
		requestAnimationFrame(function () { setTimeout(function () { saveQueued = false; saveState(); }, 0); });
	}
	function select(fn, from) {
		state.fn = fn;
		if (from !== "flame" && state.view === "flame") resetZoom();
		render();
		saveState();
	}
	function setView(v) { state.view = v; render(); saveState(); }
	/* render after a refine (zoom reset first) */
	function safeRender(zoomReset) {
		if (zoomReset) resetZoom();
		render();
	}
	function setType(t) {
		state.type = t;
		resetZoom();
		subZoom = null;
		render();
		saveState();
	}
	function saveState() {
		var parts = ["view=" + state.view, "type=" + encodeURIComponent(meta.types[state.type].type)];
		if (state.fn >= 0) parts.push("fn=" + encodeURIComponent(names[state.fn]));
		if (state.q) parts.push("q=" + encodeURIComponent(state.q));
		if (state.icicle) parts.push("icicle=1");
		["focus", "ignore", "hide", "show"].forEach(function (k) {
			if (state[k]) parts.push(k + "=" + encodeURIComponent(state[k]));
		});
		if (flame.zoom > 0 && flame.F) parts.push("zoom=" + encodeURIComponent(frameZoomKey(flame.F, flame.zoom)));
		try { history.replaceState(null, "", "#" + parts.join("&")); } catch (e) { /* some embeddings forbid it */ }
	}
	/* a zoomed frame is named by its path of function names */
	function frameZoomKey(F, i) {
		var p = [];
		for (; i > 0; i = F.parent[i]) p.push(names[F.fn[i]]);
		return p.reverse().join(";");
	}
	function findZoom(F, key) {
		var want = key.split(";"), i = 0;
		for (var d = 0; d < want.length; d++) {
			var c = i + 1, found = -1;
			while (c < F.end[i]) { if (names[F.fn[c]] === want[d]) { found = c; break; } c = F.end[c]; }
			if (found < 0) return 0;
			i = found;
		}
		return i;
	}
	function loadState() {
		var h = window.location.hash.replace(/^#/, "");
		if (!h) return;
		var zoomKey = null;
		h.split("&").forEach(function (kv) {
			var eq = kv.indexOf("="), k = eq < 0 ? kv : kv.slice(0, eq), v = "";
			try { v = eq < 0 ? "" : decodeURIComponent(kv.slice(eq + 1)); } catch (e) { return; }
			if (k === "view" && VIEWS.indexOf(v) >= 0) state.view = v;
			else if (k === "type") {
				for (var i = 0; i < NT; i++) if (meta.types[i].type === v || String(i) === v) { state.type = i; break; }
			} else if (k === "fn") state.fn = fnByName(v);
			else if (k === "q") state.q = v;
			else if (k === "icicle") state.icicle = v === "1";
			else if (k === "zoom") zoomKey = v;
			else if (k === "focus" || k === "ignore" || k === "hide" || k === "show") state[k] = v;
		});
		searchIn.value = state.q;
		["focus", "ignore", "hide", "show"].forEach(function (k) { refineIn[k].value = state[k]; });
		if (zoomKey && plainFlame()) { flame.F = mainLayout(); flame.zoom = findZoom(flame.F, zoomKey); }
		if (zoomKey && !flame.zoom && (DISP.pruned || !plainFlame())) pendingZoom = zoomKey;
	}
	/* a zoom from the URL that needs the whole tree (or the refined one) */
	var pendingZoom = null;

	/* ---- events ---- */
	typeSel.addEventListener("change", function () { setType(+typeSel.value); });
	var searchTimer = 0;
	searchIn.addEventListener("input", function () {
		clearTimeout(searchTimer);
		searchTimer = setTimeout(function () {
			var ok = compile(searchIn.value) !== undefined;
			searchIn.classList.toggle("hf-bad", !ok);
			if (!ok) return;
			searchChanged(searchIn.value);
		}, 120);
	});
	/*
	 * A flame graph grows up from its root, the widest and most telling
	 * row: when the graph is taller than the window, opening it (or
	 * turning an icicle into a flame) scrolls that row into view instead
	 * of leaving the window on the thin tips at the top.
	 */
	function showRoot() {
		if (state.view !== "flame" || state.icicle || !flame.F || !flame.canvas.offsetParent) return;
		var box = flame.canvas.getBoundingClientRect(), vh = window.innerHeight || 900;
		if (box.bottom <= vh) return;
		window.scrollBy(0, box.bottom - vh);
		flame.onScroll();
	}
	icBtn.addEventListener("click", function () {
		state.icicle = !state.icicle;
		render();
		showRoot();
		saveState();
	});
	resetBtn.addEventListener("click", function () { resetZoom(); flame.draw(); saveState(); });
	var refineTimer = 0;
	Object.keys(refineIn).forEach(function (k) {
		refineIn[k].addEventListener("input", function () {
			clearTimeout(refineTimer);
			refineTimer = setTimeout(function () {
				var bad = false;
				Object.keys(refineIn).forEach(function (q) {
					var ok = compile(refineIn[q].value) !== undefined;
					refineIn[q].classList.toggle("hf-bad", !ok);
					bad = bad || !ok;
				});
				if (bad) { refineNote.textContent = "bad regular expression"; return; }
				refineNote.textContent = "";
				Object.keys(refineIn).forEach(function (q) { state[q] = refineIn[q].value; });
				safeRender(true);
				saveState();
			}, 250);
		});
	});
	window.addEventListener("resize", function () { if (state.view === "flame") flame.draw(); });
	var scrollQueued = false;
	window.addEventListener("scroll", function () {
		if (scrollQueued) return;
		scrollQueued = true;
		requestAnimationFrame(function () {
			scrollQueued = false;
			[flame, callersView, calleesView].forEach(function (v) { v.onScroll(); });
		});
	}, {passive: true});
	window.addEventListener("keydown", function (e) {
		if (e.key === "Escape") { resetZoom(); flame.draw(); saveState(); }
		else if ((e.ctrlKey || e.metaKey) && (e.key === "f" || e.key === "F")) { e.preventDefault(); searchIn.focus(); }
	});

	loadState();
	var T1 = performance.now();
	if (plainFlame()) mainLayout();
	TIMES.layout = performance.now() - T1;
	render();
	showRoot();
	TIMES.firstDraw = flame.lastMs;
	TIMES.drawn = performance.now() - T0;
	/* the first paint is issued: the flame graph of the display tree (or,
	 * for a view that needs the stacks, its "Reading" note) */
	document.body.setAttribute("data-hf-drawn", "1");
	function bulkRead() {
		var t0 = performance.now(), jobs = [inflate("hf-source").then(function (text) {
			bulk.src = text === null ? null : JSON.parse(text);
		}, function (e) { bulk.srcError = "The source listings could not be read: " + e.message; })];
		meta.types.forEach(function (ty, t) {
			jobs.push(inflate("hf-graph-" + t).then(function (text) { bulk.graphs[t] = text; },
				function (e) { bulk.error = "The call graph could not be read: " + e.message; }));
		});
		Promise.all(jobs).then(function () {
			TIMES.inflate = performance.now() - t0;
			bulk.ready = true;
			Object.keys(bulk.notes).forEach(function (v) { views[v].removeChild(bulk.notes[v]); });
			bulk.notes = {};
			if (pendingZoom) {
				flame.F = mainLayout();
				flame.zoom = findZoom(flame.F, pendingZoom);
				if (!flame.zoom && flame.F.pruned) { flame.zoom = deepZoom(pendingZoom); flame.F = mainLayout(); }
			}
			pendingZoom = null;
			graphState.type = -1;
			safeRender(false);
			TIMES.ready = performance.now() - T0;
			window.heapflameReport.readyMs = TIMES.ready;
			document.body.setAttribute("data-hf-ready", "1");
		});
	}
	/* for tests and benchmarks: read-only views of what is drawn */
	window.heapflameReport = {
		state: state, meta: meta, names: names,
		flame: flame, callers: callersView, callees: calleesView,
		topRows: topRows, select: function (name, from) { select(fnByName(name), from || "api"); },
		setType: setType, setView: setView,
		setSearch: function (q) { searchIn.value = q; searchChanged(q); },
		setRefine: function (r) {
			["focus", "ignore", "hide", "show"].forEach(function (k) { state[k] = r[k] || ""; refineIn[k].value = state[k]; });
			refineNote.textContent = "";
			safeRender(true);
			saveState();
		},
		/* tests and benchmarks: the refined tree's size */
		refinedLayout: function () { return treeLayout(effectiveTree(), state.type); },
		refinedTree: function () { var t = effectiveTree(); return {stacks: t.leaf.length, treeNodes: t.n, whole: t === CT}; },
		zoomTo: function (i) { flame.zoomTo(i); saveState(); },
		displayNodes: DISP.n, displayCut: DISP.pruned, times: TIMES,
		/* the whole tree laid out (for the display check: big) */
		wholeLayout: function () { return treeLayout(ct(), state.type); },
		fullTree: function () { var t = ct(); return {stacks: t.leaf.length, treeNodes: t.n, decodeMs: TIMES.fullDecode}; },
		startMs: T0, drawnMs: TIMES.drawn, readyMs: null
	};
	if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bulkRead);
	else bulkRead();
})();
