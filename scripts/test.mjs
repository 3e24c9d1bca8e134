// `npm test`: the type-check and the unit suite side by side, one per core (the suite is one process, the
// type-check another), instead of one after the other. The suite's output streams; the type-check's is
// printed when it ends. Fails when either fails. Plain JavaScript: nothing to compile before it starts.
import { spawn } from "node:child_process";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

const typecheck = new Promise((resolve) => {
  const child = spawn(npm, ["run", "--silent", "typecheck"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  child.on("close", (code) => resolve({ code: code ?? 1, output }));
});
const unit = new Promise((resolve) => {
  const child = spawn(npm, ["run", "--silent", "test:unit"], { stdio: "inherit" });
  child.on("close", (code) => resolve({ code: code ?? 1 }));
});

const [checked, tested] = await Promise.all([typecheck, unit]);
process.stdout.write(checked.output);
console.log(`type-check: ${checked.code === 0 ? "ok" : `FAILED (exit ${checked.code})`}; unit suite: ${tested.code === 0 ? "ok" : `FAILED (exit ${tested.code})`}`);
process.exit(checked.code !== 0 ? checked.code : tested.code);
