#!/usr/bin/env node
// flamegraph.pl's stand-in for bench/run.sh: the npm package `flamegraph`
// (thlorenz's JavaScript port of flamegraph.pl) fed folded stacks.
//
//   node bench/flamegraph-port.js MODULE_DIR < stacks.folded > flame.svg
//
// The port's CLI reads `perf script` output or a V8 .cpuprofile, not folded
// lines; its library renders a .cpuprofile-shaped call tree with
// flamegraph.pl's algorithm (sort the paths, merge, lay out, one SVG
// template). This turns the folded lines into that tree (a node per frame,
// the line's count as the leaf's hitCount) and calls the library; the tree
// building is counted against the port, as its own perf parser would be.
'use strict'

const fs = require('fs')
const flamegraph = require(require('path').resolve(process.argv[2], 'flamegraph'))

const text = fs.readFileSync(0, 'utf8')
const head = { functionName: 'root', url: '', children: [], hitCount: 0, kids: new Map() }
for (const line of text.split('\n')) {
	const sp = line.lastIndexOf(' ')
	if (sp <= 0) continue
	const count = Number(line.slice(sp + 1))
	if (!(count > 0)) continue
	let node = head
	for (const name of line.slice(0, sp).split(';')) {
		let child = node.kids.get(name)
		if (!child) {
			child = { functionName: name, url: '', children: [], hitCount: 0, kids: new Map() }
			node.kids.set(name, child)
			node.children.push(child)
		}
		node = child
	}
	node.hitCount += count
}
const opts = { countname: process.env.COUNTNAME || 'samples', removenarrows: true }
process.stdout.write(flamegraph.fromCpuProfile({ head }, opts))
