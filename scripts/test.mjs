// `npm test`: the static checks (the format, then the type-check) and the unit suite side by side, one per
// core, instead of one after the other. The suite prints a dot per top-level test and, at the end, every failure
// in full and the runner's closing counts (`# tests N`, `# pass N`, `# fail N`, ...: what CI reads); the full
// TAP only on request: `npm test -- --tap`, or EKS_PLATFORM_TEST_TAP=1. The checks' output is printed when
// they end. Fails when any fails. Plain JavaScript: nothing to compile before it starts.
import { spawn } from "node:child_process";
import { PROJECT_ROOT, tapSummary, unitSuiteArgs } from "./tap-summary.mjs";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const fullTap = process.argv.includes("--tap") || process.env.EKS_PLATFORM_TEST_TAP === "1";

/**
 * An npm script, its output kept for later. At a lower CPU priority where `nice` exists: the checks need a
 * few seconds of one core, the suite both cores for its whole run, so the suite goes first when they compete.
 */
function quietly(script) {
  return new Promise((resolve) => {
    const [command, args] = process.platform === "win32" ? [npm, []] : ["nice", ["-n", "10", npm]];
    const child = spawn(command, [...args, "run", "--silent", script], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

// The format check takes a fraction of a second (Biome), so it goes before the type-check on the same core.
const checks = quietly("format:check").then(async (format) => ({ format, types: await quietly("typecheck") }));
const unit = new Promise((resolve) => {
  // `npm run test:unit` as package.json spells it, with the TAP reporter whatever the terminal (the runner
  // picks another for a TTY): TAP is what is read here. Given on the command line, not in NODE_OPTIONS, which
  // every node the suite starts would inherit.
  const child = spawn(process.execPath, unitSuiteArgs(), {
    cwd: PROJECT_ROOT,
    stdio: ["ignore", fullTap ? "inherit" : "pipe", "inherit"],
  });
  let tap = "";
  if (!fullTap) {
    process.stdout.write("unit suite: a dot per top-level test (the full TAP: npm test -- --tap)\n");
    let counted = 0;
    child.stdout.on("data", (chunk) => {
      tap += chunk;
      // Complete lines only (a chunk may end mid-line): a dot per top-level test (a describe block, mostly) ended.
      const complete = tap.slice(counted, tap.lastIndexOf("\n") + 1);
      counted += complete.length;
      const ended = complete.match(/^(not )?ok \d+ - /gm)?.length ?? 0;
      if (ended > 0) process.stdout.write(".".repeat(ended));
    });
  }
  child.on("close", (code) => resolve({ code: code ?? 1, tap }));
});

const [{ format, types }, tested] = await Promise.all([checks, unit]);
if (!fullTap) {
  process.stdout.write("\n");
  const { failures, closing } = tapSummary(tested.tap);
  for (const failure of failures)
    process.stdout.write(`\nFAILED: ${failure.path.join(" > ")}\n${failure.block.map((l) => `  ${l}`).join("\n")}\n`);
  // No counts: the runner itself broke before it could count; what it printed is all there is to go on.
  if (closing.length === 0) process.stdout.write(tested.tap);
  else process.stdout.write(`${failures.length > 0 ? "\n" : ""}${closing.join("\n")}\n`);
}
const verdict = (code) => (code === 0 ? "ok" : `FAILED (exit ${code})`);
if (format.code !== 0)
  process.stdout.write(`${format.output}\nThe format check failed: npm run format rewrites the files.\n`);
process.stdout.write(types.output);
console.log(`format: ${verdict(format.code)}; type-check: ${verdict(types.code)}; unit suite: ${verdict(tested.code)}`);
process.exit([format.code, types.code, tested.code].find((code) => code !== 0) ?? 0);
