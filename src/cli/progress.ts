/** Progress lines on stderr, only when stderr is a terminal (never in pipes, CI logs or tests). */
import { lineWidth } from "../core/terminal.js";

export interface Progress {
  phase(message: string): void;
  done(): void;
}

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  // TOKENWATT_TRACE_PHASES=1: one line per phase with seconds since process start and resident memory, for profiling
  if (process.env.TOKENWATT_TRACE_PHASES === "1") {
    const line = (m: string) =>
      `[${process.uptime().toFixed(3)} s, rss ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB] ${label}: ${m}\n`;
    return { phase: (m) => void stream.write(line(m)), done: () => void stream.write(line("done")) };
  }
  if (!stream.isTTY) return { phase: () => undefined, done: () => undefined };
  const t0 = performance.now();
  let last = "";
  const width = () => lineWidth(stream);
  const clear = () => stream.write(`\r${" ".repeat(Math.min(last.length, width()))}\r`);
  return {
    phase(message) {
      clear();
      last = `${label}: ${message} [${((performance.now() - t0) / 1000).toFixed(1)} s]`;
      stream.write(last.slice(0, width()));
    },
    done() {
      clear();
    },
  };
}
