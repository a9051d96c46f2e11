/** `clc` (code 2): Vessim's C-L-C lithium-ion cell model (Kazhamiaka et al. 2019), with conversion losses. */
import { BATTERY_FUNCTIONS, batteryModel } from "./types.js";

export const clc = batteryModel({
  name: "clc",
  code: 2,
  doc: "Vessim C-L-C cell model: rate limits, cut-offs and conversion losses",
  engine: { file: "microgrid/clc", functions: BATTERY_FUNCTIONS },
});
