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
 * Invalid configuration: exit 2, one line per bad key on stderr, nothing written. So is a custom resource the API
 * server would refuse or strip (crd-validation/): one line per violation, naming the object, field and message.
 * `--out` only ever replaces a folder an earlier render made (output-folder.ts); anything else is refused, exit 2,
 * before anything runs.
 * Deterministic: two renders of the same tree are byte-identical; how long it took goes to stdout only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type SupportType, supportDeadlineWarning } from "../components/cluster/eks-versions";
import { PULUMI_EKS } from "../components/resource-types";
import { ConfigError } from "../config";
import { expandReleases } from "./charts";
import {
  checkCustomResources,
  compileCustomResourceChecks,
  type RunCustomResourceCheck,
  violationLines,
} from "./crd-validation/run";
import { RENDER_IDENTITY_FILE, renderFiles } from "./files";
import {
  NoOfflineAnswer,
  PROJECT_ROOT,
  ProgramError,
  type ProgramRun,
  type RecordedResource,
  type RunOptions,
  runProgram,
  type StackIdentity,
} from "./harness";
import { type HelmLocator, pinnedHelm } from "./helm";
import { HELP, parseRenderArgs, type RenderOptions, USAGE, UsageError } from "./options";
import { OutputRefused, outputDecision, writeRenderFolder } from "./output-folder";
import { changesMarkdown } from "./rehearsal/changes-markdown";
import { costChangeLines, costChangeSummary } from "./rehearsal/cost-change";
import { failedOn, otherStack, planChanges, planCounts, priorIdentity, renamedTo } from "./rehearsal/plan";
import type { Change, PriorState } from "./rehearsal/rehearse";
import { estimateCost } from "./summary/cost-estimate";
import { plural } from "./summary/markdown";

/**
 * The state an earlier render stands for: its resources.json, and the stack and region its render.json
 * records (a render from before render.json existed gives its stack by its URNs, and no region).
 */
function readEarlierRender(folder: string): PriorState {
  const file = path.join(folder, "resources.json");
  if (!fs.existsSync(file)) throw new Error(`no resources.json there: give the folder of an earlier render`);
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (
    !Array.isArray(parsed) ||
    !parsed.every(
      (r) =>
        typeof r === "object" &&
        r !== null &&
        typeof (r as RecordedResource).urn === "string" &&
        typeof (r as RecordedResource).type === "string",
    )
  ) {
    throw new Error("resources.json is not a render's resource list");
  }
  const identityFile = path.join(folder, RENDER_IDENTITY_FILE);
  const recorded = fs.existsSync(identityFile)
    ? (JSON.parse(fs.readFileSync(identityFile, "utf8")) as Partial<StackIdentity>)
    : undefined;
  return { resources: parsed as RecordedResource[], identity: priorIdentity(parsed as RecordedResource[], recorded) };
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
  /** Runs the program: the harness (the default); a test wraps it to hand the render a run it changed. */
  runs: (options: RunOptions) => Promise<ProgramRun> = runProgram,
): Promise<number> {
  let options: RenderOptions;
  try {
    options = parseRenderArgs(argv);
  } catch (error) {
    stderr(`render: ${error instanceof Error ? error.message : String(error)}`);
    // A value of a known option is said in one line; an unknown option gets the usage, which lists them.
    if (!(error instanceof UsageError)) stderr(USAGE);
    return 2;
  }
  if (options.help) {
    stdout(HELP);
    return 0;
  }
  // The earlier render, read before anything runs: a wrong --against is one line, and writes nothing.
  let earlier: PriorState | undefined;
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
    run = await runs({ stack: options.stack, config: options.config, fresh: freshRun, date: options.date });
  } catch (error) {
    const cause = error instanceof ProgramError ? error.error : error;
    if (cause instanceof ConfigError) {
      cause.problems.forEach((p) => stderr(p));
      return 2;
    }
    const missing =
      error instanceof ProgramError ? error.missingAnswers : cause instanceof NoOfflineAnswer ? [cause.message] : [];
    if (missing.length > 0) {
      [...new Set(missing)].forEach((m) => stderr(`render: ${m}`));
      return 2;
    }
    throw cause;
  }
  let changes: Change[] | undefined;
  let cost: { lines: string[]; summary: string } | undefined;
  const notes: string[] = [];
  if (earlier) {
    // Another stack's (or project's) state is not this stack's: its URNs never pair, and every resource would
    // read as created. A rename is the one case where it is, and the user says so.
    const other = otherStack(earlier.identity ?? {}, run.identity);
    if (other && !options.againstStackRename) {
      stderr(
        `render: --against ${options.against}: ${other}; give a render of this stack, or --against-stack-rename if it is this stack before \`pulumi stack rename\``,
      );
      return 2;
    }
    const prior: PriorState = other
      ? {
          resources: renamedTo(earlier.resources, run.identity),
          identity: { ...earlier.identity, ...run.identity, region: earlier.identity?.region },
        }
      : earlier;
    try {
      changes = planChanges(prior, run);
    } catch (error) {
      // A resource type without update semantics: the rehearsal refuses to guess.
      stderr(`render: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
    // Both sides priced alike, on the render's day: the change is what the resources change, not the calendar.
    const estimates = [
      estimateCost({
        resources: prior.resources,
        region: prior.identity?.region ?? run.identity.region,
        date: options.date,
      }),
      estimateCost({ resources: run.resources, region: run.identity.region, date: options.date }),
    ] as const;
    cost = { lines: costChangeLines(...estimates), summary: costChangeSummary(...estimates) };
    if (other) {
      notes.push(stackRenameNote(earlier.identity ?? {}, run.identity));
      changes = changes.map((c) => (c.type === PULUMI_EKS.cluster ? { ...c, warnings: [...c.warnings, ...notes] } : c));
    }
  }
  const expansion = expandReleases(run, helm);
  // Awaited below; handled from now on, so a failure that comes while this thread compiles is not "unhandled".
  expansion.catch(() => undefined);
  // helm runs in child processes once its binary is found (a turn of the event loop away); meanwhile this thread
  // compiles the CRD schemas and rules the custom resources are checked against.
  await new Promise((resolve) => setImmediate(resolve));
  compileCustomResourceChecks(run);
  const charts = await expansion;
  // Custom resources the API server would refuse (or strip) stop the render as bad configuration does.
  const customResources = checkCustomResources(run, charts);
  const refusedObjects = violationLines(customResources);
  if (refusedObjects.length > 0) {
    refusedObjects.forEach((line) => stderr(`render: ${line}`));
    return 2;
  }
  const files = renderFiles(run, options, charts);
  if (changes) {
    files.set("changes.json", `${JSON.stringify(changes, null, 2)}\n`);
    files.set(
      "changes.md",
      changesMarkdown(
        changes,
        options.against ?? "",
        [...(earlier?.resources ?? []), ...run.resources],
        notes,
        cost?.lines ?? [],
      ),
    );
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
  const where = path.relative(process.cwd(), outDir) || ".";
  // What `pulumi up` warns on the same day: a support deadline within 60 days.
  const cluster = run.resources.find((r) => r.type === PULUMI_EKS.cluster);
  const supportType = (cluster?.inputs.upgradePolicy as { supportType?: SupportType } | undefined)?.supportType;
  const deadline =
    cluster && supportType
      ? supportDeadlineWarning(String(cluster.inputs.version), supportType, options.date)
      : undefined;
  // What `pulumi up` would warn (config/warnings.ts) and what the stack file holds that the render left out.
  for (const warning of run.warnings) stdout(`warning: ${warning}`);
  if (deadline) stdout(`warning: ${deadline}`);
  stdout(customResourcesLine(customResources));
  stdout(
    `rendered ${run.resources.length} resources, ${manifests} manifests (${helmLine}) to ${where} in ${seconds(durationMs)}`,
  );
  if (changes) {
    const counts = planCounts(changes);
    stdout(
      `rehearsed against ${options.against}: ${counts.blocking} blocking, ${counts.replace} replace, ${counts.delete} delete, ${counts.update} update, ${counts.create} create, ${counts.same} unchanged; wrote ${path.join(where, "changes.md")} and ${path.join(where, "changes.json")}`,
    );
    if (cost) stdout(cost.summary);
    const failed = failedOn(changes, options.failOn);
    if (failed.length > 0) {
      stderr(
        `render: the plan has ${failed.map((f) => (f === "blocking" ? "blocking findings" : `a ${f}`)).join(" and ")} (--fail-on ${options.failOn.join(",")})`,
      );
      return 3;
    }
  }
  return 0;
}

/** What the custom resource check did, for stdout. */
function customResourcesLine(check: RunCustomResourceCheck): string {
  const unchecked = check.unchecked.length > 0 ? `; not checked: ${check.unchecked.join("; ")}` : "";
  return `custom resources: ${plural(check.checked.length, "object")} valid against the CRDs the program applies (${plural(check.rulesEvaluated, "CEL rule")} evaluated, ${plural(check.rulesSkipped, "transition rule")} skipped)${unchecked}`;
}

/** What a stack rename does to this program, said on the stack's row when the rehearsal compares across one. */
function stackRenameNote(before: Partial<StackIdentity>, after: StackIdentity): string {
  return `stack ${before.stack ?? "?"} renamed to ${after.stack}: Pulumi rewrites every URN in the state, and this program names the cluster after the stack (eks-platform-<stack>), so the cluster and everything named after it is replaced`;
}

if (require.main === module) {
  render(
    process.argv.slice(2),
    (l) => process.stderr.write(`${l}\n`),
    (l) => process.stdout.write(`${l}\n`),
  ).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `render failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
