/** `none` (code 0): open loop; nothing held, capped or released (request metrics as without a controller). */
import { controllerPlugin } from "./common.js";

export const none = controllerPlugin({
  name: "none",
  code: 0,
  doc: "open loop: the microgrid is simulated, the cluster is not controlled",
  options: {},
  engine: { file: "control/none", functions: { tick: "noneTick" } },
});
