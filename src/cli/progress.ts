/** Progress lines on stderr, only when stderr is a terminal (never in pipes, CI logs or tests). */
export interface Progress {
  phase(message: string): void;
  done(): void;
}

export function progressReporter(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  // TOKENWATT_TRACE_PHASES=1: one timestamped line per phase (seconds since process start), for profiling
  if (process.env.TOKENWATT_TRACE_PHASES === "1") {
    return { phase: (m) => void stream.write(`[${process.uptime().toFixed(3)} s] ${label}: ${m}\n`), done: () => undefined };
  }
  if (!stream.isTTY) return { phase: () => undefined, done: () => undefined };
  const t0 = performance.now();
  let last = "";
  const clear = () => stream.write(`\r${" ".repeat(Math.min(last.length, (stream.columns ?? 80) - 1))}\r`);
  return {
    phase(message) {
      clear();
      last = `${label}: ${message} [${((performance.now() - t0) / 1000).toFixed(1)} s]`;
      stream.write(last.slice(0, (stream.columns ?? 80) - 1));
    },
    done() {
      clear();
    },
  };
}
