// none (controller code 0): open loop. Nothing is held, capped or released; the engine's results are those of
// a run without a controller.
export function noneTick(t: f64, dt: f64): void {}
