// How `npm test` runs the unit suite and what it prints of its TAP (scripts/test.mjs): plain JavaScript, as
// test.mjs is, so `npm test` compiles nothing before it starts; tap-summary.d.mts types it for the tests.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The project's folder: where package.json is, and where the suite's relative paths start. */
export const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Node's arguments for `npm run test:unit` as package.json spells it (`node <options> --test <files>`), with
 * the TAP reporter added after `--test`: one definition of the suite's command, read, not copied.
 */
export function unitSuiteArgs(packageJson = fileURLToPath(new URL("../package.json", import.meta.url))) {
  const script = JSON.parse(readFileSync(packageJson, "utf8")).scripts?.["test:unit"] ?? "";
  const words = script.split(/\s+/).filter(Boolean);
  const at = words.indexOf("--test");
  if (words[0] !== "node" || at < 0)
    throw new Error(`package.json test:unit: expected "node <options> --test <files>", got ${JSON.stringify(script)}`);
  return [...words.slice(1, at + 1), "--test-reporter=tap", ...words.slice(at + 1)];
}

/**
 * What a TAP stream from the node test runner says: each failing test with its place in the suite and its
 * YAML block (the error, expected and actual, the stack), and the closing counts. A test that failed only
 * because a subtest did is left out: the subtest is the one to read.
 */
export function tapSummary(tap) {
  const lines = tap.split("\n");
  const failures = [];
  const closing = [];
  const names = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const indent = line.length - line.trimStart().length;
    const level = Math.floor(indent / 4);
    const subtest = /^\s*# Subtest: (.*)$/.exec(line);
    if (subtest) {
      names.length = level;
      names[level] = subtest[1];
      continue;
    }
    if (indent === 0 && /^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) /.test(line)) {
      closing.push(line);
      continue;
    }
    const failed = /^\s*not ok \d+ - (.*?)(?: # .*)?$/.exec(line);
    if (!failed) continue;
    const block = [];
    if (lines[i + 1]?.trim() === "---") {
      for (i += 1; i < lines.length; i++) {
        block.push(lines[i].slice(indent + 2));
        if (lines[i].trim() === "...") break;
      }
    }
    if (block.some((l) => l.trim() === "failureType: 'subtestsFailed'")) continue;
    failures.push({ path: [...names.slice(0, level), failed[1]], block });
  }
  return { failures, closing };
}
