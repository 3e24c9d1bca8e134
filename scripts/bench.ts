/**
 * `npm run bench`: how long the things people wait for take on this machine, against their budgets, so a
 * regression shows. Wall-clock figures belong here, not in unit tests, where load makes them flaky.
 *
 *   npm run bench -- [--runs 3] [--skip-tests] [--help]
 *
 * It takes about three and a half minutes (three runs of the suite and the render; it says so first).
 * Prints, each as the median of the runs (and the fastest):
 * - the type-check and the unit suite (`npm run typecheck`, `npm run test:unit`), alone and as `npm test` runs
 *   them, side by side: budget 30 s for `npm test`;
 * - the render of the dev stack with a domain (both Helm releases): the time the render reports for itself
 *   (program run, chart expansion, writing: budget 2 s), its chart expansion, and the whole command
 *   including Node, tsx and module loading.
 * Exit code 1 when a median is over its budget.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";

const PROJECT_ROOT = path.resolve(__dirname, "..");

/** What each figure may take, in seconds: the suite's budget in CI, and a render a reviewer waits for. */
export const BUDGETS = { testsSeconds: 30, renderSeconds: 2 } as const;

interface Timed {
  readonly seconds: number;
  readonly stdout: string;
}

function timed(command: string, args: readonly string[]): Timed {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: PROJECT_ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${String(result.status)}:\n${(result.stderr || result.stdout).slice(-2000)}`,
    );
  }
  return { seconds, stdout: result.stdout };
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fastest = (values: readonly number[]) => Math.min(...values);
const fmt = (s: number) => `${s.toFixed(2)} s`;

/** The seconds the render prints for itself: `... expanded in X s) to <out> in Y s`. */
export function renderReport(stdout: string): { renderSeconds: number; chartSeconds?: number } {
  const total = /\bin (\d+(?:\.\d+)?) s\s*$/m.exec(stdout);
  if (!total) throw new Error(`the render printed no time: ${stdout}`);
  const charts = /expanded in (\d+(?:\.\d+)?) s/.exec(stdout);
  return { renderSeconds: Number(total[1]), chartSeconds: charts ? Number(charts[1]) : undefined };
}

/** `npm run bench -- --help`. */
export const BENCH_HELP = [
  "usage: npm run bench -- [--runs 3] [--skip-tests] [--help]",
  "",
  "Times, on this machine, the type-check, the unit suite and `npm test` (budget 30 s), and the render of the dev",
  "stack with a domain (budget 2 s), each as the median of --runs runs; exit 1 when a median is over its budget.",
  "",
  "  --runs N       runs of each (default 3)",
  "  --skip-tests   time the render only",
  "  --help         this text",
].join("\n");

/**
 * Roughly what one run of each costs on 2 cores (the type-check, the unit suite and npm test one after the
 * other, then a render and Node's start), to say up front how long the bench takes: measured 2026-12-07,
 * 6 + 29 + 30 s and 5 s (3 min 40 s for the whole bench).
 */
const SECONDS_PER_RUN = { tests: 65, render: 5 } as const;

/** The bench's first line: what it runs, and about how long that takes. */
export function benchIntro(runs: number, skipTests: boolean): string {
  const seconds = runs * ((skipTests ? 0 : SECONDS_PER_RUN.tests) + SECONDS_PER_RUN.render);
  const about =
    seconds < 90
      ? `about ${Math.max(5, Math.round(seconds / 5) * 5)} seconds`
      : `about ${Math.round(seconds / 30) / 2} minutes`;
  return `bench: ${runs} run${runs === 1 ? "" : "s"} of ${skipTests ? "the render" : "the type-check, the unit suite, npm test and the render"}, one after another: ${about} on 2 cores${skipTests ? "" : " (--skip-tests times the render alone)"}`;
}

/** The command line; throws naming what is wrong. */
export function parseBenchArgs(argv: readonly string[]): { help: true } | { runs: number; skipTests: boolean } {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: "string", default: "3" },
      "skip-tests": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return { help: true };
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs ${values.runs}: expected a whole number of at least 1`);
  return { runs, skipTests: values["skip-tests"] === true };
}

function main(argv: readonly string[]): number {
  const parsed = parseBenchArgs(argv);
  if ("help" in parsed) {
    process.stdout.write(`${BENCH_HELP}\n`);
    return 0;
  }
  const { runs, skipTests } = parsed;
  // Said first: the whole bench runs minutes in silence otherwise.
  process.stdout.write(`${benchIntro(runs, skipTests)}\n`);
  const rows: Array<[string, number[], number | undefined]> = [];
  let over = false;

  if (!skipTests) {
    const typecheck: number[] = [];
    const unit: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < runs; i++) {
      typecheck.push(timed("npm", ["run", "--silent", "typecheck"]).seconds);
      unit.push(timed("npm", ["run", "--silent", "test:unit"]).seconds);
      // What CI runs: both side by side (scripts/test.mjs).
      total.push(timed("npm", ["test", "--silent"]).seconds);
    }
    rows.push(
      ["type-check", typecheck, undefined],
      ["unit suite", unit, undefined],
      ["npm test (both, side by side)", total, BUDGETS.testsSeconds],
    );
    over ||= median(total) > BUDGETS.testsSeconds;
  }

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-bench-"));
  try {
    const command: number[] = [];
    const reported: number[] = [];
    const charts: number[] = [];
    for (let i = 0; i < runs; i++) {
      const run = timed("npm", [
        "run",
        "--silent",
        "render",
        "--",
        "--out",
        path.join(scratch, `render-${i}`),
        "--config",
        "domain=example.com",
      ]);
      const report = renderReport(run.stdout);
      command.push(run.seconds);
      reported.push(report.renderSeconds);
      if (report.chartSeconds !== undefined) charts.push(report.chartSeconds);
    }
    rows.push(["render, as it reports itself", reported, BUDGETS.renderSeconds]);
    if (charts.length > 0) rows.push(["  of which chart expansion", charts, undefined]);
    rows.push(["render, whole command", command, undefined]);
    over ||= median(reported) > BUDGETS.renderSeconds;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }

  process.stdout.write(
    `bench: ${os.cpus().length} cores, Node ${process.version}, ${runs} run${runs === 1 ? "" : "s"} each\n`,
  );
  for (const [name, times, budget] of rows) {
    const verdict =
      budget === undefined
        ? ""
        : median(times) <= budget
          ? `  (budget ${budget} s: ok)`
          : `  (budget ${budget} s: OVER)`;
    process.stdout.write(`${name.padEnd(30)} median ${fmt(median(times))}, fastest ${fmt(fastest(times))}${verdict}\n`);
  }
  return over ? 1 : 0;
}

if (require.main === module) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  }
}
