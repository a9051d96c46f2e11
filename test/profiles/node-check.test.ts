import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveOptions } from "../../src/config/parse.js";
import { getDefaultCatalog, findDevice, findNode } from "../../src/profiles/catalog.js";
import { nodeMismatch } from "../../src/profiles/node-check.js";
import { simulate } from "../../src/simulate.js";
import { runCli } from "../helpers/cli.js";
import { tempDir } from "../sweep/helpers.js";

test("Vidur's defaults (a100 on a100_pairwise_nvlink) and every device on its usual node: no note", () => {
  assert.is(nodeMismatch(findDevice("a100"), findNode("a100_pairwise_nvlink")), undefined);
  for (const d of getDefaultCatalog().devices) {
    assert.ok(d.usual_node, `${d.name} documents its usual node`);
    assert.is(nodeMismatch(d, findNode(d.usual_node!)), undefined, d.name);
  }
});

test("a node built for another GPU is named, with the device's usual node and the flag", () => {
  const note = nodeMismatch(findDevice("h100"), findNode("a100_pairwise_nvlink"));
  assert.match(note!, /node a100_pairwise_nvlink is built for a100-80gb GPUs, not h100-sxm/);
  assert.match(note!, /--replica_config_network_device h100_dgx/);
});

test("an SXM GPU on a pairwise-NVLink node is named", () => {
  assert.match(
    nodeMismatch(findDevice("h100"), findNode("h100_pairwise_nvlink"))!,
    /h100-sxm is an SXM GPU.*h100_pairwise_nvlink has pairwise nvlink links/,
  );
  assert.is(nodeMismatch(findDevice("h100-pcie"), findNode("h100_pairwise_nvlink")), undefined);
});

test("summary.json carries node_mismatch only when there is one; the summary line says it", async () => {
  const base = { synthetic_request_generator_config_num_requests: 10, replica_config_device: "h100" };
  assert.match(String(simulate(resolveOptions(base)).summary.node_mismatch), /built for a100-80gb/);
  assert.not.ok("node_mismatch" in simulate(resolveOptions({ ...base, replica_config_network_device: "h100_dgx" })).summary);
  const r = await runCli(
    "simulate",
    "--replica_config_device",
    "h100",
    "--replica_config_network_device",
    "h100_pairwise_nvlink",
    "--synthetic_request_generator_config_num_requests",
    "10",
    "--output-dir",
    tempDir("tw-node-"),
  );
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /; note: h100-sxm is an SXM GPU/);
});

test.run();
