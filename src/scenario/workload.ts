/**
 * Scenario step 3: the request stream. closed_loop maps onto synthetic lengths arriving at t = 0; a workload the
 * engine could not hold is refused before it is generated (synthetic counts are known up front) and after.
 *
 * @example
 * resolveWorkload(options, { energy: true, baseDir: "." }).requests.arrivedAt.length;
 */
import type { Options } from "../config/options.js";
import { InputError } from "../core/errors.js";
import type { RequestStream } from "../core/types.js";
import type { GenerateOptions, WorkloadConfig } from "../workload/config.js";
import { generateRequests, requestBlocks, type RequestBlocks } from "../workload/index.js";
import { checkEngineCapacity } from "./engine-limits.js";

/** The workload flags with closed_loop mapped onto synthetic lengths arriving at t = 0. */
export function workloadConfig(o: Options): WorkloadConfig {
  const cfg: WorkloadConfig = { ...o };
  if (o.request_generator_config_type === "closed_loop") {
    cfg.request_generator_config_type = "synthetic";
    cfg.interval_generator_config_type = "static";
    if (cfg.synthetic_request_generator_config_num_requests == null) {
      throw new InputError("closed_loop needs --synthetic_request_generator_config_num_requests (total requests)");
    }
  }
  return cfg;
}

export type GenerateRequests = (cfg: WorkloadConfig, opts: GenerateOptions) => RequestStream;

/** The stream of a scenario whose workload is taken in blocks (Scenario.requestBlocks). */
export const EMPTY_STREAM: RequestStream = Object.freeze({
  arrivedAt: new Float64Array(0),
  numPrefillTokens: new Int32Array(0),
  numDecodeTokens: new Int32Array(0),
});

/**
 * The workload block by block (src/workload/index.ts requestBlocks), within the engine's capacity, or undefined
 * where it must be generated whole.
 */
export function resolveRequestBlocks(workload: WorkloadConfig, energy: boolean, baseDir: string): RequestBlocks | undefined {
  const planned = workload.synthetic_request_generator_config_num_requests;
  if (workload.synthetic_request_generator_config_duration == null && typeof planned === "number") {
    checkEngineCapacity(planned, energy, "--synthetic_request_generator_config_num_requests");
  }
  const blocks = requestBlocks(workload, { baseDir });
  if (blocks) checkEngineCapacity(blocks.count, energy, "the workload");
  return blocks;
}

/** Generates the request stream of `workload`, within the engine's capacity (energy state costs memory too). */
export function resolveRequests(
  workload: WorkloadConfig,
  energy: boolean,
  baseDir: string,
  generate: GenerateRequests = generateRequests,
): RequestStream {
  const planned = workload.synthetic_request_generator_config_num_requests;
  if (workload.synthetic_request_generator_config_duration == null && typeof planned === "number") {
    checkEngineCapacity(planned, energy, "--synthetic_request_generator_config_num_requests");
  }
  const requests = generate(workload, { baseDir });
  checkEngineCapacity(requests.arrivedAt.length, energy, "the workload");
  return requests;
}
