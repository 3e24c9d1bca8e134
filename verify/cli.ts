/**
 * `npm run verify`: after `pulumi up`, checks the live cluster and its load balancers against what the
 * program promised, printing each check as it finishes and a table at the end; exit code 1 when any
 * check fails, 2 on a usage error. `main` takes its clients and output as arguments, so the tests run it
 * in process with fakes (test/verify-cli.test.ts).
 */
import { parseArgs } from "node:util";
import { CHECK_IDS, CHECKS, type CheckSpec, type NetworkProbes, type VerifyClients } from "./catalog";
import { createTargetHealthApi } from "./clients/elbv2";
import { type ClusterApi, connectCluster, describeApiError, type KubeconfigSource } from "./clients/kubernetes";
import { probeEcho, probePage, probeRedirect, probeTls, systemResolver } from "./clients/network";
import { loadStackOutputs, PULUMI_OUTPUT_COMMAND } from "./clients/stack";
import { parseStackOutputs, type StackOutputs } from "./outputs";
import { formatResult, formatTable, formatWaiting, jsonReport } from "./report";
import { runChecks, skipReason, type TimedResult } from "./runner";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const DEFAULT_REQUESTS = 20;
const MAX_REQUESTS = 200;
const DEFAULT_TIMEOUT_SECONDS = 120;
/** How long a check may be quiet before it says what it waits for. */
const SLOW_AFTER_MS = 2000;
const CONCURRENCY = 4;
const NETWORK_TIMEOUT_MS = 10_000;

export interface CliIo {
  /** Standard output: the report, or the JSON document with --json. */
  out(text: string): void;
  /** Standard error: usage errors, and progress with --json. */
  err(text: string): void;
}

export interface CliDeps {
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  loadOutputs(file: string | undefined): Promise<unknown>;
  createClients(outputs: StackOutputs, kubeconfig: KubeconfigSource | undefined): VerifyClients;
  readonly slowAfterMs?: number;
  readonly now?: () => number;
}

const WHEN = { domain: "with a domain", networkLab: "with the network lab", karpenter: "with Karpenter" } as const;

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines.map((l) => indent + l);
}

export function helpText(checks: readonly CheckSpec[] = CHECKS): string {
  const idWidth = Math.max(...checks.map((c) => c.id.length)) + 2;
  const pad = " ".repeat(2 + idWidth);
  const checkLines = checks.flatMap((c) => [
    `  ${c.id.padEnd(idWidth)}${c.title}${c.when ? ` [${WHEN[c.when]}]` : ""}`,
    ...wrap(`needs: ${c.needs}`, 100 - pad.length, pad),
  ]);
  return [
    "Usage: npm run verify -- [options]",
    "",
    "Checks the live cluster and its load balancers against what the Pulumi program promised; run it after",
    "`pulumi up`. Each check prints as it finishes (a slow one says what it waits for), then a table.",
    "",
    "Options:",
    "  --outputs FILE   stack outputs saved with `pulumi stack output --json --show-secrets > FILE`",
    "                   (default: run that command for the selected stack in this directory)",
    "  --only IDS       run only these checks: ids separated by commas",
    "  --json           print one JSON document on stdout (progress goes to stderr)",
    `  --requests N     requests each netshoot pod sends in zone-local (default ${DEFAULT_REQUESTS}, at most ${MAX_REQUESTS})`,
    `  --timeout SECS   fail a check still running after this long (default ${DEFAULT_TIMEOUT_SECONDS})`,
    "  -h, --help       this text",
    "",
    "Kubernetes: the kubeconfig in $KUBECONFIG when set, else the stack output kubeconfig.",
    "AWS: credentials and region from the SDK's default chain (AWS_PROFILE, AWS_REGION, ...), the stack",
    "output region as a fallback; each target group is asked in the region its ARN names.",
    "",
    "Checks:",
    ...checkLines,
    "",
    "Exit code: 0 when every check passed or was skipped, 1 when any failed, 2 on a usage error.",
  ].join("\n");
}

interface Options {
  readonly outputsFile?: string;
  readonly json: boolean;
  readonly only?: readonly string[];
  readonly requests: number;
  readonly timeoutMs: number;
}

const FLAGS = {
  outputs: { type: "string" },
  json: { type: "boolean" },
  only: { type: "string" },
  requests: { type: "string" },
  timeout: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parseFlags(argv: readonly string[]) {
  return parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: FLAGS }).values;
}

/** Parsed options, or the usage error to print. */
export function parseOptions(argv: readonly string[]): { options?: Options; help?: true; error?: string } {
  let values: ReturnType<typeof parseFlags>;
  try {
    values = parseFlags(argv);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (values.help) return { help: true };
  let only: string[] | undefined;
  if (values.only !== undefined) {
    only = values.only
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    const unknown = only.filter((id) => !CHECK_IDS.includes(id));
    if (only.length === 0 || unknown.length > 0) {
      return {
        error: `--only: unknown check id ${unknown.join(", ") || "(none given)"}; the ids are ${CHECK_IDS.join(", ")}`,
      };
    }
  }
  const requests = values.requests === undefined ? DEFAULT_REQUESTS : Number(values.requests);
  if (!Number.isInteger(requests) || requests < 1 || requests > MAX_REQUESTS) {
    return { error: `--requests: expected a whole number from 1 to ${MAX_REQUESTS}, got ${values.requests}` };
  }
  const timeout = values.timeout === undefined ? DEFAULT_TIMEOUT_SECONDS : Number(values.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0)
    return { error: `--timeout: expected a number of seconds above 0, got ${values.timeout}` };
  return {
    options: { outputsFile: values.outputs, json: values.json === true, only, requests, timeoutMs: timeout * 1000 },
  };
}

function describeStack(outputs: StackOutputs, kubeconfig: KubeconfigSource | undefined, count: number): string {
  return [
    `verify: cluster ${outputs.clusterName ?? "(no clusterName output)"}${outputs.region ? ` in ${outputs.region}` : ""}`,
    outputs.domain ? `domain ${outputs.domain}` : "no domain",
    `network lab ${outputs.networkLab === true ? "on" : "off"}`,
    `kubeconfig from ${kubeconfig === undefined ? "nowhere" : kubeconfig.kind === "env" ? "$KUBECONFIG" : "the stack output"}`,
    `${count} check(s)`,
  ].join(", ");
}

export async function main(argv: readonly string[], deps: CliDeps): Promise<number> {
  const parsed = parseOptions(argv);
  if (parsed.help) {
    deps.io.out(helpText());
    return EXIT_OK;
  }
  if (!parsed.options) {
    deps.io.err(`verify: ${parsed.error}\nRun with --help for the options and checks.`);
    return EXIT_USAGE;
  }
  const options = parsed.options;
  // Before anything slow (the Pulumi CLI can take seconds): say where the outputs come from.
  const progress = options.json ? deps.io.err : deps.io.out;
  progress(`verify: reading the stack outputs from ${options.outputsFile ?? `\`${PULUMI_OUTPUT_COMMAND.join(" ")}\``}`);

  let raw: unknown;
  try {
    raw = await deps.loadOutputs(options.outputsFile);
  } catch (e) {
    deps.io.err(`verify: ${(e as Error).message}`);
    return EXIT_USAGE;
  }
  const notOurs = notThisProjectsOutputs(raw);
  if (notOurs !== undefined) {
    deps.io.err(`verify: ${notOurs}`);
    return EXIT_USAGE;
  }
  const { outputs, problems } = parseStackOutputs(raw);
  if (problems.length > 0) {
    deps.io.err(
      ["verify: the stack outputs are not what verify expects:", ...problems.map((p) => `  ${p}`)].join("\n"),
    );
    return EXIT_USAGE;
  }

  const kubeconfigPath = deps.env.KUBECONFIG;
  const kubeconfig: KubeconfigSource | undefined =
    kubeconfigPath !== undefined && kubeconfigPath !== ""
      ? { kind: "env" }
      : outputs.kubeconfig !== undefined
        ? { kind: "text", text: outputs.kubeconfig }
        : undefined;
  const selected = options.only ? CHECKS.filter((c) => options.only?.includes(c.id)) : CHECKS;
  // With --json, stdout carries only the document; progress goes to stderr so a pipeline still shows it.
  progress(describeStack(outputs, kubeconfig, selected.length));

  const clients = deps.createClients(outputs, kubeconfig);
  // The API server asked once before the checks that need it: unreachable, it is said once, and those checks
  // are not run, instead of each failing on the same connection error.
  const needing = selected.filter((c) => needsCluster(c) && skipReason(c, outputs) === undefined);
  const unreachable =
    needing.length > 0 ? await probeCluster(clients, Math.min(options.timeoutMs, PROBE_TIMEOUT_MS)) : undefined;
  const notRun = unreachable === undefined ? [] : needing;
  if (unreachable !== undefined)
    progress(
      `verify: ${unreachable}: not running the ${notRun.length} check(s) that need it (${notRun.map((c) => c.id).join(", ")})`,
    );
  const results: TimedResult[] = await runChecks(
    selected.filter((c) => !notRun.includes(c)),
    {
      outputs,
      clients,
      requests: options.requests,
      execTimeoutMs: Math.min(options.timeoutMs, 60_000),
      slowAfterMs: deps.slowAfterMs ?? SLOW_AFTER_MS,
      checkTimeoutMs: options.timeoutMs,
      concurrency: CONCURRENCY,
      now: deps.now,
      onEvent: (event) =>
        progress(
          event.kind === "done" ? formatResult(event.result) : formatWaiting(event.id, event.what, event.elapsedMs),
        ),
    },
  );

  // In the JSON document every selected check has its entry, in catalog order: those not run fail with why.
  const notRunResults: TimedResult[] = notRun.map((c) => ({
    id: c.id,
    title: c.title,
    status: "fail",
    evidence: `not run: ${unreachable}`,
    durationMs: 0,
  }));
  const all = selected.map((c) => [...results, ...notRunResults].find((r) => r.id === c.id) as TimedResult);
  if (options.json) deps.io.out(JSON.stringify(jsonReport(all, outputs.clusterName), null, 2));
  else
    deps.io.out(
      `\n${formatTable(results, unreachable === undefined ? undefined : { ids: notRun.map((c) => c.id), why: "no answer from the Kubernetes API server, said above" })}`,
    );
  return all.some((r) => r.status === "fail") ? EXIT_FAILED : EXIT_OK;
}

/** How long the API server may take to answer /version before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 30_000;

/** A check reads the cluster when its --help line says it needs Kubernetes (catalog.ts `needs`). */
export function needsCluster(spec: CheckSpec): boolean {
  return /\bKubernetes:/.test(spec.needs);
}

/** Asks the API server its version; the sentence to say when that fails, or undefined when it answers. */
async function probeCluster(clients: VerifyClients, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer in ${Math.round(timeoutMs / 1000)} s`), timeoutMs);
  });
  try {
    const why = await Promise.race([
      clients
        .cluster()
        .then((api) => api.serverVersion())
        .then(
          () => undefined,
          (e: unknown) => describeApiError(e),
        ),
      timedOut,
    ]);
    if (why === undefined) return undefined;
    // An HTTP status is an answer: the server is there and refuses; anything else never reached it.
    return /^HTTP \d/.test(why)
      ? `the Kubernetes API server answers ${why}`
      : `the Kubernetes API server cannot be reached (${why})`;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Why the outputs are not an eks-platform stack's, or undefined: every stack of the program exports these
 * (index.ts), whatever its configuration; `{}` is a stack never deployed, or another project's.
 */
export function notThisProjectsOutputs(raw: unknown): string | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return undefined;
  const missing = SIGNATURE_OUTPUTS.filter((key) => (raw as Record<string, unknown>)[key] === undefined);
  if (missing.length === 0) return undefined;
  const what =
    Object.keys(raw).length === 0
      ? "the stack has no outputs ({})"
      : `the stack outputs lack ${missing.length > 1 ? `${missing.slice(0, -1).join(", ")} and ${missing[missing.length - 1]}` : missing[0]}, which every eks-platform stack exports`;
  return `${what}: not this project's stack, or one not deployed yet; select it (pulumi stack select <stack>), pulumi up, or give its outputs with --outputs FILE`;
}

/** Outputs every stack of this program exports (index.ts), that verify reads. */
const SIGNATURE_OUTPUTS = ["clusterName", "region", "nodeGroups"] as const;

/** The real clients: the cluster from the kubeconfig (connected once, on first use), AWS, and the network. */
export function createClients(outputs: StackOutputs, kubeconfig: KubeconfigSource | undefined): VerifyClients {
  let cluster: Promise<ClusterApi> | undefined;
  const probe = { timeoutMs: NETWORK_TIMEOUT_MS };
  const network: NetworkProbes = {
    tls: (host, port) => probeTls(host, port, probe),
    redirect: (url) => probeRedirect(url, probe),
    page: (game, url) => probePage(game, url, probe),
    echo: (url) => probeEcho(url, probe),
    resolve4: (name) => systemResolver.resolve4(name),
  };
  return {
    cluster: () => {
      cluster ??=
        kubeconfig === undefined
          ? Promise.reject(
              new Error(
                "no kubeconfig: set KUBECONFIG, or give stack outputs that include kubeconfig (--show-secrets)",
              ),
            )
          : connectCluster(kubeconfig);
      return cluster;
    },
    targetHealth: createTargetHealthApi(outputs.region),
    network,
  };
}

if (require.main === module) {
  const deps: CliDeps = {
    io: { out: (text) => process.stdout.write(`${text}\n`), err: (text) => process.stderr.write(`${text}\n`) },
    env: process.env,
    loadOutputs: loadStackOutputs,
    createClients,
  };
  main(process.argv.slice(2), deps).then(
    // Exit explicitly: a probe abandoned at its timeout may still hold a socket open.
    (code) => process.stdout.write("", () => process.exit(code)),
    (e: unknown) => {
      process.stderr.write(`verify: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(EXIT_FAILED);
    },
  );
}
