/**
 * Every shell command in README.md and docs/*.md runs as written on a fresh clone (GUIDE: "Every command in
 * README.md and docs/ must run as written"). Each file's ```sh blocks run in order, as one shell session, in a
 * temp directory holding the repository's examples/ (and package.json + node_modules, so `npx tokenwatt`
 * resolves the local build as it does in a clone); `tokenwatt` alone is on the PATH. README's ```sql blocks run
 * through DuckDB and its ```python blocks through python3 when pandas and pyarrow are installed — otherwise the files
 * those blocks read are loaded by DuckDB and checked against the types docs/outputs-format.md states.
 *
 * Not run: blocks marked `<!-- not-run: reason -->` (Slurm, Kubernetes), `npm …` lines (this suite's own
 * setup: npm ci, npm test, builds, benchmarks), python3 / duckdb lines when those tools are absent, and lines
 * reading ../shared when it is absent. Each skip is printed.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { duck } from "../helpers/duckdb.js";
import { REPO_ROOT, SHARED_ROOT } from "../helpers/shared.js";

interface Block {
  lang: string;
  code: string;
  line: number;
}

function blocks(file: string): Block[] {
  const text = readFileSync(file, "utf8");
  const out: Block[] = [];
  const re = /(<!-- not-run:[^>]*-->\s*\n)?```(\w*)\n([\s\S]*?)```/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) continue;
    out.push({ lang: m[2]!, code: m[3]!, line: text.slice(0, m.index).split("\n").length + (m[1] ? 1 : 0) });
  }
  return out;
}

/** Splits shell text into top-level commands (newlines outside quotes, not continued by a backslash). */
function commands(code: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quote = "";
  for (let i = 0; i < code.length; i++) {
    const ch = code[i]!;
    if (quote) {
      if (ch === quote) quote = "";
      else if (ch === "\\" && quote === '"') cur += code[i++]!;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "\\" && code[i + 1] === "\n") {
      cur += ch + code[++i]!;
      continue;
    } else if (ch === "#" && (cur === "" || /\s$/.test(cur))) {
      while (i + 1 < code.length && code[i + 1] !== "\n") i++; // a comment
      continue;
    } else if (ch === "\n") {
      if (cur.trim()) out.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out;
}

const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: "ignore" }).status === 0;
const PANDAS = has("python3", ["-c", "import pandas, pyarrow"]);
const DUCKDB_CLI = has("duckdb", ["-version"]);
const SHARED = existsSync(SHARED_ROOT);

/** Why a command is not run here, or undefined. */
function skipReason(cmd: string): string | undefined {
  const c = cmd.trim();
  if (/^npm /.test(c)) return "npm commands are this suite's own setup";
  if (/^python3 /.test(c) && !PANDAS) return "python3 with pandas and pyarrow not installed";
  if (/^duckdb /.test(c) && !DUCKDB_CLI) return "duckdb CLI not installed";
  if (c.includes("../shared") && !SHARED) return "../shared absent";
  return undefined;
}

/** A fresh working directory with the repository's examples/, package.json and node_modules (and ../shared). */
function workDir(): string {
  const base = mkdtempSync(join(tmpdir(), "tw-docs-"));
  const dir = join(base, "clone");
  mkdirSync(dir);
  if (SHARED) symlinkSync(SHARED_ROOT, join(base, "shared"));
  symlinkSync(join(REPO_ROOT, "examples"), join(dir, "examples"));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  copyFileSync(join(REPO_ROOT, "package.json"), join(dir, "package.json"));
  return dir;
}

function runShell(file: string, b: Block, cwd: string): void {
  const kept = commands(b.code).map((c) => {
    const why = skipReason(c);
    if (why) console.error(`  ${file}:${b.line}: not run (${why}): ${c.trim().split("\n")[0]}`);
    return why ? ":" : c;
  });
  const script = join(cwd, `block-${b.line}.sh`);
  writeFileSync(script, `set -euo pipefail\n${kept.join("\n")}\n`);
  const r = spawnSync("bash", [script], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, PATH: `${join(REPO_ROOT, "node_modules", ".bin")}:${process.env.PATH}`, TOKENWATT_PROGRESS: "0" },
    timeout: 120_000,
  });
  assert.is(r.status, 0, `${file}:${b.line} failed (exit ${r.status}):\n${kept.join("\n")}\n--- stderr ---\n${r.stderr}`);
}

const files = [
  "README.md",
  ...readdirSync(join(REPO_ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .sort()
    .map((f) => `docs/${f}`),
];
for (const file of files) {
  const all = blocks(join(REPO_ROOT, file)).filter((b) => ["sh", "bash", "sql", "python"].includes(b.lang));
  if (!all.some((b) => b.lang === "sh" || b.lang === "bash")) continue;
  test(`${file}: every shell command runs as written (README's SQL and Python blocks too)`, async () => {
    const cwd = workDir();
    for (const b of all) {
      if (b.lang === "sh" || b.lang === "bash") runShell(file, b, cwd);
      else if (file !== "README.md")
        // docs/sweeps.md's and docs/outputs-format.md's SQL and Python read files their prose describes
        console.error(`  ${file}:${b.line}: ${b.lang} block not run (reads the files its prose describes)`);
      else if (b.lang === "sql") {
        const sql = b.code
          .replace(/^--.*$/gm, "")
          .trim()
          .replace(/;$/, "");
        const here = process.cwd();
        process.chdir(cwd);
        try {
          const { rows } = await duck(sql);
          assert.ok(rows.length > 0, `${file}:${b.line}: the query returned no rows`);
        } finally {
          process.chdir(here);
        }
      } else if (PANDAS) {
        const r = spawnSync("python3", ["-c", b.code], { cwd, encoding: "utf8" });
        assert.is(r.status, 0, `${file}:${b.line}: python failed:\n${r.stderr}`);
      } else {
        console.error(`  ${file}:${b.line}: python block not run (pandas and pyarrow not installed); its files checked with DuckDB`);
        await checkPythonReadsWithDuckDb(file, b, cwd);
      }
    }
  });
}

/** DuckDB types of the column types docs/outputs-format.md states ("Column types" table, last column). */
function statedDuckDbTypes(): Set<string> {
  const md = readFileSync(join(REPO_ROOT, "docs", "outputs-format.md"), "utf8");
  const table = md.slice(md.indexOf("## Column types"), md.indexOf("## Missing values"));
  const types = [...table.matchAll(/^\|\s*`\w+`.*\|\s*`([A-Z]+)`\s*\|\s*$/gm)].map((m) => m[1]!);
  assert.ok(types.length >= 5, "docs/outputs-format.md states the DuckDB type of every column type");
  return new Set(types);
}

/**
 * Without pandas, the files a README Python block reads (pd.read_parquet / read_csv / read_json) are loaded by
 * DuckDB instead: they must exist, have rows, have only the column types docs/outputs-format.md states, and
 * hold every column the block indexes (`df["name"]`) as a number.
 */
async function checkPythonReadsWithDuckDb(file: string, b: Block, cwd: string): Promise<void> {
  const readers: Record<string, string> = { parquet: "read_parquet", csv: "read_csv", json: "read_json_auto" };
  const stated = statedDuckDbTypes();
  const code = b.code.replace(/#.*$/gm, ""); // comments name alternatives (read_feather), not what the block runs
  const used = [...code.matchAll(/\w+\["([^"]+)"\]/g)].map((m) => m[1]!);
  const reads = [...code.matchAll(/pd\.read_(\w+)\("([^"]+)"\)/g)];
  assert.ok(reads.length > 0, `${file}:${b.line}: a Python block that reads no file (nothing for DuckDB to check)`);
  for (const [, kind, path] of reads) {
    const reader = readers[kind!];
    assert.ok(reader, `${file}:${b.line}: pd.read_${kind} has no DuckDB equivalent here (allowed: ${Object.keys(readers).join(", ")})`);
    assert.ok(existsSync(join(cwd, path!)), `${file}:${b.line}: ${path} was not written by the commands before it`);
    const here = process.cwd();
    process.chdir(cwd);
    try {
      const { rows, types } = await duck(`SELECT * FROM ${reader}('${path}')`);
      assert.ok(rows.length > 0, `${file}:${b.line}: ${path} has no rows`);
      for (const [col, type] of Object.entries(types))
        assert.ok(stated.has(type), `${file}:${b.line}: ${path} column "${col}" is ${type}, not a type docs/outputs-format.md states`);
      for (const col of used)
        assert.ok(["DOUBLE", "INTEGER", "BIGINT"].includes(types[col] ?? ""), `${file}:${b.line}: ${path} has no numeric column "${col}"`);
    } finally {
      process.chdir(here);
    }
  }
}

test("examples/sweep.yaml is the README's example spec", () => {
  const md = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
  const spec = /<!-- example-spec -->\s*```yaml\n([\s\S]*?)```/.exec(md)![1]!;
  assert.is(readFileSync(join(REPO_ROOT, "examples", "sweep.yaml"), "utf8"), spec.replace("# sweep.yaml:", "# examples/sweep.yaml:"));
});

test.run();
