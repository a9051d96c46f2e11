// The binary interface between the TypeScript host and the WASM engine: op-table kinds, error codes, event
// types and the field numbers of result columns. This file is valid AssemblyScript *and* TypeScript (plain
// integer constants only) so both sides import the same numbers. The config block and plug-in codes are not
// here: they are generated from the host's tables (src/engine/settings/, assembly/generated/).

// ---- op tables (setOpTable kind) ----
export const OP_ATTN_PRE_PROJ = 0;
export const OP_ATTN_POST_PROJ = 1;
export const OP_ATTN_ROPE = 2;
export const OP_INPUT_LAYERNORM = 3;
export const OP_MLP_UP_PROJ = 4;
export const OP_MLP_DOWN_PROJ = 5;
export const OP_MLP_ACT = 6;
export const OP_POST_ATTENTION_LAYERNORM = 7;
export const OP_ADD = 8;
export const OP_ALL_REDUCE = 9;
export const OP_SEND_RECV = 10;
export const OP_ATTN_KV_CACHE_SAVE = 11;
export const OP_ATTN_DECODE = 12;
export const OP_ATTN_PREFILL = 13;
export const NUM_OPS = 14;

// ---- run status (run() return value; details via errorArg(i)) ----
export const STATUS_OK = 0;
export const STATUS_TIME_LIMIT = 1; // stopped at the simulated time limit (not an error)
export const STATUS_CHUNK = 2; // paused: a chunk of finished request rows waits in the output columns; call resume()
export const STATUS_NEED_INPUT = 3; // paused: the next request's inputs are not written yet; feed more (inputReserve), resume()
export const ERR_OP_KEY = 10; // args: op, key1, key2
export const ERR_UNSCHEDULABLE = 11; // args: replica, request, prefill tokens; nothing can ever run it
export const ERR_LIGHTLLM_OOM = 12; // args: replica, running requests, free blocks
export const ERR_BAD_CONFIG = 13; // args: config slot (src/engine/settings: settingAt(slot) names its option)
export const ERR_STALLED = 14; // queue empty but requests left: args: unfinished requests, replica

// ---- event types (the order Vidur's handlers are listed in; ties are broken by creation order only) ----
export const EV_REQUEST_ARRIVAL = 1;
export const EV_GLOBAL_SCHEDULE = 2;
export const EV_REPLICA_SCHEDULE = 3;
export const EV_BATCH_STAGE_ARRIVAL = 4;
export const EV_REPLICA_STAGE_SCHEDULE = 5;
export const EV_BATCH_STAGE_END = 6;
export const EV_BATCH_END = 7;
export const EV_CONTROL_TICK = 8; // reserved: periodic controller (grid co-simulation)

// ---- request output chunks (requestF64Ptr / requestI32Ptr(field), rows chunkStart() + [0, chunkRows())) ----
// Request state lives in a ring of slots indexed by id & mask, recycled once a row has left in a chunk, so
// engine memory depends on the requests in flight, not on the requests simulated. Rows leave in id order.
export const OUTPUT_CHUNK_ROWS = 16384;
// ---- request inputs (inputPtr(column) at slot id & inputMask()), fed by the host in chunks ----
export const INPUT_CHUNK_ROWS = 65536;
export const IN_ARRIVED_AT = 0; // f64 (closed loop: written by the engine at release past the initial arrivals)
export const IN_PREFILL_TOKENS = 1; // i32, as generated
export const IN_DECODE_TOKENS = 2; // i32, as generated
export const IN_ROUTE = 3; // i32: random global scheduler, replica of routing decision k at slot k (not id)
export const IN_CLASS = 4; // i32: with a controller, 0 interactive / 1 deferrable
export const IN_DEADLINE = 5; // f64: with a controller, deadline in s after arrival (NaN none)
// (scheduling delay = scheduled_at - arrived_at and model execution time = execution time are derived on the
// host: the engine computes them with the same float operations, so storing them would only cost memory)
export const RQ_SCHEDULED_AT = 0;
export const RQ_PREFILL_COMPLETED_AT = 1;
export const RQ_COMPLETED_AT = 2;
export const RQ_EXECUTION_TIME = 3;
export const RQ_PREEMPTED_TIME = 4;
export const RQ_ARRIVED_AT = 5; // input (closed loop: written by the engine)
export const RQ_F64_FIELDS = 6;
// i32 fields
export const RQ_PREFILL_TOKENS = 0; // after restarts
export const RQ_DECODE_TOKENS = 1; // after restarts
export const RQ_NUM_RESTARTS = 2;
export const RQ_REPLICA = 3;
export const RQ_COMPLETED = 4;
export const RQ_PROCESSED_TOKENS = 5;
export const RQ_I32_FIELDS = 6;
/**
 * Engine memory per request in the worst case: the input columns (arrival f64, prompt and output tokens i32).
 * They live in a ring the host feeds INPUT_CHUNK_ROWS at a time (inputReserve), spanning the ids from the
 * oldest whose row has not left to the newest fed, so this is paid per request simulated only when every
 * request is in flight at once (closed loop: all are fed up front). Keep in step with allocInputRing, which
 * reserves this much address space per request up front but touches only the ring's capacity.
 */
export const REQUEST_STATE_BYTES = 8 + 2 * 4;
/** With energy accounting: per-request energy lives in the ring too (nothing per request simulated). */
export const REQUEST_ENERGY_BYTES = 0;

// ---- TBT sketch past the exact limit (assembly/tbt-sketch.ts; read back by src/core/ddsketch.ts) ----
export const TBT_SKETCH_ALPHA = 0.005;
export const TBT_SKETCH_OFFSET = -2200; // bucket index of position 0
export const TBT_SKETCH_BUCKETS = 4400;

// ---- batch records (one per finished batch) ----
export const BR_ID = 0;
export const BR_REPLICA = 1;
export const BR_SIZE = 2;
export const BR_NUM_TOKENS = 3;
export const BR_PREFILL_TOKENS = 4;
export const BR_I32_FIELDS = 5;
export const BR_SCHEDULED_AT = 0;
export const BR_COMPLETED_AT = 1;
export const BR_F64_FIELDS = 2;

// ---- stage records (one per batch stage, when recordStages) ----
export const SR_REPLICA = 0;
export const SR_STAGE = 1;
export const SR_BATCH_ID = 2;
export const SR_SIZE = 3;
export const SR_NUM_TOKENS = 4;
export const SR_I32_FIELDS = 5;
export const SR_START = 0;
export const SR_END = 1;
export const SR_MFU = 2;
export const SR_F64_FIELDS = 3;

// ---- time-weighted meters (Vidur's SeriesAverageMeter): per replica memory, per replica-stage busy & mfu ----
export const METER_MIN = 0;
export const METER_MAX = 1;
export const METER_NUMER = 2;
export const METER_DENOM = 3;
export const METER_LAST_X = 4;
export const METER_LAST_Y = 5;
export const METER_HAS_LAST = 6;
/** Plain sum and count of every value put, the initial (0, 0) included (Vidur's memory meter mean). */
export const METER_SUM = 7;
export const METER_COUNT = 8;
export const METER_FIELDS = 9;
export const METER_MEMORY = 0;
export const METER_BUSY = 1;
export const METER_MFU = 2;

// ---- counters (counter(i)) ----
export const CNT_EVENTS = 0;
export const CNT_BATCHES = 1;
export const CNT_STAGES = 2;
export const CNT_COMPLETED = 3;
export const CNT_RESTARTS = 4;
export const CNT_BATCH_SIZE_SUM = 5; // Σ batch sizes (summary statistics without batch records)
export const CNT_BATCH_TOKENS_SUM = 6;
export const CNT_BATCH_EXEC_SUM = 7; // Σ batch execution times, s
export const NUM_COUNTERS = 8;

// energy outputs: energyRequestPtr(field) / energyBatchPtr(field) (f64), per replica energyReplicaPtr()
export const ER_ENERGY_J = 0; // GPU energy of the request's share of its batch stages (J)
export const ER_CI_J = 1; // ∫ share·P·CI dt (J·gCO2/kWh; /3.6e6 = grams)
export const ER_FIELDS = 2;
export const EB_ENERGY_J = 0; // GPU energy of all stages of the batch (J)
export const EB_CI_J = 1;
export const EB_AVG_POWER_W = 2; // per GPU, time-weighted over the batch's stages
export const EB_FIELDS = 3;
export const EP_BUSY_J = 0; // per replica: GPU energy inside batch stages
export const EP_IDLE_J = 1; // GPU energy in gaps (idle but serving)
export const EP_BUSY_CI_J = 2;
export const EP_IDLE_CI_J = 3;
export const EP_BUSY_GPU_S = 4; // GPU-seconds inside stages
export const EP_FIELDS = 5;
export const ES_POWER_W = 0; // stage records (with recordStages): power per GPU
export const ES_COMPUTE_UTIL = 1;
export const ES_MEMORY_UTIL = 2;
export const ES_CLOCK = 3;
export const ES_FIELDS = 4;
