/**
 * `tokenwatt simulate` with microgrid flags: the microgrid runs inside the engine's run() (assembly/grid.ts),
 * stepped whenever the event loop passes a grid-step boundary, on the facility power the energy integrator
 * has accumulated by then. This module validates the flags against the scenario before the engine runs,
 * writes the microgrid settings block and the solar table after the engine's inputs, and turns the rows into the
 * `microgrid` tables and summary object afterwards.
 *
 * @example
 * const mg = inLoopMicrogrid(options, scenario);
 * const result = runEngine(scenario, engine, { beforeRun: mg.beforeRun });
 * const out = mg.collect(result);   // { tables, summary }
 */
import { InputError } from "../core/errors.js";
import type { EngineResult } from "../engine/result.js";
import type { EngineExports } from "../engine/wasm.js";
import type { ChunkedTable } from "../tables/chunked.js";
import type { Scenario } from "../scenario/types.js";
import { microgridExports, outputColumns, writeMicrogridSettings, type MicrogridColumns } from "./engine.js";
import { planMicrogrid, type MicrogridPlan, type MicrogridSettings } from "../microgrid/resolve.js";
import { aggregateTable, microgridSummary } from "./summary.js";
import { microgridTable } from "./table.js";
import { stepGrid } from "../microgrid/traces.js";

export interface InLoopMicrogrid {
  plan: MicrogridPlan;
  beforeRun(engine: EngineExports): void;
  collect(result: EngineResult): { tables: ChunkedTable[]; summary: Record<string, unknown>; columns: MicrogridColumns };
}

export function inLoopMicrogrid(o: Record<string, unknown>, s: Scenario): InLoopMicrogrid {
  const p = s.power;
  if (!p) throw new InputError("microgrid flags need energy accounting: drop --no-energy");
  const startMs = p.carbon.startIso !== null ? Date.parse(p.carbon.startIso) : null;
  const plan = planMicrogrid(o, {
    startMs,
    carbon: { table: p.carbon.table, beyond: p.carbon.beyond, origin: p.carbon.origin },
    cosim: false,
  });
  const ratio = plan.step / p.resolutionS;
  if (Math.abs(ratio - Math.round(ratio)) > 1e-9 || Math.round(ratio) < 1) {
    throw new InputError(
      `--grid-step ${plan.step} must be a whole multiple of --power-resolution ${p.resolutionS} (steps are whole timeline buckets)`,
    );
  }
  const G = s.tensorParallelSize * s.numPipelineStages * s.numReplicas;
  // how far solar must be known: the time limit, or a day past the last arrival (physics is tabulated up to it)
  let lastArrival = s.requestBlocks?.lastArrival ?? 0;
  for (const t of s.requests.arrivedAt) if (t > lastArrival) lastArrival = t;
  const horizon = Math.max(s.timeLimit > 0 ? s.timeLimit : lastArrival + 86_400, p.horizonS); // controller: src/control/
  const solar = plan.solarTable(horizon);
  const settings: MicrogridSettings = { ...plan.settings, inLoop: { pue: p.pue, hostW: p.hostWPerGpu * G, solarEndS: solar.table.end } };
  let engine: EngineExports | undefined;
  return {
    plan,
    beforeRun(e) {
      engine = e;
      const x = microgridExports(e);
      writeMicrogridSettings(x, settings);
      const n = solar.table.t.length;
      const ptr = x.microgridLoopPrepare(Math.ceil(horizon / plan.step) + 1, n);
      const mem = new Float64Array(e.memory.buffer, ptr, 4 * n);
      mem.set(solar.table.t, 0);
      mem.set(solar.table.v, n);
      mem.set(solar.table.s, 2 * n);
      mem.set(solar.table.c, 3 * n);
    },
    collect(result) {
      const end = result.energy?.endS ?? result.makespan;
      solar.check(end);
      const x = microgridExports(engine!);
      const rows = x.microgridRowCount();
      const grid = stepGrid(plan.step, end);
      if (rows !== grid.steps) throw new Error(`microgrid recorded ${rows} steps, expected ${grid.steps}`);
      const columns = outputColumns(x, rows);
      const summary = {
        load_source: "in-loop: facility power (GPUs + host) × PUE, averaged exactly over each grid step",
        ...microgridSummary(columns, grid, plan, plan.battery.capacity_wh * plan.battery.initial_soc, plan.battery.capacity_wh),
      };
      return { tables: [microgridTable(columns, grid, plan.startMs, plan.zone), aggregateTable(columns, grid, plan)], summary, columns };
    },
  };
}
