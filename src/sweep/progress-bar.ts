/**
 * A one-line progress bar with rate and ETA on stderr, drawn only on a terminal (at most 10 times a second).
 *
 * @example
 * const bar = progressBar("sweep", 1000); bar.update(10, 1); bar.done();
 */
import { lineWidth } from "../core/terminal.js";

export interface ProgressBar {
  update(done: number, failed: number): void;
  done(): void;
}

export function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): ProgressBar {
  if (!stream.isTTY || total === 0) return { update: () => undefined, done: () => undefined };
  const t0 = performance.now();
  let lastDraw = 0;
  let lastLen = 0;
  const draw = (done: number, failed: number, force: boolean): void => {
    const now = performance.now();
    if (!force && now - lastDraw < 100) return;
    lastDraw = now;
    const elapsed = (now - t0) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : Number.POSITIVE_INFINITY;
    const width = 24;
    const filled = Math.round((width * done) / total);
    const line =
      `${label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total} ${((100 * done) / total).toFixed(0)}% ` +
      `${rate.toFixed(rate < 10 ? 2 : 1)} runs/s ETA ${formatDuration(eta)}${failed ? ` failed ${failed}` : ""}`;
    const text = line.slice(0, lineWidth(stream));
    stream.write(`\r${text}${" ".repeat(Math.max(0, lastLen - text.length))}`);
    lastLen = text.length;
  };
  return {
    update: (done, failed) => draw(done, failed, done === total),
    done: () => stream.write(`\r${" ".repeat(lastLen)}\r`),
  };
}
