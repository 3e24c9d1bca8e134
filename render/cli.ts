/**
 * `npm run render`: the whole stack, offline. Runs the real program in process under the offline
 * engine's Pulumi mocks (harness.ts) and writes what `pulumi up` would declare:
 *
 *   out/render/resources.json   every resource: urn, type, name, parent, custom, provider, dependencies, inputs
 *   out/render/manifests/       every Kubernetes object, one YAML file each: the program's own, the CRDs it
 *                               applies from the charts, each Helm release (chart + values) and the objects
 *                               `helm template` expands it into, each marked with its release
 *   out/render/summary.md       what a reviewer reads in a minute
 *
 * Usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...] [--help]
 * Invalid configuration: exit 2, one line per bad key on stderr, nothing written. `--out` only ever replaces
 * a folder an earlier render made (output-folder.ts); anything else is refused, exit 2, before anything runs.
 * Deterministic: two renders of the same tree are byte-identical; how long it took goes to stdout only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../config";
import { expandReleases } from "./charts";
import { renderFiles } from "./files";
import { NoOfflineAnswer, PROJECT_ROOT, ProgramError, type ProgramRun, type RecordedResource, runProgram } from "./harness";
import { type Change, changesMarkdown, rehearse } from "./rehearsal/rehearse";
import { type HelmLocator, pinnedHelm } from "./helm";
import { HELP, parseRenderArgs, type RenderOptions, USAGE } from "./options";
import { OutputRefused, outputDecision, writeRenderFolder } from "./output-folder";
import { plural } from "./summary/markdown";

/** The resources of an earlier render (its resources.json). */
function readEarlierRender(folder: string): RecordedResource[] {
  const file = path.join(folder, "resources.json");
  if (!fs.existsSync(file)) throw new Error(`no resources.json there: give the folder of an earlier render`);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (!Array.isArray(parsed) || !parsed.every((r) => typeof r === "object" && r !== null && typeof (r as RecordedResource).urn === "string" && typeof (r as RecordedResource).type === "string")) {
    throw new Error("resources.json is not a render's resource list");
  }
  return parsed as RecordedResource[];
}

// ------------------------------------------------------------------ main

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Runs a render; returns the exit code. Output goes to `out` relative to the project root. `helm` finds
 * the helm binary (default: the pinned one); a test passes one that cannot run.
 */
export async function render(
  argv: readonly string[],
  stderr: (line: string) => void,
  stdout: (line: string) => void,
  helm: HelmLocator = pinnedHelm,
  /**
   * Run the program afresh (the default, as `npm run render` does once per process), or take the harness's
   * run of the same configuration when one exists: the program is deterministic, so in-process callers (the
   * tests) get the same render without paying for the run again.
   */
  freshRun = true,
): Promise<number> {
  let options: RenderOptions;
  try {
    options = parseRenderArgs(argv);
  } catch (error) {
    stderr(`render: ${error instanceof Error ? error.message : String(error)}`);
    stderr(USAGE);
    return 2;
  }
  if (options.help) {
    stdout(HELP);
    return 0;
  }
  // The earlier render, read before anything runs: a wrong --against is one line, and writes nothing.
  let earlier: RecordedResource[] | undefined;
  if (options.against) {
    try {
      earlier = readEarlierRender(path.resolve(PROJECT_ROOT, options.against));
    } catch (error) {
      stderr(`render: --against ${options.against}: ${error instanceof Error ? error.message : String(error)}`);
      return 2;
    }
  }
  // Refused before the program runs: a wrong --out costs nothing and touches nothing.
  const outDir = path.resolve(PROJECT_ROOT, options.out);
  const decision = outputDecision(outDir, PROJECT_ROOT);
  if ("refuse" in decision) {
    stderr(`render: --out ${options.out}: ${decision.refuse}; give a new folder, or one an earlier render made`);
    return 2;
  }
  const started = process.hrtime.bigint();
  let run: ProgramRun;
  try {
    run = await runProgram({ stack: options.stack, config: options.config, fresh: freshRun, date: options.date });
  } catch (error) {
    const cause = error instanceof ProgramError ? error.error : error;
    if (cause instanceof ConfigError) {
      cause.problems.forEach((p) => stderr(p));
      return 2;
    }
    const missing = error instanceof ProgramError ? error.missingAnswers : cause instanceof NoOfflineAnswer ? [cause.message] : [];
    if (missing.length > 0) {
      [...new Set(missing)].forEach((m) => stderr(`render: ${m}`));
      return 2;
    }
    throw cause;
  }
  const charts = await expandReleases(run, helm);
  const files = renderFiles(run, options, charts);
  if (earlier) {
    let changes: Change[];
    try {
      changes = rehearse(earlier, run.resources, run.ignoreChanges);
    } catch (error) {
      // A resource type without update semantics: the rehearsal refuses to guess.
      stderr(`render: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    files.set("changes.json", `${JSON.stringify(changes, null, 2)}\n`);
    files.set("changes.md", changesMarkdown(changes, options.against ?? ""));
  }
  try {
    writeRenderFolder(outDir, PROJECT_ROOT, files);
  } catch (error) {
    if (!(error instanceof OutputRefused)) throw error;
    stderr(`render: ${error.message}`);
    return 2;
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const manifests = [...files.keys()].filter((f) => f.startsWith(`manifests${path.sep}`)).length;
  const helmLine =
    "notExpanded" in charts
      ? `Helm charts not expanded: ${charts.notExpanded}`
      : `${charts.expanded.reduce((n, e) => n + e.objects.length, 0)} objects from ${plural(charts.expanded.length, "Helm release")}, expanded in ${seconds(charts.durationMs)}`;
  stdout(`rendered ${run.resources.length} resources, ${manifests} manifests (${helmLine}) to ${path.relative(process.cwd(), outDir) || "."} in ${seconds(durationMs)}`);
  return 0;
}

if (require.main === module) {
  render(process.argv.slice(2), (l) => process.stderr.write(`${l}\n`), (l) => process.stdout.write(`${l}\n`)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`render failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
