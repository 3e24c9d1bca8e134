// `npm test`: the static checks (the format, then the type-check) and the unit suite side by side, one per
// core, instead of one after the other. The suite's output streams; the checks' is printed when they end.
// Fails when any fails. Plain JavaScript: nothing to compile before it starts.
import { spawn } from "node:child_process";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

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
  const child = spawn(npm, ["run", "--silent", "test:unit"], { stdio: "inherit" });
  child.on("close", (code) => resolve({ code: code ?? 1 }));
});

const [{ format, types }, tested] = await Promise.all([checks, unit]);
const verdict = (code) => (code === 0 ? "ok" : `FAILED (exit ${code})`);
if (format.code !== 0)
  process.stdout.write(`${format.output}\nThe format check failed: npm run format rewrites the files.\n`);
process.stdout.write(types.output);
console.log(`format: ${verdict(format.code)}; type-check: ${verdict(types.code)}; unit suite: ${verdict(tested.code)}`);
process.exit([format.code, types.code, tested.code].find((code) => code !== 0) ?? 0);
