/**
 * `tokenwatt predict`: the predicted time, FLOPs and bytes of one batch stage, per operator.
 *
 * @example
 * tokenwatt predict --model meta-llama/Llama-2-7b-hf --device a100 --prefill 512,256 --kv 1024   # two chunks at 1024 context
 * tokenwatt predict --model codellama-34b --tp 2 --decode 32 --kv 2048                           # 32 decodes at 2048 context
 * tokenwatt predict --model codellama-34b --tp 2 --source op-tables --op-tables DIR --prefill 300@2048 --table
 */
import type { DeviceProfile } from "../../profiles/profile-types.js";
import type { Command } from "commander";
import { clip, InputError } from "../../core/errors.js";
import { findDevice, findModel, findNode } from "../../profiles/catalog.js";
import { predictBatch, SOURCES, type BatchRequest } from "../../predictor/index.js";

export function register(program: Command): void {
  program
    .command("predict")
    .description("predict one batch stage's execution time per operator (ms), with FLOPs and bytes")
    .option("--model <name>", "model name or alias", "meta-llama/Llama-2-7b-hf")
    .option("--device <name>", "device name or alias", "a100")
    .option("--network-device <name>", "node type (default: the device's usual node, e.g. h100_dgx for h100); alias --node")
    .option("--node <name>", "same as --network-device")
    .option("--tp <n>", "tensor parallel size", "1")
    .option("--pp <n>", "pipeline stages", "1")
    .option("--stage <n>", "pipeline stage of this batch (0-based)", "0")
    .option("--source <name>", `predictor source: ${Object.keys(SOURCES).join(", ")}`, "roofline")
    .option("--profile-dir <dir>", "Vidur data/profiling directory (source profile)")
    .option("--op-tables <dir>", "Vidur op-table directory (source op-tables)")
    .option("--precision <p>", "weight precision: fp16 or fp8", "fp16")
    .option("--max-tokens <n>", "prediction grid: max tokens per request", "4096")
    .option("--prefill <chunks...>", "prefill chunks N[,N...] (tokens this iteration) at --kv context; N@K sets one chunk's context")
    .option("--decode <count>", "number of decode requests, each at --kv tokens of context")
    .option("--kv <tokens>", "tokens already processed (KV context) of the --prefill chunks and --decode requests", "0")
    .option("--table", "print a table instead of JSON")
    .option("--json", "print JSON (the default)")
    .action((o: Record<string, string | string[] | boolean | undefined>) => {
      const model = findModel(String(o.model));
      const device = findDevice(String(o.device));
      const nodeName = o.networkDevice ?? o.node;
      const node = findNode(nodeName ? String(nodeName) : defaultNode(device));
      const kv = int("--kv", String(o.kv), 0);
      const chunks = ((o.prefill as string[] | undefined) ?? []).flatMap((s) => s.split(",")).filter((s) => s !== "");
      const decodes = o.decode === undefined ? 0 : int("--decode", String(o.decode), 0, MAX_DECODE_REQUESTS);
      const requests: BatchRequest[] = [
        ...chunks.map((s) => parsePrefill(s, kv)),
        ...Array.from({ length: decodes }, () => ({ tokens: 1, processed: kv, prefill: false })),
      ];
      if (!requests.length) throw new InputError("predict: give at least one --prefill or --decode request");
      const maxTokens = int("--max-tokens", String(o.maxTokens), 1, 1 << 20);
      const precision = String(o.precision);
      if (precision !== "fp16" && precision !== "fp8") throw new InputError(`--precision must be fp16 or fp8, got "${precision}"`);
      const p = predictBatch(
        String(o.source),
        {
          model,
          device,
          node,
          tp: int("--tp", String(o.tp), 1, 1024),
          pp: int("--pp", String(o.pp), 1, 1024),
          maxTokens,
          maxBatch: 128,
          maxChunk: maxTokens,
          g: 64,
          precision,
          profileDir: o.profileDir as string | undefined,
          opTablesDir: o.opTables as string | undefined,
        },
        { requests, stage: int("--stage", String(o.stage), 0) },
      );
      if (!o.table) {
        console.log(JSON.stringify(p, null, 2));
        return;
      }
      console.log(`${model.name} on ${device.name} (${node.name}), TP ${o.tp} PP ${o.pp}, source ${o.source}`);
      console.log(`${"op".padEnd(26)}${"ms".padStart(10)}${"GFLOP".padStart(12)}${"MB".padStart(12)}  source`);
      for (const [name, v] of Object.entries(p.ops)) {
        console.log(
          `${name.padEnd(26)}${v.ms.toFixed(4).padStart(10)}${(v.flops / 1e9).toFixed(2).padStart(12)}${(v.bytes / 1e6).toFixed(2).padStart(12)}  ${v.source}`,
        );
      }
      console.log(
        `${"total".padEnd(26)}${p.total_ms.toFixed(4).padStart(10)}${(p.flops / 1e9).toFixed(2).padStart(12)}${(p.bytes / 1e6).toFixed(2).padStart(12)}`,
      );
    });
}

/** The device's usual node (profiles/devices/*.json usual_node), else Vidur's <device>_pairwise_nvlink. */
function defaultNode(device: DeviceProfile): string {
  return device.usual_node ?? `${device.aliases?.[0] ?? device.name}_pairwise_nvlink`;
}

/** Largest --decode count: one batch of decode requests (Vidur's batch caps are in the hundreds). */
const MAX_DECODE_REQUESTS = 1_000_000;

function int(flag: string, v: string, min: number, max = 2 ** 31 - 1): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InputError(`${flag} must be an integer >= ${min} and <= ${max}, got ${JSON.stringify(clip(v))}`);
  return n;
}

function parsePrefill(s: string, kv: number): BatchRequest {
  const [t, p] = s.split("@");
  return { tokens: int("--prefill", t ?? "", 1), processed: p === undefined ? kv : int("--prefill (after @)", p, 0), prefill: true };
}
