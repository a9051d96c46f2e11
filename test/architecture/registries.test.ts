// Every plug-in registry entry and every engine setting is wired through: an explicit unique code, an engine
// hook that exists, the generated engine files, its options, and a line in docs/ARCHITECTURE.md's plug-in table.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { findOption, OPTIONS } from "../../src/config/options.js";
import { SETTINGS_BLOCKS } from "../../src/engine/settings/index.js";
import { blockSettings } from "../../src/engine/settings/types.js";
import { generatedFiles } from "../../src/engine/settings/generate.js";
import { BATTERY_MODELS } from "../../src/plugins/battery-models/index.js";
import { GLOBAL_SCHEDULERS } from "../../src/plugins/global-schedulers.js";
import { POWER_MODEL_REGISTRY } from "../../src/plugins/power-models/index.js";
import { REPLICA_SCHEDULERS } from "../../src/plugins/replica-schedulers/index.js";
import type { EngineHook } from "../../src/plugins/types.js";
import { SOURCES } from "../../src/predictor/index.js";
import { WRITERS } from "../../src/output/writers.js";
import { REQUEST_GENERATORS } from "../../src/workload/index.js";
import { INTERVAL_GENERATORS, LENGTH_GENERATORS } from "../../src/workload/registry.js";

const root = new URL("../..", import.meta.url).pathname;
const read = (rel: string): string => readFileSync(join(root, rel), "utf8");
const architecture = read("docs/ARCHITECTURE.md");
const generated = generatedFiles();

const constant = (name: string): string =>
  name
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/-/g, "_")
    .toUpperCase();

function assertUniqueCodes(kind: string, entries: ReadonlyArray<{ name: string; code: number }>): void {
  const seen = new Map<number, string>();
  for (const e of entries) {
    assert.ok(Number.isInteger(e.code) && e.code >= 0, `${kind} ${e.name}: code ${e.code} is not a non-negative integer`);
    assert.is(seen.get(e.code), undefined, `${kind} ${e.name}: code ${e.code} already used by ${seen.get(e.code)}`);
    seen.set(e.code, e.name);
  }
}

function assertHook(kind: string, name: string, hook: EngineHook): void {
  const file = `assembly/${hook.file}.ts`;
  assert.ok(existsSync(join(root, file)), `${kind} ${name}: engine file ${file} is missing`);
  const text = read(file);
  for (const fn of Object.values(hook.functions)) {
    assert.match(text, new RegExp(`export\\s+(?:@inline\\s+)?function\\s+${fn}\\b`), `${kind} ${name}: ${file} does not export ${fn}`);
  }
}

/** The row of the plug-in table in docs/ARCHITECTURE.md: | kind | `name` | code | … |. */
function assertDocRow(kind: string, name: string, code: number): void {
  const row = new RegExp(`^\\|\\s*${kind}\\s*\\|\\s*\`${name}\`\\s*\\|\\s*${code}\\s*\\|`, "m");
  assert.match(architecture, row, `docs/ARCHITECTURE.md has no plug-in row "| ${kind} | \`${name}\` | ${code} |"`);
}

function assertChoice(option: string, name: string): void {
  const def = findOption(option);
  assert.ok(def, `option ${option} is missing`);
  assert.ok(def!.choices?.includes(name), `--${option} does not offer ${name}`);
}

test("replica schedulers: explicit codes, engine hooks, generated dispatch, options, docs", () => {
  assertUniqueCodes("replica scheduler", REPLICA_SCHEDULERS);
  for (const s of REPLICA_SCHEDULERS) {
    assertHook("replica scheduler", s.name, s.engine);
    assert.ok(s.engine.functions.nextBatch, `replica scheduler ${s.name}: no nextBatch function`);
    assert.ok(generated["codes.ts"].includes(`export const SCHED_${constant(s.name)}: i32 = ${s.code};`), `codes.ts lacks ${s.name}`);
    assert.ok(
      generated["replica-schedulers.ts"].includes(`case ${s.code}: return ${s.engine.functions.nextBatch}(r);`),
      `dispatch lacks ${s.name}`,
    );
    for (const key of Object.keys(s.options)) assert.ok(findOption(`${s.prefix}_${key}`), `option ${s.prefix}_${key} is not in OPTIONS`);
    assertChoice("replica_scheduler_config_type", s.name);
    assertDocRow("replica scheduler", s.name, s.code);
  }
});

test("global schedulers: explicit codes, generated codes, option choices, docs", () => {
  assertUniqueCodes("global scheduler", GLOBAL_SCHEDULERS);
  const routing = read("assembly/schedulers/global.ts");
  for (const g of GLOBAL_SCHEDULERS) {
    assert.ok(generated["codes.ts"].includes(`export const GLOBAL_${constant(g.name)}: i32 = ${g.code};`), `codes.ts lacks ${g.name}`);
    assert.ok(
      routing.includes(`GLOBAL_${constant(g.name)}`) || g.name === "round_robin",
      `assembly/schedulers/global.ts never handles ${g.name}`,
    );
    assertChoice("global_scheduler_config_type", g.name);
    assertDocRow("global scheduler", g.name, g.code);
  }
});

test("power models: explicit codes, engine hooks, generated dispatch, option choices, docs", () => {
  const models = Object.values(POWER_MODEL_REGISTRY);
  assertUniqueCodes("power model", models);
  for (const m of models) {
    assertHook("power model", m.name, m.engine);
    assert.ok(generated["codes.ts"].includes(`export const PM_${constant(m.name)}: i32 = ${m.code};`), `codes.ts lacks ${m.name}`);
    assert.ok(
      generated["power-models.ts"].includes(`case ${m.code}: return ${m.engine.functions.stagePower}(`),
      `dispatch lacks ${m.name}`,
    );
    assertChoice("power_model", m.name);
    assertDocRow("power model", m.name, m.code);
  }
});

test("battery models: explicit codes, engine hooks, generated dispatch, option choices, docs", () => {
  assertUniqueCodes("battery model", BATTERY_MODELS);
  for (const b of BATTERY_MODELS) {
    assertHook("battery model", b.name, b.engine);
    assert.ok(generated["codes.ts"].includes(`export const BAT_${constant(b.name)}: i32 = ${b.code};`), `codes.ts lacks ${b.name}`);
    for (const [entry, fn] of Object.entries(b.engine.functions)) {
      const call = `case ${b.code}: ${entry === "init" || entry === "range" ? "" : "return "}battery_${constant(b.name).toLowerCase()}.${fn}(`;
      assert.ok(generated["battery-models.ts"].includes(call), `battery dispatch lacks ${b.name}.${fn}`);
    }
    assertChoice("battery", b.name);
    assertDocRow("battery model", b.name, b.code);
  }
});

test("host-only registries: each entry has its registry name and a one-line doc", () => {
  const registries: Array<[string, Readonly<Record<string, { doc: string }>>, (e: never) => string]> = [
    ["request generator", REQUEST_GENERATORS, (e: { type: string }) => e.type],
    ["interval generator", INTERVAL_GENERATORS, (e: { type: string }) => e.type],
    ["length generator", LENGTH_GENERATORS, (e: { type: string }) => e.type],
    ["predictor source", SOURCES, (e: { name: string }) => e.name],
    ["writer", WRITERS, (e: { format: string }) => e.format],
  ];
  for (const [kind, registry, nameOf] of registries) {
    for (const [key, entry] of Object.entries(registry)) {
      assert.is(nameOf(entry as never), key, `${kind} registered as ${key} is named ${nameOf(entry as never)}`);
      assert.ok(entry.doc.length > 0 && !entry.doc.includes("\n"), `${kind} ${key}: needs a one-line doc`);
    }
  }
});

/** Every .ts file under assembly/ except the generated ones. */
function engineSources(dir = join(root, "assembly")): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "generated") out.push(...engineSources(p));
    } else if (entry.name.endsWith(".ts")) out.push(readFileSync(p, "utf8"));
  }
  return out;
}

test("engine settings: each names an existing option and is read by the engine (every settings block)", () => {
  const sources = engineSources();
  const names = new Set<string>();
  for (const block of SETTINGS_BLOCKS) {
    const module = block.file.replace(/\.ts$/, "");
    for (const s of blockSettings(block)) {
      assert.not.ok(names.has(s.name), `engine setting ${s.name} is declared twice`);
      names.add(s.name);
      if (s.option !== undefined) {
        const pattern = new RegExp(`^${s.option.replace(/\*/g, "[a-z_]+")}$`);
        assert.ok(
          OPTIONS.some((o) => pattern.test(o.name)),
          `engine setting ${s.name}: option ${s.option} does not exist`,
        );
      }
      // read as <namespace>.<name> of the generated module, or imported / re-exported from it by name
      const viaNamespace = new RegExp(`import \\* as (\\w+) from "[./]*generated/${module}"`);
      const viaImport = new RegExp(`(?:import|export)\\s*\\{[^}]*\\b${s.name}\\b[^}]*\\}\\s*from\\s*"[./]*generated/${module}"`);
      const read = sources.some((t) => {
        if (viaImport.test(t)) return true;
        const ns = viaNamespace.exec(t)?.[1];
        return ns !== undefined && new RegExp(`\\b${ns}\\.${s.name}\\b`).test(t);
      });
      assert.ok(read, `engine setting ${s.name} (${block.file}) is never read in assembly/`);
    }
  }
});

test.run();
