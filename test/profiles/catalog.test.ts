import { test } from "uvu";
import * as assert from "uvu/assert";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findDevice, findModel, findNode, getDefaultCatalog, loadCatalog } from "../../src/profiles/catalog.js";
import { InputError } from "../../src/core/errors.js";
import { defaultProfilesDir } from "../../src/core/repo-root.js";

test("catalogue holds Vidur's nine models under their exact names", () => {
  const names = getDefaultCatalog().models.map((m) => m.name);
  for (const n of [
    "meta-llama/Llama-2-7b-hf",
    "meta-llama/Llama-2-70b-hf",
    "meta-llama/Meta-Llama-3-8B",
    "meta-llama/Meta-Llama-3-70B",
    "codellama/CodeLlama-34b-Instruct-hf",
    "internlm/internlm-20b",
    "internlm/internlm2-20b",
    "microsoft/phi-2",
    "Qwen/Qwen-72B",
  ])
    assert.ok(names.includes(n), n);
});

test("Vidur's device aliases resolve with Vidur's peak FLOPs and memory", () => {
  assert.is(findDevice("a100").name, "a100-80gb");
  assert.is(findDevice("a100").fp16_tflops, 312);
  assert.is(findDevice("h100").name, "h100-sxm");
  assert.is(findDevice("h100").fp16_tflops, 1000);
  assert.is(findDevice("h100").vendor_fp16_tflops, 989.4);
  assert.is(findDevice("a40").fp16_tflops, 150);
  assert.is(findDevice("a40").total_memory_gb, 45);
});

test("models resolve by alias and case-insensitively", () => {
  assert.is(findModel("llama-2-7b").name, "meta-llama/Llama-2-7b-hf");
  assert.is(findModel("META-LLAMA/LLAMA-2-7B-HF").num_layers, 32);
  assert.is(findModel("codellama-34b").num_kv_heads, 8);
});

test("every Vidur node exists with its devices per node", () => {
  const expect: Record<string, number> = {
    a40_pairwise_nvlink: 8,
    a100_pairwise_nvlink: 4,
    h100_pairwise_nvlink: 4,
    a100_dgx: 8,
    h100_dgx: 8,
  };
  for (const [n, k] of Object.entries(expect)) assert.is(findNode(n).num_devices_per_node, k, n);
  assert.is(findDevice(findNode("a100_dgx").device).name, "a100-80gb");
});

test("unknown name lists the closest valid names", () => {
  try {
    findDevice("a10");
    assert.unreachable();
  } catch (e) {
    assert.instance(e, InputError);
    assert.match((e as Error).message, /unknown device "a10"; closest valid names: a100/);
  }
});

test("default profiles dir is the repo's profiles/", () => {
  assert.ok(defaultProfilesDir().endsWith("profiles"));
  assert.ok(getDefaultCatalog().devices.length >= 9);
});

function copyCatalogWith(mutate: (dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), "tw-cat-"));
  for (const k of ["models", "devices", "nodes"]) mkdirSync(join(dir, k));
  const src = defaultProfilesDir();
  writeFileSync(join(dir, "models", "m.json"), readFileSync(join(src, "models", "llama-2-7b.json")));
  writeFileSync(join(dir, "devices", "d.json"), readFileSync(join(src, "devices", "a100-80gb.json")));
  writeFileSync(join(dir, "nodes", "n.json"), readFileSync(join(src, "nodes", "a100_dgx.json")));
  mutate(dir);
  return dir;
}

test("missing field is an InputError naming file and field", () => {
  const dir = copyCatalogWith((d) => {
    const m = JSON.parse(readFileSync(join(d, "models", "m.json"), "utf8"));
    delete m.num_layers;
    writeFileSync(join(d, "models", "m.json"), JSON.stringify(m));
  });
  assert.throws(
    () => loadCatalog(dir),
    (e: Error) => e instanceof InputError && /m\.json: num_layers is missing/.test(e.message),
  );
});

test("mistyped field is an InputError saying what is allowed", () => {
  const dir = copyCatalogWith((d) => {
    const x = JSON.parse(readFileSync(join(d, "devices", "d.json"), "utf8"));
    x.fp16_tflops = "312";
    writeFileSync(join(d, "devices", "d.json"), JSON.stringify(x));
  });
  assert.throws(
    () => loadCatalog(dir),
    (e: Error) => /d\.json: fp16_tflops must be a number > 0, got "312"/.test(e.message),
  );
});

test("node naming an unknown device is rejected", () => {
  const dir = copyCatalogWith((d) => {
    const x = JSON.parse(readFileSync(join(d, "nodes", "n.json"), "utf8"));
    x.device = "tpu";
    writeFileSync(join(d, "nodes", "n.json"), JSON.stringify(x));
  });
  assert.throws(
    () => loadCatalog(dir),
    (e: Error) => /n\.json: device "tpu" is not a device/.test(e.message),
  );
});

test.run();
