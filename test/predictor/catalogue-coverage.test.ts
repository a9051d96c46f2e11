import { test } from "uvu";
import * as assert from "uvu/assert";
import { getDefaultCatalog, findDevice } from "../../src/profiles/catalog.js";
import { makeRoofline } from "../../src/predictor/roofline.js";
import { planMemory } from "../../src/profiles/memory-planner.js";

test("roofline gives finite positive times for every catalogue node × model at TP 1 (TP 2 where allowed)", () => {
  const cat = getDefaultCatalog();
  for (const node of cat.nodes) {
    const device = findDevice(node.device);
    for (const model of cat.models) {
      const tp = model.no_tensor_parallel ? 1 : 2;
      const rf = makeRoofline(model, device, node, { tp, pp: 2 });
      const v = [rf.tokenOp("mlp_up_proj", 128).ms, rf.tokenOp("send_recv", 128).ms, rf.decode(8, 1024).ms, rf.prefill(512, 512).ms];
      if (tp > 1) v.push(rf.tokenOp("all_reduce", 128).ms);
      assert.ok(
        v.every((x) => Number.isFinite(x) && x > 0),
        `${model.name} on ${node.name}: ${v}`,
      );
    }
  }
});

test("Llama-3.1-405B fits 8×H200 at TP 8 but not one A100 (memory planner)", () => {
  const cat = getDefaultCatalog();
  const m = cat.models.find((x) => x.name === "meta-llama/Llama-3.1-405B")!;
  assert.ok(planMemory({ model: m, device: findDevice("h200"), tp: 8, pp: 1, maxTokens: 4096 }).maxBatchSize > 0);
  assert.throws(() => planMemory({ model: m, device: findDevice("a100"), tp: 1, pp: 1, maxTokens: 4096 }), /GB of weights per device/);
});

test.run();
