/**
 * `npm run render`: the whole stack, offline. Runs the real program in process under the test
 * harness's Pulumi mocks and writes what `pulumi up` would declare:
 *
 *   out/render/resources.json   every resource: urn, type, name, parent, custom, provider, dependencies, inputs
 *   out/render/manifests/       every Kubernetes object, one YAML file each; Helm releases as chart + values
 *   out/render/summary.md       what a reviewer reads in a minute
 *
 * Usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...]
 * Invalid configuration: exit 2, one line per bad key on stderr, nothing written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { NLB_LOAD_BALANCER_CLASS } from "../apps/load-balancing";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from "../components/external-dns/values";
import { ConfigError } from "../config";
import { MissingFixtureError, PROJECT_ROOT, ProgramError, type ProgramRun, type RecordedResource, runProgram } from "../test/harness";

export const USAGE = "usage: npm run render -- [--stack dev] [--out out/render] [--config key=value ...]";
const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

export interface RenderOptions {
  readonly stack: string;
  readonly out: string;
  readonly config: Record<string, string>;
}

/** Command-line arguments; throws a UsageError naming what is wrong. */
export function parseRenderArgs(argv: readonly string[]): RenderOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      stack: { type: "string", default: "dev" },
      out: { type: "string", default: path.join("out", "render") },
      config: { type: "string", multiple: true, default: [] },
    },
    strict: true,
    allowPositionals: false,
  });
  const config: Record<string, string> = {};
  for (const pair of values.config ?? []) {
    const cut = pair.indexOf("=");
    if (cut <= 0) throw new UsageError(`--config ${pair}: expected key=value (as in pulumi config set key value)`);
    config[pair.slice(0, cut)] = pair.slice(cut + 1);
  }
  return { stack: values.stack ?? "dev", out: values.out ?? path.join("out", "render"), config };
}

export class UsageError extends Error {}

// ---------------------------------------------------------------- files

/** Kubernetes objects the program declares (not the provider), keyed by their output path. */
export function manifestFiles(run: ProgramRun): Map<string, string> {
  const files = new Map<string, string>();
  for (const r of run.resources) {
    if (!r.custom || !r.type.startsWith("kubernetes:") || r.type.startsWith("pulumi:providers:")) continue;
    const file = manifestPath(r);
    if (files.has(file)) throw new Error(`two Kubernetes objects render to ${file}`);
    files.set(file, stringify(manifestBody(r), { sortMapEntries: false, lineWidth: 0 }));
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

interface ObjectMeta {
  name?: string;
  namespace?: string;
}

function manifestPath(r: RecordedResource): string {
  const kind = r.type === HELM_RELEASE ? "HelmRelease" : (r.type.split(":").pop() as string);
  const metadata = (r.inputs.metadata as ObjectMeta | undefined) ?? {};
  const name = r.type === HELM_RELEASE ? String(r.inputs.name ?? r.name) : (metadata.name ?? r.name);
  const namespace = r.type === HELM_RELEASE ? r.inputs.namespace : metadata.namespace;
  return path.join(typeof namespace === "string" && namespace !== "" ? namespace : "_cluster", `${kind}-${name}.yaml`);
}

function manifestBody(r: RecordedResource): Record<string, unknown> {
  if (r.type === HELM_RELEASE) {
    const repositoryOpts = r.inputs.repositoryOpts as { repo?: string } | undefined;
    return {
      kind: "HelmRelease",
      name: r.inputs.name ?? r.name,
      namespace: r.inputs.namespace,
      chart: r.inputs.chart,
      version: r.inputs.version,
      repository: repositoryOpts?.repo,
      values: r.inputs.values ?? {},
    };
  }
  // apiVersion and kind first, as kubectl writes them; the rest in the recorder's sorted order.
  const { apiVersion, kind, metadata, ...rest } = r.inputs;
  return { apiVersion, kind, metadata, ...rest };
}

// -------------------------------------------------------------- summary

type Annotations = Record<string, string>;

interface LoadBalancerRow {
  readonly object: string;
  readonly kind: string;
  readonly scheme: string;
  readonly targetType: string;
  readonly hostnames: string;
}

function annotationsOf(r: RecordedResource): Annotations {
  return ((r.inputs.metadata as { annotations?: Annotations } | undefined)?.annotations ?? {}) as Annotations;
}

/** Every load balancer the controller will create: LoadBalancer Services (NLB) and Ingresses (ALB, grouped). */
export function loadBalancers(run: ProgramRun): LoadBalancerRow[] {
  const rows: LoadBalancerRow[] = [];
  for (const r of run.resources) {
    const metadata = (r.inputs.metadata as ObjectMeta | undefined) ?? {};
    const object = `${metadata.namespace ?? "default"}/${metadata.name ?? r.name}`;
    const a = annotationsOf(r);
    if (r.type === "kubernetes:core/v1:Service" && (r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer") {
      const spec = r.inputs.spec as { loadBalancerClass?: string };
      rows.push({
        object: `Service ${object}`,
        kind: spec.loadBalancerClass === NLB_LOAD_BALANCER_CLASS ? "NLB" : `? (${spec.loadBalancerClass ?? "no class"})`,
        scheme: a["service.beta.kubernetes.io/aws-load-balancer-scheme"] ?? "internal (default)",
        targetType: a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] ?? "instance (default)",
        // The key the pinned ExternalDNS reads: the one the apps write.
        hostnames: a[EXTERNAL_DNS_HOSTNAME_ANNOTATION] ?? "(load balancer's own)",
      });
    }
    if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") {
      const spec = r.inputs.spec as { rules?: Array<{ host?: string }> };
      const hosts = (spec.rules ?? []).map((rule) => rule.host).filter((h): h is string => Boolean(h));
      const group = a["alb.ingress.kubernetes.io/group.name"];
      rows.push({
        object: `Ingress ${object}`,
        kind: group ? `ALB (group ${group})` : "ALB",
        scheme: a["alb.ingress.kubernetes.io/scheme"] ?? "internal (default)",
        targetType: a["alb.ingress.kubernetes.io/target-type"] ?? "instance (default)",
        hostnames: hosts.join(", ") || "(load balancer's own)",
      });
    }
  }
  return rows;
}

function table(headers: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

interface NodeGroupOutput {
  instanceTypes: string[];
  maxPods: number;
  kubeReservedMemory: string;
}

/** summary.md: deterministic but for its last line, the render's duration. */
export function summary(run: ProgramRun, options: RenderOptions, durationMs: number): string {
  const counts = new Map<string, number>();
  for (const r of run.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  const nodeGroups = (run.outputs.nodeGroups ?? {}) as Record<string, NodeGroupOutput>;
  const urls = (run.outputs.urls ?? {}) as Record<string, string>;
  const notes = run.outputs.notes as string[] | undefined;
  const overrides = Object.entries(options.config).map(([k, v]) => `\`${k}=${v}\``);
  const sections = [
    `# Render of stack \`${options.stack}\``,
    `Cluster \`${String(run.outputs.clusterName)}\`, ${run.resources.length} resources` +
      (overrides.length > 0 ? `, with ${overrides.join(", ")}` : "") +
      ". Cloud-computed values (ids, ARNs, hostnames) are placeholders; Helm charts are not expanded.",
    "## Node groups",
    table(
      ["node group", "instance types", "max pods", "kube-reserved memory"],
      Object.entries(nodeGroups).map(([name, g]) => [name, g.instanceTypes.join(", "), String(g.maxPods), g.kubeReservedMemory]),
    ),
    "## Load balancers",
    (() => {
      const rows = loadBalancers(run);
      return rows.length === 0
        ? "None."
        : table(["object", "kind", "scheme", "target type", "hostnames"], rows.map((r) => [r.object, r.kind, r.scheme, r.targetType, r.hostnames]));
    })(),
    "## App URLs",
    Object.keys(urls).length === 0 ? "None." : table(["app", "URL"], Object.entries(urls).map(([app, url]) => [app, url])),
    ...(notes && notes.length > 0 ? ["## Notes", notes.map((n) => `- ${n}`).join("\n")] : []),
    "## Resources by type",
    table(["type", "count"], [...counts.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, n]) => [`\`${type}\``, String(n)])),
    `Rendered in ${(durationMs / 1000).toFixed(1)} s.`,
  ];
  return `${sections.join("\n\n")}\n`;
}

/** Every file of a render, relative to the output folder. */
export function renderFiles(run: ProgramRun, options: RenderOptions, durationMs: number): Map<string, string> {
  const files = new Map<string, string>();
  files.set("resources.json", `${JSON.stringify(run.resources, null, 2)}\n`);
  for (const [file, text] of manifestFiles(run)) files.set(path.join("manifests", file), text);
  files.set("summary.md", summary(run, options, durationMs));
  return files;
}

function writeFiles(outDir: string, files: Map<string, string>): void {
  // Start from an empty folder, so nothing from an earlier render lingers.
  fs.rmSync(outDir, { recursive: true, force: true });
  for (const [file, text] of files) {
    const target = path.join(outDir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, text);
  }
}

// ------------------------------------------------------------------ main

/** Runs a render; returns the exit code. Output goes to `out` relative to the project root. */
export async function render(argv: readonly string[], stderr: (line: string) => void, stdout: (line: string) => void): Promise<number> {
  let options: RenderOptions;
  try {
    options = parseRenderArgs(argv);
  } catch (error) {
    stderr(`render: ${error instanceof Error ? error.message : String(error)}`);
    stderr(USAGE);
    return 2;
  }
  const started = process.hrtime.bigint();
  let run: ProgramRun;
  try {
    run = await runProgram({ stack: options.stack, config: options.config });
  } catch (error) {
    const cause = error instanceof ProgramError ? error.error : error;
    if (cause instanceof ConfigError) {
      cause.problems.forEach((p) => stderr(p));
      return 2;
    }
    const missing = error instanceof ProgramError ? error.missingFixtures : cause instanceof MissingFixtureError ? [cause.message] : [];
    if (missing.length > 0) {
      [...new Set(missing)].forEach((m) => stderr(`render: ${m}`));
      return 2;
    }
    throw cause;
  }
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
  const outDir = path.resolve(PROJECT_ROOT, options.out);
  const files = renderFiles(run, options, durationMs);
  writeFiles(outDir, files);
  const manifests = [...files.keys()].filter((f) => f.startsWith(`manifests${path.sep}`)).length;
  stdout(`rendered ${run.resources.length} resources, ${manifests} manifests to ${path.relative(process.cwd(), outDir) || "."} in ${(durationMs / 1000).toFixed(1)} s`);
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
