/** The tools' own edges: `npm run mutate -- --help`, and what `npm run bench` says before it starts. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BENCH_HELP, benchIntro, parseBenchArgs } from "../scripts/bench";
import { MUTANTS, MUTATE_HELP, parseMutateArgs } from "../scripts/mutate";

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

  it("bench says first that it takes about two and a half minutes (seconds with --skip-tests), and has a --help", () => {
    assert.deepEqual(parseBenchArgs([]), { runs: 3, skipTests: false });
    assert.match(
      benchIntro(3, false),
      /^bench: 3 runs of the type-check, the unit suite, npm test and the render, one after another: about 2\.5 minutes on 2 cores/,
    );
    assert.match(benchIntro(3, true), /: about 15 seconds on 2 cores$/);
    assert.deepEqual(parseBenchArgs(["--help"]), { help: true });
    assert.match(BENCH_HELP, /^usage: npm run bench -- \[--runs 3\] \[--skip-tests\] \[--help\]\n/);
  });
});
