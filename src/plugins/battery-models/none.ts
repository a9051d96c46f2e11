/** `none` (code 0): no storage; the bus balances through the grid alone. Also the engine's fallback. */
import { BATTERY_FUNCTIONS, batteryModel } from "./types.js";

export const none = batteryModel({
  name: "none",
  code: 0,
  doc: "no storage",
  engine: { file: "microgrid/none", functions: BATTERY_FUNCTIONS },
});
