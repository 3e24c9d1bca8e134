/**
 * Every test file in one process (`npm run test:unit`). The program is deterministic and the harness
 * keeps one run per configuration, so loading Pulumi once and sharing the runs across files halves the
 * suite's time against one process per file; a new `*.test.ts` here is picked up by itself. A single file
 * still runs on its own: `node --import tsx --test test/apps.test.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { runProgramsInWorker } from "../render/run-worker";

// Program runs go to a worker thread, out of reach of the test runner's async hook (render/run-worker.ts says why).
// The defaults' run, which most files read, is asked for first: the worker makes it while the files load.
const runs = runProgramsInWorker();
void (require("../render/harness") as typeof import("../render/harness")).runProgram();

for (const file of fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith(".test.ts"))
  .sort()) {
  require(path.join(__dirname, file));
}
runs.loaded();
