/** `simple` (code 1): Vessim's SimpleBattery — capacity in Wh, optional C-rate limit, lossless. */
import { BATTERY_FUNCTIONS, batteryModel } from "./types.js";

export const simple = batteryModel({
  name: "simple",
  code: 1,
  doc: "Vessim SimpleBattery: capacity in Wh, optional C-rate limit",
  engine: { file: "microgrid/simple", functions: BATTERY_FUNCTIONS },
});
