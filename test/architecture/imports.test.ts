// Folders depend one way: the layer order in docs/ARCHITECTURE.md ("Layers") is read here and every import of
// src/**/*.ts is checked against it — no import of a higher layer, no cycle between folders, no folder missing
// from the order.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const root = new URL("../..", import.meta.url).pathname;
const src = join(root, "src");

/** "core → profiles → workload | predictor → …": the first such line in the Layers section's code block. */
function layerOrder(): string[][] {
  const doc = readFileSync(join(root, "docs/ARCHITECTURE.md"), "utf8");
  const section = doc.slice(doc.indexOf("## Layers"));
  const block = /```\n([\s\S]*?)```/.exec(section);
  assert.ok(block, "docs/ARCHITECTURE.md has no code block under ## Layers");
  const line = block![1].split("\n").find((l) => l.includes("→"));
  assert.ok(line, "the Layers block has no line of the form a → b → c");
  return line!.split("→").map((layer) =>
    layer
      .split("|")
      .map((f) => f.trim())
      .filter(Boolean),
  );
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

/** The folder of a file under src/ ("simulate.ts" for files directly in src/). */
const folderOf = (file: string): string => relative(src, file).split("/")[0];

/** Relative specifiers of static imports, re-exports, side-effect imports and dynamic imports. */
function importsOf(text: string): string[] {
  const specs: string[] = [];
  const patterns = [/\bfrom\s*["'](\.[^"']+)["']/g, /\bimport\s*["'](\.[^"']+)["']/g, /\bimport\s*\(\s*["'](\.[^"']+)["']\s*\)/g];
  for (const re of patterns) for (const m of text.matchAll(re)) specs.push(m[1]);
  return specs;
}

interface Edge {
  from: string;
  to: string;
  file: string;
  target: string;
}

function folderEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(src)) {
    for (const spec of importsOf(readFileSync(file, "utf8"))) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(`${src}/`)) continue; // assembly/abi.ts (the shared engine ABI) and packages
      const from = folderOf(file);
      const to = folderOf(target);
      if (from !== to) edges.push({ from, to, file: relative(root, file), target: relative(root, target) });
    }
  }
  return edges;
}

test("the layer order names every folder of src/ once", () => {
  const layers = layerOrder().flat();
  assert.is(new Set(layers).size, layers.length, `a folder appears twice in the layer order: ${layers.join(", ")}`);
  const folders = new Set(sourceFiles(src).map(folderOf));
  for (const f of folders) assert.ok(layers.includes(f), `src/${f} is not in the layer order of docs/ARCHITECTURE.md`);
});

test("no folder imports from a higher layer", () => {
  const rank = new Map<string, number>();
  layerOrder().forEach((layer, i) => layer.forEach((f) => rank.set(f, i)));
  const upward = folderEdges().filter((e) => (rank.get(e.to) ?? -1) > (rank.get(e.from) ?? -1));
  assert.equal(
    upward.map((e) => `${e.file} imports ${e.target} (${e.from} → ${e.to})`),
    [],
  );
});

test("no cycle between folders", () => {
  const next = new Map<string, Set<string>>();
  for (const e of folderEdges()) {
    if (!next.has(e.from)) next.set(e.from, new Set());
    next.get(e.from)!.add(e.to);
  }
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (f: string, path: string[]): void => {
    if (state.get(f) === "done") return;
    if (state.get(f) === "open") {
      cycles.push([...path.slice(path.indexOf(f)), f].join(" → "));
      return;
    }
    state.set(f, "open");
    for (const g of next.get(f) ?? []) visit(g, [...path, f]);
    state.set(f, "done");
  };
  for (const f of next.keys()) visit(f, []);
  assert.equal(cycles, []);
});

test("the checker sees upward imports and cycles (its own fixtures)", () => {
  assert.equal(importsOf(`import { a } from "../x/a.js";\nexport * from "./b.js";\nimport "./c.js";\nconst d = await import("../d.js");`), [
    "../x/a.js",
    "./b.js",
    "./c.js",
    "../d.js",
  ]);
  assert.equal(importsOf(`import type {\n  A,\n  B,\n} from "../core/types.js";`), ["../core/types.js"]);
});

test.run();
