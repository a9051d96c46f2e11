/**
 * The report of a capacity search directory: the largest load each configuration sustains under the SLO,
 * the search's steps (SLO metric at each simulated QPS, against the SLO line) and the capacity table with
 * per-GPU, per-dollar and per-kWh figures. Reads capacity.json (SLO, configurations with their steps).
 *
 * @example
 * const sections = await capacitySections("capacity-out");
 */
import { join } from "node:path";
import { InputError } from "../core/errors.js";
import { chart, fmt, type Cell, type SectionItem, type SectionSpec } from "./chart.js";
import { isPlainObject, readJson } from "./read-output.js";

interface Step {
  qps: number;
  value: number | null;
  underSlo: boolean;
}

const num = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** Series drawn in the search-steps chart at most (the table lists every configuration). */
const MAX_STEP_SERIES = 12;

export async function capacitySections(dir: string): Promise<SectionSpec[]> {
  const path = join(dir, "capacity.json");
  const doc = readJson(dir, "capacity.json", "every capacity directory has it");
  const slo = doc.slo;
  if (
    !isPlainObject(slo) ||
    typeof slo.metric !== "string" ||
    num(slo.value) === null ||
    num(slo.quantile) === null ||
    !Array.isArray(doc.configurations)
  ) {
    throw new InputError(`${path}: not a tokenwatt capacity result (needs "slo": {metric, value, quantile} and "configurations")`);
  }
  const configs = doc.configurations.filter(isPlainObject);
  configs.forEach((c, i) => {
    if (typeof c.run_id !== "string" || !isPlainObject(c.params) || !Array.isArray(c.steps)) {
      throw new InputError(`${path}: configurations[${i}] lacks run_id, params or steps; not a tokenwatt capacity result`);
    }
  });
  const sloText = `P${fmt(100 * (slo.quantile as number))} ${slo.metric} ≤ ${fmt(slo.value)} s`;
  const params = [...new Set(configs.flatMap((c) => Object.keys(c.params as object)))];
  const label = (c: Record<string, unknown>): string => {
    const p = c.params as Record<string, unknown>;
    const short = params.map((k) => String(p[k])).join(" · ");
    return short || String(c.run_id);
  };
  const hover = (c: Record<string, unknown>): string =>
    [
      `run ${String(c.run_id)}`,
      ...params.map((k) => `${k} = ${String((c.params as Record<string, unknown>)[k])}`),
      `max QPS ${fmt(c.max_qps)} (${sloText})`,
    ].join("\n");
  const items: SectionItem[] = [];
  items.push({
    type: "note",
    text: `${configs.length} configurations; SLO: ${sloText}. Energy per token from ${String(doc.energy_per_token_source ?? "none")}, cost from ${String(doc.cost_source ?? "none")}.`,
  });
  items.push(
    chart(
      "capacity",
      "Capacity per configuration",
      `Largest QPS each configuration sustains with ${sloText} (Vidur's capacity search); failed configurations have no bar. Hover for the configuration.`,
      { label: "configuration", kind: "category", categories: configs.map(label) },
      { label: "max QPS", min: 0 },
      [
        Float64Array.from(configs, (_, i) => i),
        Float64Array.from(configs, (c) => num(c.max_qps) ?? Number.NaN),
        Float64Array.from(configs, (c) => num(c.qps_per_gpu) ?? Number.NaN),
      ],
      [
        { label: "max QPS", style: "bars" },
        { label: "QPS per GPU", style: "bars" },
      ],
      { hover: configs.map(hover) },
    ),
  );

  const drawn = configs.slice(0, MAX_STEP_SERIES);
  const qpsValues = [...new Set(drawn.flatMap((c) => (c.steps as Step[]).map((s) => s.qps)))].filter(Number.isFinite).sort((a, b) => a - b);
  if (qpsValues.length) {
    const at = new Map(qpsValues.map((q, i) => [q, i]));
    const cols = drawn.map((c) => {
      const col = new Float64Array(qpsValues.length).fill(Number.NaN);
      for (const s of c.steps as Step[]) if (s.value !== null && Number.isFinite(s.value)) col[at.get(s.qps)!] = s.value;
      return col;
    });
    items.push(
      chart(
        "capacity-steps",
        "Capacity search steps",
        `The SLO metric (${String(slo.metric)}, P${fmt(100 * (slo.quantile as number))}) at every QPS the search simulated, per configuration${configs.length > drawn.length ? ` (first ${drawn.length} of ${configs.length})` : ""}; the dashed line is the SLO.`,
        { label: "QPS" },
        { label: `${String(slo.metric)} (s)`, log: cols.every((c) => c.every((v) => !(v <= 0))) },
        [Float64Array.from(qpsValues), ...cols],
        drawn.map((c) => ({ label: label(c), style: "points" as const })),
        { lines: [{ value: slo.value as number, label: `SLO ${fmt(slo.value)} s`, color: "#d55e00" }] },
      ),
    );
  }
  const columns = [
    "run_id",
    "status",
    ...params,
    "max_qps",
    "num_gpus",
    "qps_per_gpu",
    "requests_per_usd",
    "requests_per_kwh",
    "energy_per_token",
    "slo_metric_at_capacity",
    "pareto",
    "search_steps",
    "error",
  ];
  const rows: Cell[][] = configs.map((c) =>
    columns.map((k) => {
      if (params.includes(k)) {
        const v = (c.params as Record<string, unknown>)[k];
        return typeof v === "number" || typeof v === "string" || typeof v === "boolean" ? v : v === undefined ? null : String(v);
      }
      const v = c[k];
      return typeof v === "number" ? (Number.isFinite(v) ? v : null) : typeof v === "string" || typeof v === "boolean" ? v : null;
    }),
  );
  items.push({
    type: "table",
    id: "capacity-table",
    title: "Capacity table",
    interactive: true,
    caption: `One row per configuration at its capacity (capacity.json); pareto marks the front of energy per token against P99 end-to-end latency.`,
    columns,
    rows,
  });
  return [{ id: "capacity", title: "Capacity search", items }];
}
