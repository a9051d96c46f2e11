// Script entry of `npm run calibrate` (kept out of calibrate.ts so importing that module never runs it,
// including from a bundle where every module shares one import.meta.url).
import { calibrateAll } from "./calibrate.js";

calibrateAll(process.argv.slice(2));
