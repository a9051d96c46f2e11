// The battery models by code (abi.BAT_*). A new model = one file exporting init/soc/storedWh/capacityWh/range/
// apply plus one line in each switch here.
import * as abi from "./abi";
import * as clc from "./clc";
import * as none from "./none";
import * as simple from "./simple";

export let model: i32 = abi.BAT_NONE;

export function batteryInit(code: i32): void {
  model = code;
  switch (code) {
    case abi.BAT_SIMPLE: simple.init(); break;
    case abi.BAT_CLC: clc.init(); break;
    default: model = abi.BAT_NONE; none.init();
  }
}

/** Sets common.rangeLo / rangeHi for a step of dt seconds. */
export function batteryRange(dt: f64): void {
  switch (model) {
    case abi.BAT_SIMPLE: simple.range(dt); break;
    case abi.BAT_CLC: clc.range(dt); break;
    default: none.range(dt);
  }
}

/** Applies p W (charging +) over dt s; returns the conversion losses (Wh). */
export function batteryApply(p: f64, dt: f64): f64 {
  switch (model) {
    case abi.BAT_SIMPLE: return simple.apply(p, dt);
    case abi.BAT_CLC: return clc.apply(p, dt);
    default: return none.apply(p, dt);
  }
}

export function batterySoc(): f64 {
  switch (model) {
    case abi.BAT_SIMPLE: return simple.soc();
    case abi.BAT_CLC: return clc.soc();
    default: return none.soc();
  }
}

export function batteryStoredWh(): f64 {
  switch (model) {
    case abi.BAT_SIMPLE: return simple.storedWh();
    case abi.BAT_CLC: return clc.storedWh();
    default: return none.storedWh();
  }
}

export function batteryCapacityWh(): f64 {
  switch (model) {
    case abi.BAT_SIMPLE: return simple.capacityWh();
    case abi.BAT_CLC: return clc.capacityWh();
    default: return none.capacityWh();
  }
}
