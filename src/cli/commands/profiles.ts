/**
 * `tokenwatt profiles list` (the catalogue) and `tokenwatt profiles check --profile-dir DIR` (predictor
 * accuracy against Vidur's profiling data: 10-fold CV MAPE of the profile predictor, MAPE of the roofline).
 *
 * @example
 * tokenwatt profiles list
 * tokenwatt profiles check --profile-dir ../shared/data/vidur/profiling
 */
import type { Command } from "commander";
import { getDefaultCatalog, loadCatalog } from "../../profiles/catalog.js";
import { accuracyTable } from "../../predictor/accuracy.js";
import { defaultVidurProfileDir } from "../../predictor/calibrate.js";

export function register(program: Command): void {
  const profiles = program.command("profiles").description("the model/device/node catalogue and predictor accuracy");
  profiles
    .command("list")
    .description("list models, devices and nodes (name, aliases, key figures)")
    .option("--dir <dir>", "catalogue directory (default: the package's profiles/)")
    .action((o: { dir?: string }) => {
      const cat = o.dir ? loadCatalog(o.dir) : getDefaultCatalog();
      const al = (a?: string[]) => (a?.length ? ` (${a.join(", ")})` : "");
      console.log("models:");
      for (const m of cat.models)
        console.log(
          `  ${m.name}${al(m.aliases)}: ${m.num_layers} layers, ${m.num_q_heads}/${m.num_kv_heads} heads, d ${m.embedding_dim}, mlp ${m.mlp_hidden_dim}`,
        );
      console.log("devices:");
      for (const d of cat.devices)
        console.log(
          `  ${d.name}${al(d.aliases)}: ${d.fp16_tflops} TFLOP/s fp16, ${d.total_memory_gb} GB, ${d.memory_bandwidth_gbps ?? "?"} GB/s, TDP ${d.tdp_w ?? "?"} W`,
        );
      console.log("nodes:");
      for (const n of cat.nodes)
        console.log(
          `  ${n.name}${al(n.aliases)}: ${n.num_devices_per_node}× ${n.device}, ${n.topology}, ${n.intra_node_bandwidth_gbps} GB/s intra`,
        );
    });
  profiles
    .command("check")
    .description("accuracy table: 10-fold CV MAPE of the profile predictor and MAPE of the roofline, per op and device")
    .option("--profile-dir <dir>", "Vidur data/profiling directory", defaultVidurProfileDir())
    .option("--json", "print JSON")
    .action((o: { profileDir: string; json?: boolean }) => {
      const rows = accuracyTable(o.profileDir);
      if (o.json) return void console.log(JSON.stringify(rows, null, 2));
      console.log(
        `${"device".padEnd(8)}${"op".padEnd(26)}${"rows".padStart(7)}${"profile CV MAPE %".padStart(19)}${"roofline MAPE %".padStart(17)}`,
      );
      for (const r of rows)
        console.log(
          `${r.device.padEnd(8)}${r.op.padEnd(26)}${String(r.rows).padStart(7)}${r.cvMape.toFixed(2).padStart(19)}${r.rooflineMape.toFixed(2).padStart(17)}`,
        );
    });
}
