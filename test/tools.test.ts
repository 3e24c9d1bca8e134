/**
 * The tools' own edges: `npm run mutate -- --help`, what `npm run bench` says before it starts, and what
 * `npm test` prints of the unit suite's TAP (a summary, failures in full, and the runner's closing counts).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { BENCH_HELP, benchIntro, parseBenchArgs } from "../scripts/bench";
import { MUTANTS, MUTATE_HELP, parseMutateArgs } from "../scripts/mutate";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-tools-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("npm run mutate and npm run bench say what they do before doing it", () => {
  it("mutate --help prints its usage, every option it takes, and that each mutant costs a suite run", () => {
    assert.deepEqual(parseMutateArgs(["--help"]), { help: true });
    assert.deepEqual(parseMutateArgs(["-h"]), { help: true });
    assert.match(MUTATE_HELP, /^usage: npm run mutate -- \[--only id,id\] \[--jobs 2\] \[--list\] \[--help\]\n/);
    for (const option of ["--only", "--jobs", "--list", "--help"])
      assert.match(MUTATE_HELP, new RegExp(`^  ${option} `, "m"));
    assert.match(MUTATE_HELP, new RegExp(`Each of the ${MUTANTS.length} mutants costs one whole suite run`));
    assert.deepEqual(parseMutateArgs(["--only", MUTANTS[0].id, "--jobs", "1"]), {
      only: [MUTANTS[0].id],
      jobs: 1,
      list: false,
    });
    assert.throws(() => parseMutateArgs(["--only", "nope"]), /--only: no mutant nope/);
    assert.throws(() => parseMutateArgs(["--jobs", "0"]), /--jobs 0: expected a whole number/);
  });

  it("bench says first that it takes about three and a half minutes (seconds with --skip-tests), and has a --help", () => {
    assert.deepEqual(parseBenchArgs([]), { runs: 3, skipTests: false });
    assert.match(
      benchIntro(3, false),
      /^bench: 3 runs of the type-check, the unit suite, npm test and the render, one after another: about 3\.5 minutes on 2 cores/,
    );
    assert.match(benchIntro(3, true), /: about 15 seconds on 2 cores$/);
    assert.deepEqual(parseBenchArgs(["--help"]), { help: true });
    assert.match(BENCH_HELP, /^usage: npm run bench -- \[--runs 3\] \[--skip-tests\] \[--help\]\n/);
  });
});

describe("npm test: a summary of the unit suite, its failures in full, the closing counts CI reads", () => {
  it("from a real run of the node test runner: the failing test by its describe blocks with its error, the parents that failed only through it left out, and every closing count", async () => {
    const { tapSummary } = await import("../scripts/tap-summary.mjs");
    const file = path.join(scratch, "sample.test.mjs");
    fs.writeFileSync(
      file,
      [
        'import { describe, it } from "node:test";',
        'import assert from "node:assert/strict";',
        'it("passes", () => {});',
        'describe("outer", () => { describe("inner", () => { it("deep", () => assert.equal(1, 2)); it("fine", () => {}); }); });',
      ].join("\n"),
    );
    // A runner of its own: not the child of this one, which NODE_TEST_CONTEXT would make it.
    const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== "NODE_TEST_CONTEXT"));
    const run = spawnSync(process.execPath, ["--test", "--test-reporter=tap", file], { encoding: "utf8", env });
    const { failures, closing } = tapSummary(run.stdout);
    assert.deepEqual(
      failures.map((f) => f.path),
      [["outer", "inner", "deep"]],
    );
    assert.match(
      failures[0].block.join("\n"),
      /^error: [\s\S]*1 !== 2[\s\S]*^stack: /m,
      "the error and where it was raised",
    );
    assert.deepEqual(
      closing.map((l) => l.split(" ")[1]),
      ["tests", "suites", "pass", "fail", "cancelled", "skipped", "todo", "duration_ms"],
    );
    assert.ok(closing.includes("# tests 3") && closing.includes("# fail 1"), closing.join("\n"));
  });

  it("npm test runs package.json's test:unit itself, with the TAP reporter after --test", async () => {
    const { unitSuiteArgs } = await import("../scripts/tap-summary.mjs");
    assert.deepEqual(unitSuiteArgs(), [
      "--max-semi-space-size=64",
      "--import",
      "tsx",
      "--test",
      "--test-reporter=tap",
      "test/suite.ts",
    ]);
    const odd = path.join(scratch, "package.json");
    fs.writeFileSync(odd, JSON.stringify({ scripts: { "test:unit": "vitest run" } }));
    assert.throws(() => unitSuiteArgs(odd), /test:unit: expected "node <options> --test <files>", got "vitest run"/);
  });

  it("npm test prints the summary unless asked for the TAP, and the README's test line says how to ask", () => {
    const script = fs.readFileSync(path.join(__dirname, "..", "scripts", "test.mjs"), "utf8");
    assert.match(script, /process\.argv\.includes\("--tap"\) \|\| process\.env\.EKS_PLATFORM_TEST_TAP === "1"/);
    const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
    assert.match(readme, /^npm test .*npm test -- --tap$/m);
  });
});
