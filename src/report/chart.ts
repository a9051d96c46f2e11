/**
 * What a report section is made of — charts, tables and notes — as plain data that the page embeds as JSON
 * and its script draws with uPlot. Section builders (run, cosim, sweep, capacity) only produce these specs;
 * page.ts turns them into HTML.
 *
 * @example
 * const c = chart("ttft-cdf", "TTFT", "Share of requests whose first token came within x seconds.",
 *   { label: "TTFT (s)" }, { label: "fraction of requests" }, [cdf.x, cdf.p], [{ label: "TTFT" }]);
 */

export interface AxisSpec {
  label: string;
  /** "time": x values are Unix seconds shown as UTC dates; "category": x = 0..n-1 named by `categories`. */
  kind?: "number" | "time" | "category";
  categories?: string[];
  log?: boolean;
  min?: number;
  max?: number;
}

export interface SeriesSpec {
  label: string;
  color?: string;
  /** Which y axis (default "y"; "y2" is drawn on the right). */
  axis?: "y" | "y2";
  /** line (default), step (value held until the next x), points (scatter), bars (grouped by x). */
  style?: "line" | "step" | "points" | "bars";
  dash?: number[];
  /** Draw across null values (a Pareto front drawn through the points that are on it). */
  spanGaps?: boolean;
}

export interface ChartSpec {
  type: "chart";
  id: string;
  title: string;
  /** One line saying what the chart shows. */
  caption: string;
  x: AxisSpec;
  y: AxisSpec;
  y2?: AxisSpec;
  /** Columns: data[0] = x (ascending), data[k] = series k-1 (null = no value). */
  data: (number | null)[][];
  series: SeriesSpec[];
  /** Tooltip text per x index (e.g. a run's configuration). */
  hover?: string[];
  /** Vertical error bars on series `series` (1-based as in data): [lo, hi] per x index. */
  errorBars?: { series: number; lo: (number | null)[]; hi: (number | null)[] }[];
  /** Horizontal reference lines (SLO, min SoC, carbon thresholds). */
  lines?: { value: number; label: string; axis?: "y" | "y2"; color?: string }[];
}

export type Cell = string | number | boolean | null;

export interface TableSpec {
  type: "table";
  id: string;
  title: string;
  caption: string;
  columns: string[];
  rows: Cell[][];
  /** Sort by clicking a header, filter with the inputs below the headers. */
  interactive?: boolean;
}

export interface NoteSpec {
  type: "note";
  /** Plain text (escaped when rendered). */
  text: string;
}

export type SectionItem = ChartSpec | TableSpec | NoteSpec;

export interface SectionSpec {
  id: string;
  title: string;
  items: SectionItem[];
}

/** Colour-blind-safe palette (Okabe–Ito, then Tableau), cycled by series index. */
export const PALETTE = [
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#332288",
  "#882255",
  "#117733",
  "#999933",
  "#44aa99",
  "#aa4499",
];

export const color = (i: number): string => PALETTE[i % PALETTE.length];

/** Six significant digits: far below a pixel, and it keeps the embedded JSON small. */
export function round6(v: number): number | null {
  if (!Number.isFinite(v)) return null;
  return v === 0 ? 0 : Number(v.toPrecision(6));
}

export function column(values: ArrayLike<number>): (number | null)[] {
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = round6(values[i]);
  return out;
}

export function chart(
  id: string,
  title: string,
  caption: string,
  x: AxisSpec,
  y: AxisSpec,
  columns: ArrayLike<number>[],
  series: SeriesSpec[],
  extra: Partial<Pick<ChartSpec, "y2" | "hover" | "errorBars" | "lines">> = {},
): ChartSpec {
  if (columns.length !== series.length + 1) throw new Error(`chart ${id}: ${columns.length} columns for ${series.length} series`);
  const withColors = series.map((s, i) => ({ ...s, color: s.color ?? color(i) }));
  return { type: "chart", id, title, caption, x, y, data: columns.map(column), series: withColors, ...extra };
}

/** A unit for simulated seconds that keeps axis numbers readable. */
export function timeUnit(maxSeconds: number): { div: number; label: string } {
  if (maxSeconds >= 3 * 86_400) return { div: 86_400, label: "days" };
  if (maxSeconds >= 3 * 3600) return { div: 3600, label: "h" };
  if (maxSeconds >= 3 * 60) return { div: 60, label: "min" };
  return { div: 1, label: "s" };
}

export function scaled(values: ArrayLike<number>, div: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i] / div;
  return out;
}

/** Number formatting for tables and captions: 4 significant digits, integers as they are. */
export function fmt(v: unknown): string {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return "–";
    if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : String(Number(v.toPrecision(4)));
  }
  return String(v);
}
