/**
 * Every test file in one process (`npm run test:unit`). The program is deterministic and the harness
 * keeps one run per configuration, so loading Pulumi once and sharing the runs across files halves the
 * suite's time against one process per file; a new `*.test.ts` here is picked up by itself. A single file
 * still runs on its own: `node --import tsx --test test/apps.test.ts`.
 */
import * as fs from "node:fs";
import * as path from "node:path";

for (const file of fs.readdirSync(__dirname).filter((f) => f.endsWith(".test.ts")).sort()) {
  require(path.join(__dirname, file));
}
