/**
 * Output directories for the report tests, made by tokenwatt itself (simulate, sweep, capacity), plus a
 * co-simulation directory built to the microgrid output contract (microgrid.*, control.*, summary.microgrid)
 * on top of a real simulate run, until the cosim command exists on this branch.
 */
import { cpSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { column } from "../../src/tables/table.js";
import { writeTableFormats } from "../../src/output/writers.js";
import { runCli } from "../helpers/cli.js";
import { tempDir, writeSpec } from "../sweep/helpers.js";

export { tempDir };

const RUN_FLAGS = [
  "--synthetic_request_generator_config_num_requests",
  "300",
  "--metrics_config_keep_individual_batch_metrics",
  "--formats",
  "arrow",
];

export async function cli(...args: string[]): Promise<string> {
  const r = await runCli(...args);
  if (r.code !== 0) throw new Error(`tokenwatt ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
  return r.stdout;
}

/** A small simulate run with batch records (every run chart drawn). */
export async function runDir(root: string, extra: string[] = []): Promise<string> {
  const dir = join(root, "run");
  await cli("simulate", ...RUN_FLAGS, ...extra, "--output-dir", dir);
  return dir;
}

const SWEEP_SPEC = `
base:
  synthetic_request_generator_config_num_requests: 60
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
grid:
  replica_scheduler_config_type: [vllm, sarathi]
  poisson_request_interval_generator_config_qps: [2, 8]
zip:
  - replica_config_model_name: [meta-llama/Llama-2-7b-hf, meta-llama/Llama-2-70b-hf]
    replica_config_tensor_parallel_size: [1, 1]
`;

/** A sweep of 8 runs, 4 of which fail (Llama-2-70B does not fit on one A100). */
export async function sweepDir(root: string, extra: string[] = []): Promise<string> {
  const dir = join(root, "sweep");
  const spec = writeSpec(root, "sweep.yaml", SWEEP_SPEC);
  await cli("sweep", "--spec", spec, "--output-dir", dir, "--workers", "2", ...extra);
  return dir;
}

export async function capacityDir(root: string): Promise<string> {
  const dir = join(root, "capacity");
  const spec = writeSpec(
    root,
    "capacity.yaml",
    `
base:
  synthetic_request_generator_config_num_requests: 60
  length_generator_config_type: fixed
  fixed_request_length_generator_config_prefill_tokens: 256
  fixed_request_length_generator_config_decode_tokens: 16
  poisson_request_interval_generator_config_qps: 2
grid:
  replica_scheduler_config_type: [vllm, sarathi]
`,
  );
  await cli("capacity", "--spec", spec, "--output-dir", dir, "--workers", "2", "--max-iterations", "6", "--report");
  if (!existsSync(join(dir, "report.html"))) throw new Error("capacity --report wrote no report.html");
  return dir;
}

/**
 * A co-simulation directory: a simulate run plus one day of 5-minute grid steps (solar bell curve, a battery
 * that charges from surplus and discharges down to its 20 % floor, a sinusoidal carbon intensity), a
 * controller that acted 6 times, and summary.json's microgrid object. `format` picks the microgrid table's file;
 * `copyOf` starts from a copy of that simulate directory instead of a new run.
 */
export async function cosimDir(root: string, format: "csv" | "arrow" | "parquet" = "csv", copyOf?: string): Promise<string> {
  let dir: string;
  if (copyOf) {
    // the run part of an existing simulate directory (saves a simulation)
    dir = join(root, "run");
    cpSync(copyOf, dir, { recursive: true, filter: (src) => !src.endsWith("report.html") });
  } else {
    dir = await runDir(root);
  }
  const steps = 288;
  const dt = 300;
  const t = new Float64Array(steps);
  const cols = {
    load_w: new Float64Array(steps),
    solar_w: new Float64Array(steps),
    battery_w: new Float64Array(steps),
    soc: new Float64Array(steps),
    grid_import_w: new Float64Array(steps),
    grid_export_w: new Float64Array(steps),
    shortfall_w: new Float64Array(steps),
    ci_g_per_kwh: new Float64Array(steps),
    emissions_g: new Float64Array(steps),
  };
  const capacityWh = 2000;
  const minSoc = 0.2;
  let soc = 0.5;
  const utc: string[] = [];
  const local: string[] = [];
  const start = Date.parse("2023-06-08T00:00:00Z");
  for (let i = 0; i < steps; i++) {
    t[i] = i * dt;
    utc.push(new Date(start + t[i] * 1000).toISOString());
    local.push(new Date(start + t[i] * 1000 - 7 * 3600_000).toISOString().replace("Z", "-07:00"));
    const hour = (t[i] / 3600) % 24;
    const load = 400 + 60 * Math.sin(i / 7);
    const solar = Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI)) * 900;
    let battery = Math.max(-300, Math.min(300, solar - load)); // + charging
    const energyWh = (battery * dt) / 3600;
    if (soc + energyWh / capacityWh > 1) battery = ((1 - soc) * capacityWh * 3600) / dt;
    if (soc + energyWh / capacityWh < minSoc) battery = ((minSoc - soc) * capacityWh * 3600) / dt;
    soc += (battery * dt) / 3600 / capacityWh;
    const net = load - solar + battery;
    const ci = 250 + 120 * Math.sin(((hour - 3) / 24) * 2 * Math.PI);
    cols.load_w[i] = load;
    cols.solar_w[i] = solar;
    cols.battery_w[i] = battery;
    cols.soc[i] = soc;
    cols.grid_import_w[i] = Math.max(0, net);
    cols.grid_export_w[i] = Math.max(0, -net);
    cols.ci_g_per_kwh[i] = ci;
    cols.emissions_g[i] = ((Math.max(0, net) * dt) / 3_600_000) * ci;
  }
  await writeTableFormats(
    {
      name: "microgrid",
      columns: [
        column("t_s", "f64", t),
        column("utc", "utf8", utc),
        column("local_time", "utf8", local),
        ...Object.entries(cols).map(([name, data]) => column(name, "f64", data)),
      ],
    },
    dir,
    "microgrid",
    [format],
  );
  const actions = [
    [6, "power_cap_w", 300, "CI above the high-carbon threshold"],
    [9, "power_cap_w", 400, "CI back below it"],
    [11, "battery_discharge", 1, "evening peak"],
    [14, "power_cap_w", 300, "CI above the high-carbon threshold"],
    [18, "battery_discharge", 0, "SoC at the floor"],
    [21, "power_cap_w", 400, "low-carbon window"],
  ] as const;
  await writeTableFormats(
    {
      name: "control",
      columns: [
        column(
          "t_s",
          "f64",
          Float64Array.from(actions, (a) => a[0] * 3600),
        ),
        column(
          "action",
          "utf8",
          actions.map((a) => a[1]),
        ),
        column(
          "value",
          "f64",
          Float64Array.from(actions, (a) => a[2]),
        ),
        column(
          "reason",
          "utf8",
          actions.map((a) => a[3]),
        ),
      ],
    },
    dir,
    "control",
    ["arrow"],
  );
  const summaryPath = join(dir, "summary.json");
  const summary = JSON.parse(readFileSync(summaryPath, "utf8")) as Record<string, unknown>;
  const kwh = (a: Float64Array) => (a.reduce((s, v) => s + v, 0) * dt) / 3_600_000;
  summary.microgrid = {
    load_kwh: kwh(cols.load_w),
    solar_kwh: kwh(cols.solar_w),
    grid_import_kwh: kwh(cols.grid_import_w),
    grid_export_kwh: kwh(cols.grid_export_w),
    self_consumption_ratio: 0.8,
    self_sufficiency_ratio: 0.4,
    battery_final_soc: soc,
    battery_equivalent_full_cycles: 0.7,
    emissions_import_g: cols.emissions_g.reduce((s, v) => s + v, 0),
    shortfall_kwh: 0,
    battery_min_soc: minSoc,
    low_carbon_threshold: 200,
    high_carbon_threshold: 320,
  };
  writeFileSync(summaryPath, JSON.stringify(summary, null, 2));
  return dir;
}
