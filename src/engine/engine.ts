/**
 * Runs one resolved scenario in the WASM engine: writes the config block, request columns and op tables into
 * WASM memory once, makes a single run() call, then copies results out of typed-array views.
 *
 * @example
 * const result = runEngine(scenario);          // uses a per-process engine instance
 * console.log(result.makespan, result.batches.size.length);
 */
import * as abi from "../../assembly/abi.js";
import { DDSketch } from "../core/ddsketch.js";
import { InputError } from "../core/errors.js";
import { checkInputReservation, trapsAsCapacityErrors } from "../scenario/engine-limits.js";
import { TOKEN_OPS, type OpTables, type RequestStream } from "../core/types.js";
import { requestCount, type Scenario } from "../scenario/types.js";
import { REQUEST_BLOCK_ROWS } from "../workload/index.js";
import { instantiateEngine, type EngineExports } from "./wasm.js";
import { CONFIG_SLOTS, settingAt, writeSettings } from "./settings/index.js";
import { replicaSchedulerByName } from "../plugins/replica-schedulers/index.js";
import type { EngineEnergy, EngineResult, MeterStats } from "./result.js";

const OP_INDEX: Record<string, number> = {
  attn_pre_proj: abi.OP_ATTN_PRE_PROJ,
  attn_post_proj: abi.OP_ATTN_POST_PROJ,
  attn_rope: abi.OP_ATTN_ROPE,
  input_layernorm: abi.OP_INPUT_LAYERNORM,
  mlp_up_proj: abi.OP_MLP_UP_PROJ,
  mlp_down_proj: abi.OP_MLP_DOWN_PROJ,
  mlp_act: abi.OP_MLP_ACT,
  post_attention_layernorm: abi.OP_POST_ATTENTION_LAYERNORM,
  add: abi.OP_ADD,
  all_reduce: abi.OP_ALL_REDUCE,
  send_recv: abi.OP_SEND_RECV,
};
export const OP_NAMES: string[] = (() => {
  const names: string[] = [];
  for (const [name, idx] of Object.entries(OP_INDEX)) names[idx] = name;
  names[abi.OP_ATTN_KV_CACHE_SAVE] = "attn_kv_cache_save";
  names[abi.OP_ATTN_DECODE] = "attn_decode";
  names[abi.OP_ATTN_PREFILL] = "attn_prefill";
  return names;
})();

let shared: EngineExports | undefined;

/** The per-process (per-worker) engine instance, created on first use and reused across runs. */
export function defaultEngine(): EngineExports {
  shared ??= instantiateEngine();
  return shared;
}

function writeConfig(e: EngineExports, s: Scenario): void {
  writeSettings(new Float64Array(e.memory.buffer, e.configPtr(), CONFIG_SLOTS), s);
}

function writeCiTable(e: EngineExports, s: Scenario): void {
  const tb = s.power?.carbon.table;
  if (!tb) return;
  const n = tb.t.length;
  const ptr = e.ciTablePtr(n, tb.end); // may grow memory: take the buffer afterwards
  const view = new Float64Array(e.memory.buffer, ptr, 4 * n);
  view.set(tb.t, 0);
  view.set(tb.v, n);
  view.set(tb.s, 2 * n);
  view.set(tb.c, 3 * n);
}

/** One field of interleaved per-request pairs (a plain loop: TypedArray#filter would box every element). */
function deinterleave(pairs: Float64Array, field: number): Float64Array {
  const n = pairs.length / abi.ER_FIELDS;
  const out = new Float64Array(n);
  for (let i = 0, k = field; i < n; i++, k += abi.ER_FIELDS) out[i] = pairs[k];
  return out;
}

function setRequestPairs(energy: EngineEnergy, pairs: Float64Array): void {
  energy.requestPairs = pairs;
}

function readEnergy(e: EngineExports, s: Scenario, nb: number, ns: number, copy: boolean): EngineEnergy | undefined {
  if (!s.power) return undefined;
  const buf = e.memory.buffer;
  const f64 = (ptr: number, len: number) => (copy ? new Float64Array(buf, ptr, len).slice() : new Float64Array(buf, ptr, len));
  const nEb = e.energyBatchCount();
  if (nEb !== nb) throw new Error(`engine: ${nEb} batch energy records for ${nb} batches`);
  const tot = new Float64Array(buf, e.energyReplicaPtr(), s.numReplicas * abi.EP_FIELDS);
  const nes = e.energyStageCount();
  const stage = (f: number) => (nes === ns && ns > 0 ? f64(e.energyStagePtr(f), ns) : new Float64Array(0));
  return {
    endS: e.energyEnd(),
    peakPowerW: e.energyPeakPower(),
    requestPairs: new Float64Array(0), // filled by runEngine (rows leave the engine in chunks)
    get requestEnergyJ() {
      return deinterleave(this.requestPairs, abi.ER_ENERGY_J);
    },
    get requestCiJ() {
      return deinterleave(this.requestPairs, abi.ER_CI_J);
    },
    batchEnergyJ: f64(e.energyBatchPtr(abi.EB_ENERGY_J), nb),
    batchCiJ: f64(e.energyBatchPtr(abi.EB_CI_J), nb),
    batchAvgPowerW: f64(e.energyBatchPtr(abi.EB_AVG_POWER_W), nb),
    replicas: Array.from({ length: s.numReplicas }, (_, r) => {
      const b = r * abi.EP_FIELDS;
      return {
        busyJ: tot[b + abi.EP_BUSY_J],
        idleJ: tot[b + abi.EP_IDLE_J],
        busyCiJ: tot[b + abi.EP_BUSY_CI_J],
        idleCiJ: tot[b + abi.EP_IDLE_CI_J],
        busyGpuS: tot[b + abi.EP_BUSY_GPU_S],
      };
    }),
    timeline: Array.from({ length: s.numReplicas }, (_, r) => {
      const len = e.timelineLength(r);
      return { excessJ: f64(e.timelinePtr(r, 0), len), excessCiJ: f64(e.timelinePtr(r, 1), len) };
    }),
    stages: {
      powerW: stage(abi.ES_POWER_W),
      computeUtil: stage(abi.ES_COMPUTE_UTIL),
      memoryUtil: stage(abi.ES_MEMORY_UTIL),
      clock: stage(abi.ES_CLOCK),
    },
  };
}

function writeOpTables(e: EngineExports, ot: OpTables): void {
  const put = (op: number, values: Float64Array): void => {
    const ptr = e.opTablePtr(op, values.length);
    new Float64Array(e.memory.buffer, ptr, values.length).set(values);
  };
  for (const name of TOKEN_OPS) {
    const values = ot.tokenOps[name];
    if (values) put(OP_INDEX[name], values);
  }
  put(abi.OP_ATTN_KV_CACHE_SAVE, ot.attnKvCacheSave);
  put(abi.OP_ATTN_DECODE, ot.attnDecode);
  put(abi.OP_ATTN_PREFILL, ot.attnPrefill);
}

/** The chosen replica scheduler's flag prefix, e.g. "sarathi_scheduler_config". */
const flagPrefix = (s: Scenario): string => replicaSchedulerByName(s.replicaScheduler.name).prefix;

function engineError(e: EngineExports, code: number, s: Scenario): InputError {
  const a = e.errorArg(0),
    b = e.errorArg(1),
    c = e.errorArg(2);
  const ot = s.opTables;
  switch (code) {
    case abi.ERR_OP_KEY: {
      const op = OP_NAMES[a] ?? `op ${a}`;
      if (b < 0) return new InputError(`op tables: no table for ${op} (required for this scenario)`);
      // A key inside the grid whose cell is NaN: the file has no row for it (a sparse prediction cache).
      const missing = (key: string): InputError => {
        const src = ot.sources[op] ?? "";
        const file = src.startsWith("op-tables:") ? src.slice("op-tables:".length) : op;
        return new InputError(`${file}: ${op} has no prediction for ${key}, which this run needs (the table is sparse; add that row)`);
      };
      // Outside the grid: tables from files are extended by adding rows; built tables by their grid flag.
      const fromFiles = (ot.sources[op] ?? "").startsWith("op-tables:");
      const P = "--random_forrest_execution_time_predictor_config_prediction_";
      const fix = (flag: string) =>
        fromFiles ? `the op-table files end there: add rows to ${ot.sources[op]!.slice("op-tables:".length)}` : `raise ${P}${flag}`;
      if (op === "attn_decode") {
        if (b <= ot.decodeMaxBatch && c / ot.kvGranularity < ot.decodeKvSteps) return missing(`batch_size=${b}, kv_cache_size=${c}`);
        const which = b > ot.decodeMaxBatch ? "max_batch_size" : "max_tokens_per_request";
        return new InputError(
          `op tables: attn_decode has no entry for batch_size=${b}, kv_cache_size=${c} ` +
            `(table covers batch 1..${ot.decodeMaxBatch}, kv 0..${(ot.decodeKvSteps - 1) * ot.kvGranularity}); ` +
            `${fix(which)}, or lower --${flagPrefix(s)}_batch_size_cap or the request lengths`,
        );
      }
      if (op === "attn_prefill") {
        if (Math.sqrt(c) <= ot.prefillMaxChunk && b / ot.kvGranularity < ot.prefillKvSteps) {
          return missing(`kv_cache_size=${b}, prefill_chunk_size_squared=${c}`);
        }
        const which = Math.sqrt(c) > ot.prefillMaxChunk ? "max_prefill_chunk_size" : "max_tokens_per_request";
        return new InputError(
          `op tables: attn_prefill has no entry for kv_cache_size=${b}, prefill_chunk_size_squared=${c} ` +
            `(table covers kv 0..${(ot.prefillKvSteps - 1) * ot.kvGranularity}, chunk 1..${ot.prefillMaxChunk}); ${fix(which)}`,
        );
      }
      if (b <= ot.maxTokens) return missing(`num_tokens=${b}`);
      return new InputError(
        `op tables: ${op} has no entry for num_tokens=${b} (tables cover 1..${ot.maxTokens}): a batch needs more tokens ` +
          `than the tables were built for; ${fix("max_tokens_per_request")}, or lower the batch token budget`,
      );
    }
    case abi.ERR_UNSCHEDULABLE:
    case abi.ERR_STALLED:
      return new InputError(
        `${a} request(s) could never be scheduled (first: request ${b} with ${c} prompt tokens); ` +
          (s.replicaScheduler.name === "vllm" || s.replicaScheduler.name === "lightllm"
            ? `--${s.replicaScheduler.name}_scheduler_config_max_tokens_in_batch (${s.replicaScheduler.maxTokensInBatch}) must be at least the longest prompt, and the KV cache (${s.replicaScheduler.numBlocks} blocks) must hold it`
            : `the KV cache (${s.replicaScheduler.numBlocks} blocks of ${s.replicaScheduler.blockSize} tokens) must hold the longest request`),
      );
    case abi.ERR_LIGHTLLM_OOM:
      return new InputError(
        `lightllm ran out of KV memory on replica ${a} while decoding ${b} requests (${c} free tokens); ` +
          `Vidur raises "OOM handling not implemented yet" here too: lower the load or raise --lightllm_scheduler_config_num_blocks`,
      );
    case abi.ERR_BAD_CONFIG: {
      const setting = settingAt(a);
      // `*` in a setting's option stands for the chosen replica scheduler (its own flags)
      const option = setting?.option?.replace("*", s.replicaScheduler.name);
      const what = option ? `--${option}` : `engine setting ${setting?.name ?? a}`;
      return new InputError(`${what}: invalid value for the engine (${setting?.doc ?? "unknown setting"})`);
    }
    default:
      return new InputError(`engine failed with status ${code}`);
  }
}

function meterStats(view: Float64Array, kind: number, index: number, slotsPerKind: number): MeterStats {
  const base = (kind * slotsPerKind + index) * abi.METER_FIELDS;
  const denom = view[base + abi.METER_DENOM];
  return {
    min: view[base + abi.METER_MIN],
    max: view[base + abi.METER_MAX],
    weightedMean: denom === 0 ? Number.NaN : view[base + abi.METER_NUMER] / denom,
    updateMean: view[base + abi.METER_SUM] / view[base + abi.METER_COUNT],
  };
}

/** Runs the scenario to completion. Throws InputError for problems caused by the inputs. */
export interface RunEngineOptions {
  /**
   * false: batch, stage and TBT columns are views on the engine's memory instead of copies — valid only until
   * the engine runs again. For callers that consume the result before the next run (sweep workers), to save
   * the copy. Request columns are always the host's (they leave the engine in chunks while it runs).
   */
  copyResults?: boolean;
  /** Called after every input is written, just before run(): more inputs for the same run (the microgrid's). */
  beforeRun?: (engine: EngineExports) => void;
}

/**
 * Rows [start, start + rows) of the request columns (index = id - start), as they leave the engine while it
 * runs. Views on engine memory: valid until the engine continues (the next chunk, or the end of the run).
 */
export interface RequestChunk {
  start: number;
  rows: number;
  arrivedAt: Float64Array;
  scheduledAt: Float64Array;
  prefillCompletedAt: Float64Array;
  completedAt: Float64Array;
  executionTime: Float64Array;
  preemptedTime: Float64Array;
  numPrefillTokens: Int32Array;
  numDecodeTokens: Int32Array;
  numRestarts: Int32Array;
  replica: Int32Array;
  completed: Int32Array;
  /** With energy accounting: abi.ER_FIELDS interleaved values per row (energy J, CI integral). */
  energyPairs?: Float64Array;
  /**
   * The rows' request inputs as generated (index j = request start + j): lengths before restarts, classes and
   * deadlines. The scenario's arrivals (closed loop: the engine's are in `arrivedAt`).
   */
  inputs?: RequestStream;
}

function requestChunk(e: EngineExports, energy: boolean): RequestChunk {
  const buf = e.memory.buffer;
  const rows = e.chunkRows();
  const f = (field: number) => new Float64Array(buf, e.requestF64Ptr(field), rows);
  const i = (field: number) => new Int32Array(buf, e.requestI32Ptr(field), rows);
  return {
    start: e.chunkStart(),
    rows,
    arrivedAt: f(abi.RQ_ARRIVED_AT),
    scheduledAt: f(abi.RQ_SCHEDULED_AT),
    prefillCompletedAt: f(abi.RQ_PREFILL_COMPLETED_AT),
    completedAt: f(abi.RQ_COMPLETED_AT),
    executionTime: f(abi.RQ_EXECUTION_TIME),
    preemptedTime: f(abi.RQ_PREEMPTED_TIME),
    numPrefillTokens: i(abi.RQ_PREFILL_TOKENS),
    numDecodeTokens: i(abi.RQ_DECODE_TOKENS),
    numRestarts: i(abi.RQ_NUM_RESTARTS),
    replica: i(abi.RQ_REPLICA),
    completed: i(abi.RQ_COMPLETED),
    energyPairs: energy ? new Float64Array(buf, e.energyRequestPtr(), abi.ER_FIELDS * rows) : undefined,
  };
}

/** A whole stream as REQUEST_BLOCK_ROWS-row views (the blocks a RequestBlocks workload comes in). */
function* wholeBlocks(q: RequestStream): Generator<RequestStream> {
  const n = q.arrivedAt.length;
  for (let a = 0; a < n; a += REQUEST_BLOCK_ROWS) {
    const b = Math.min(n, a + REQUEST_BLOCK_ROWS);
    const block: RequestStream = {
      arrivedAt: q.arrivedAt.subarray(a, b),
      numPrefillTokens: q.numPrefillTokens.subarray(a, b),
      numDecodeTokens: q.numDecodeTokens.subarray(a, b),
    };
    if (q.requestClass && q.deadlineS) {
      block.requestClass = q.requestClass.subarray(a, b);
      block.deadlineS = q.deadlineS.subarray(a, b);
    }
    yield block;
  }
}

/**
 * Writes the scenario's request inputs into the engine's input ring block by block as the loop asks for them
 * (slot = id & inputMask(), so a block may wrap around the ring's end): arrivals and lengths, the random
 * global scheduler's route table, and with a controller the classes and deadlines. Keeps each block until
 * the rows of its requests have left the engine: a chunk of rows leaves with its inputs (RequestChunk.inputs).
 */
class InputFeeder {
  private fed = 0;
  private readonly n: number;
  private readonly source: Iterator<RequestStream>;
  /** Blocks fed whose rows have not all left the engine, oldest first, with their first ids. */
  private readonly held: { start: number; block: RequestStream }[] = [];
  /** The random global scheduler's next draws (decision k goes to slot k, as ids do). */
  private readonly nextRoutes?: (rows: number) => Int32Array;

  constructor(
    private readonly e: EngineExports,
    private readonly s: Scenario,
    private readonly guarded: <T>(call: () => T) => T,
  ) {
    this.n = requestCount(s);
    this.source = s.requestBlocks ? s.requestBlocks.blocks() : wholeBlocks(s.requests);
    this.nextRoutes = s.globalScheduler === "random" ? s.routes!.reader() : undefined;
  }

  /** Feeds whole blocks until `count` more ids are in (or all of them); false when every id was fed already. */
  feed(count: number): boolean {
    const target = Math.min(this.n, this.fed + count);
    if (this.fed === target) {
      if (this.n > 0) return false;
      this.guarded(() => this.e.inputReserve(0)); // no requests: the ring still exists
      return true;
    }
    while (this.fed < target) {
      const next = this.source.next();
      if (next.done) throw new Error(`engine: the workload ended after ${this.fed} of ${this.n} requests`);
      if (next.value.arrivedAt.length > 0) this.write(next.value);
    }
    return true;
  }

  private write(block: RequestStream): void {
    const { e, s } = this;
    const start = this.fed;
    const len = block.arrivedAt.length;
    this.guarded(() => e.inputReserve(len)); // may grow memory: views afterwards
    const mask = e.inputMask();
    const capacity = mask === -1 ? Number.POSITIVE_INFINITY : mask + 1; // -1: every id at its own slot
    const buf = e.memory.buffer;
    const control = s.control !== undefined;
    const routes = this.nextRoutes?.(len);
    for (let j = 0; j < len; ) {
      const slot = (start + j) & mask;
      const k = Math.min(len, j + (capacity - slot));
      const rows = k - j;
      new Float64Array(buf, e.inputPtr(abi.IN_ARRIVED_AT) + 8 * slot, rows).set(block.arrivedAt.subarray(j, k));
      new Int32Array(buf, e.inputPtr(abi.IN_PREFILL_TOKENS) + 4 * slot, rows).set(block.numPrefillTokens.subarray(j, k));
      new Int32Array(buf, e.inputPtr(abi.IN_DECODE_TOKENS) + 4 * slot, rows).set(block.numDecodeTokens.subarray(j, k));
      if (routes) new Int32Array(buf, e.inputPtr(abi.IN_ROUTE) + 4 * slot, rows).set(routes.subarray(j, k));
      if (control) {
        const cls = new Int32Array(buf, e.inputPtr(abi.IN_CLASS) + 4 * slot, rows);
        const deadline = new Float64Array(buf, e.inputPtr(abi.IN_DEADLINE) + 8 * slot, rows);
        if (block.requestClass && block.deadlineS) {
          cls.set(block.requestClass.subarray(j, k));
          deadline.set(block.deadlineS.subarray(j, k));
        } else {
          cls.fill(0);
          deadline.fill(Number.NaN);
        }
      }
      j = k;
    }
    e.inputFed(len);
    this.held.push({ start, block });
    this.fed += len;
  }

  /** The inputs of rows [start, start + rows), a chunk leaving the engine; blocks before it are let go. */
  inputs(start: number, rows: number): RequestStream {
    const held = this.held;
    while (held.length > 0 && held[0].start + held[0].block.arrivedAt.length <= start) held.shift();
    const h = held[0];
    // chunks and blocks are both OUTPUT_CHUNK_ROWS = REQUEST_BLOCK_ROWS rows from id 0
    if (!h || h.start !== start || h.block.arrivedAt.length !== rows) {
      throw new Error(`engine: rows ${start}+${rows} left the engine out of step with the input blocks (${h?.start})`);
    }
    return h.block;
  }
}

/** Whole request columns, filled chunk by chunk (the non-streaming path). */
class RequestCollector {
  readonly f64: Float64Array[];
  readonly i32: Int32Array[];
  readonly pairs: Float64Array;
  constructor(n: number, energy: boolean) {
    this.f64 = Array.from({ length: 6 }, () => new Float64Array(n));
    this.i32 = Array.from({ length: 5 }, () => new Int32Array(n));
    this.pairs = new Float64Array(energy ? abi.ER_FIELDS * n : 0);
  }
  add(c: RequestChunk): void {
    const f = [c.arrivedAt, c.scheduledAt, c.prefillCompletedAt, c.completedAt, c.executionTime, c.preemptedTime];
    const i = [c.numPrefillTokens, c.numDecodeTokens, c.numRestarts, c.replica, c.completed];
    f.forEach((col, k) => this.f64[k].set(col, c.start));
    i.forEach((col, k) => this.i32[k].set(col, c.start));
    if (c.energyPairs) this.pairs.set(c.energyPairs, abi.ER_FIELDS * c.start);
  }
}

/**
 * Runs the scenario in the engine, yielding each chunk of finished request rows (in id order) as it leaves
 * the engine, and returns the rest of the result (its `requests` columns empty). The engine continues when
 * the caller asks for the next chunk, so a consumer may write, summarise or drop every chunk in between.
 *
 * @example
 * const run = engineRun(scenario);
 * for (let step = run.next(); !step.done; step = run.next()) console.log(step.value.start, step.value.rows);
 */
export function* engineRun(
  s: Scenario,
  engine: EngineExports = defaultEngine(),
  opts: RunEngineOptions = {},
): Generator<RequestChunk, EngineResult> {
  const copy = opts.copyResults !== false;
  const e = engine;
  const n = requestCount(s);
  const t0 = performance.now();
  // a failed allocation near the 4 GiB limit becomes an input error naming the request count
  const guarded = <T>(call: () => T): T => trapsAsCapacityErrors(() => e.memory.buffer.byteLength, n, call);
  writeConfig(e, s);
  const prep = guarded(() => e.prepare());
  if (prep !== 0) throw engineError(e, prep, s);
  if (s.globalScheduler === "random" && (!s.routes || s.routes.count < n)) {
    throw new Error("random global scheduler needs a route table");
  }
  writeOpTables(e, s.opTables);
  writeCiTable(e, s);
  opts.beforeRun?.(e);
  const inputBytes = abi.REQUEST_STATE_BYTES + (s.globalScheduler === "random" ? 4 : 0) + (s.control ? 4 + 8 : 0);
  checkInputReservation(n, inputBytes, e.heapEndPtr());
  // request inputs go in chunks as the loop reaches them (closed loop: all at once, the engine writes arrivals)
  const feeder = new InputFeeder(e, s, guarded);
  feeder.feed(s.closedLoopConcurrency ? n : abi.INPUT_CHUNK_ROWS);
  const t1 = performance.now();
  let loopMs = 0;
  let status = abi.STATUS_CHUNK;
  for (let first = true; status === abi.STATUS_CHUNK || status === abi.STATUS_NEED_INPUT; first = false) {
    const ts = performance.now();
    status = guarded(() => (first ? e.run() : e.resume()));
    loopMs += performance.now() - ts;
    if (status === abi.STATUS_NEED_INPUT) {
      if (!feeder.feed(abi.INPUT_CHUNK_ROWS)) throw new Error("engine: asked for request inputs past the last request");
      continue;
    }
    if (status !== abi.STATUS_OK && status !== abi.STATUS_TIME_LIMIT && status !== abi.STATUS_CHUNK) throw engineError(e, status, s);
    if (e.chunkRows() > 0) {
      const chunk = requestChunk(e, s.power !== undefined);
      chunk.inputs = feeder.inputs(chunk.start, chunk.rows);
      yield chunk;
    }
  }
  const t2 = performance.now();

  // TBT runs sorted and merged by value in WASM (quantiles need them sorted; a JS sort of ~160k runs costs
  // tens of ms before the JIT warms up). This allocates scratch: memory may grow, so take the buffer after.
  guarded(() => e.sortTbtRuns());
  // memory may have grown during run(): every view below is created now
  const buf = e.memory.buffer;
  const f64 = (ptr: number, len: number) => (copy ? new Float64Array(buf, ptr, len).slice() : new Float64Array(buf, ptr, len));
  const i32 = (ptr: number, len: number) => (copy ? new Int32Array(buf, ptr, len).slice() : new Int32Array(buf, ptr, len));
  const nb = e.batchCount();
  const ns = e.stageCount();
  const nt = e.tbtRunCount();
  const slots = s.numReplicas * s.numPipelineStages;
  const meters = new Float64Array(buf, e.metersPtr(), 3 * slots * abi.METER_FIELDS);
  const none = new Float64Array(0);
  const noneI = new Int32Array(0);
  const result: EngineResult = {
    status: status === abi.STATUS_OK ? "ok" : "time_limit",
    makespan: e.makespan(),
    counters: {
      events: e.counter(abi.CNT_EVENTS),
      batches: e.counter(abi.CNT_BATCHES),
      stages: e.counter(abi.CNT_STAGES),
      completedRequests: e.counter(abi.CNT_COMPLETED),
      restarts: e.counter(abi.CNT_RESTARTS),
      batchSizeSum: e.counter(abi.CNT_BATCH_SIZE_SUM),
      batchTokensSum: e.counter(abi.CNT_BATCH_TOKENS_SUM),
      batchExecutionTimeSum: e.counter(abi.CNT_BATCH_EXEC_SUM),
    },
    requests: {
      arrivedAt: none,
      scheduledAt: none,
      schedulingDelay: none,
      modelExecutionTime: none,
      prefillCompletedAt: none,
      completedAt: none,
      executionTime: none,
      preemptedTime: none,
      numPrefillTokens: noneI,
      numDecodeTokens: noneI,
      numRestarts: noneI,
      replica: noneI,
      completed: noneI,
      originalPrefillTokens: s.requests.numPrefillTokens,
      originalDecodeTokens: s.requests.numDecodeTokens,
    },
    batches: {
      id: i32(e.batchI32Ptr(abi.BR_ID), nb),
      replica: i32(e.batchI32Ptr(abi.BR_REPLICA), nb),
      size: i32(e.batchI32Ptr(abi.BR_SIZE), nb),
      numTokens: i32(e.batchI32Ptr(abi.BR_NUM_TOKENS), nb),
      numPrefillTokens: i32(e.batchI32Ptr(abi.BR_PREFILL_TOKENS), nb),
      scheduledAt: f64(e.batchF64Ptr(abi.BR_SCHEDULED_AT), nb),
      completedAt: f64(e.batchF64Ptr(abi.BR_COMPLETED_AT), nb),
    },
    stages: {
      replica: i32(e.stageI32Ptr(abi.SR_REPLICA), ns),
      stage: i32(e.stageI32Ptr(abi.SR_STAGE), ns),
      batchId: i32(e.stageI32Ptr(abi.SR_BATCH_ID), ns),
      size: i32(e.stageI32Ptr(abi.SR_SIZE), ns),
      numTokens: i32(e.stageI32Ptr(abi.SR_NUM_TOKENS), ns),
      start: f64(e.stageF64Ptr(abi.SR_START), ns),
      end: f64(e.stageF64Ptr(abi.SR_END), ns),
      mfu: f64(e.stageF64Ptr(abi.SR_MFU), ns),
    },
    tbt: {
      values: f64(e.tbtValuesPtr(), nt),
      counts: new Uint32Array(buf.slice(e.tbtCountsPtr(), e.tbtCountsPtr() + 4 * nt)),
      ...(e.tbtSketched() ? { sketch: readTbtSketch(e) } : {}),
    },
    meters: {
      memory: Array.from({ length: s.numReplicas }, (_, r) => meterStats(meters, abi.METER_MEMORY, r, slots)),
      busy: Array.from({ length: slots }, (_, i) => meterStats(meters, abi.METER_BUSY, i, slots)),
      mfu: Array.from({ length: slots }, (_, i) => meterStats(meters, abi.METER_MFU, i, slots)),
    },
    timings: { setupMs: t1 - t0, loopMs, copyOutMs: 0 },
  };
  const energy = readEnergy(e, s, nb, ns, copy);
  if (energy) result.energy = energy;
  result.timings.copyOutMs = performance.now() - t2;
  return result;
}

/** The engine's TBT sketch (assembly/tbt-sketch.ts) as a host DDSketch (same bucket mapping). */
function readTbtSketch(e: EngineExports): DDSketch {
  const counts = (sign: number) => Array.from(new Float64Array(e.memory.buffer, e.tbtSketchPtr(sign), abi.TBT_SKETCH_BUCKETS));
  return DDSketch.fromJSON({
    alpha: abi.TBT_SKETCH_ALPHA,
    count: e.tbtSketchStat(0),
    zeros: e.tbtSketchStat(1),
    min: e.tbtSketchStat(2),
    max: e.tbtSketchStat(3),
    sum: e.tbtSketchStat(4),
    positive: { offset: abi.TBT_SKETCH_OFFSET, counts: counts(0) },
    negative: { offset: abi.TBT_SKETCH_OFFSET, counts: counts(1) },
  });
}

/** Fills a result's request columns (and energy pairs) from whole columns collected chunk by chunk. */
function attachRequests(result: EngineResult, c: RequestCollector): void {
  const q = result.requests;
  [q.arrivedAt, q.scheduledAt, q.prefillCompletedAt, q.completedAt, q.executionTime, q.preemptedTime] = c.f64;
  [q.numPrefillTokens, q.numDecodeTokens, q.numRestarts, q.replica, q.completed] = c.i32;
  // derived exactly as the engine would have: Vidur's scheduling_delay is t - arrived_at at the first schedule,
  // and model execution time equals execution time (no CPU overheads)
  let delay: Float64Array | undefined;
  Object.defineProperty(q, "schedulingDelay", {
    get: () => (delay ??= q.scheduledAt.map((t, i) => t - q.arrivedAt[i])), // on first use: n doubles
    enumerable: true,
  });
  q.modelExecutionTime = q.executionTime;
  if (result.energy) setRequestPairs(result.energy, c.pairs);
}

/** Runs the scenario to completion, with whole request columns. Throws InputError for problems caused by the inputs. */
export function runEngine(s: Scenario, engine: EngineExports = defaultEngine(), opts: RunEngineOptions = {}): EngineResult {
  if (s.requestBlocks) throw new Error("runEngine needs the whole request stream: the scenario's workload is in blocks (use engineRun)");
  const collector = new RequestCollector(s.requests.arrivedAt.length, s.power !== undefined);
  const run = engineRun(s, engine, opts);
  let step = run.next();
  for (; !step.done; step = run.next()) collector.add(step.value);
  attachRequests(step.value, collector);
  return step.value;
}
