/**
 * The one mock harness: runs the real program (index.ts) in process under Pulumi mocks, records every
 * resource the engine would receive (type, name, parent, provider, inputs, dependencies), and answers
 * provider calls offline (aws/answers.ts). A call it does not know is an error, never a guess.
 * The offline render (render/cli.ts) and the tests both use it.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { Resource } from "@pulumi/pulumi/resource";
import { AWS, AWS_INVOKES, KUBERNETES, PULUMI, PULUMI_EKS } from "../components/resource-types";
import { ConfigError, lastConfigWarnings } from "../config";
import {
  awsCalls,
  deployerPrincipal,
  type ExistingCluster,
  MOCK_ACCOUNT_ID,
  MOCK_DEPLOYER_ARN,
  mockState,
  NoOfflineAnswer,
} from "./aws/answers";
import { computedOutputs, type InputReference, type OutputToken, traceRun } from "./provenance";
import { clusterViolations, managedNodeGroupViolations, type RuleViolation } from "./remote-components";
import { activeRunWorker, type WireRunError } from "./run-worker";
import { readStackFiles } from "./stack-files";

export { type ExistingCluster, MOCK_ACCOUNT_ID, MOCK_DEPLOYER_ARN, NoOfflineAnswer } from "./aws/answers";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

/** One registered resource, as the engine would record it. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | null;
  readonly custom: boolean;
  readonly provider: string | null;
  /** URNs this resource waits for: explicit dependsOn and those implied by Output inputs. */
  readonly dependencies: string[];
  /** Inputs with secrets as "[secret]", resource references as their URN. */
  readonly inputs: Record<string, unknown>;
}

export interface ProgramRun {
  readonly resources: RecordedResource[];
  /**
   * Aliases each resource declares, as the URNs they stand for (only resources that declare any).
   * Kept apart from `resources` so the render's resources.json is unchanged by them.
   */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  /** Custom timeouts a resource sets (only those that set any), apart from `resources` for the same reason. */
  readonly customTimeouts: ReadonlyMap<
    string,
    { readonly create?: string; readonly update?: string; readonly delete?: string }
  >;
  /**
   * Input paths a resource's `ignoreChanges` option names (only resources that set any), apart from
   * `resources` for the same reason: a change there is left out of the diff, so the rehearsal must know them.
   */
  readonly ignoreChanges: ReadonlyMap<string, readonly string[]>;
  /**
   * Per resource, the input paths that took their value from another resource's output (provenance.ts), for
   * every resource with any: the change rehearsal plans a replacement's unknown outputs into them. Secret
   * inputs are traced too; their values stay out of every file.
   */
  readonly references: ReadonlyMap<string, readonly InputReference[]>;
  /** Per resource, its top-level inputs' property dependencies (as the SDK sends them), for those with any. */
  readonly propertyDependencies: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>>;
  /** Resources whose options say `deleteBeforeReplace: true`. */
  readonly deleteBeforeReplace: ReadonlySet<string>;
  /** Input paths a resource's `replaceOnChanges` option names (only resources that set any). */
  readonly replaceOnChanges: ReadonlyMap<string, readonly string[]>;
  /** Where the stack runs: what the engine and the providers key every resource by besides its inputs. */
  readonly identity: StackIdentity;
  /** Stack outputs, resolved; secrets as "[secret]". */
  readonly outputs: Record<string, unknown>;
  /**
   * What `pulumi up` would warn about the configuration (config/index.ts lastConfigWarnings), and what the
   * stack file holds that the render left out (stack-files.ts): there is no engine here to show pulumi.log's.
   */
  readonly warnings: readonly string[];
  /**
   * The secret outputs' values, as `pulumi stack output --show-secrets` prints them: for a test that stands
   * in for a deployed stack (verify's). Never written by the render.
   */
  readonly secretOutputs: Record<string, unknown>;
}

/**
 * The stack a run stands for, and the AWS provider's region, partition and account: the engine keys state by
 * project and stack (URNs), the AWS provider keys every regional resource by its region.
 */
export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  readonly partition: string;
  readonly accountId: string;
}

/**
 * What the AWS Load Balancer Controller would report for the load balancers a run declares. Data, not a
 * function, so a run can be made in a worker.
 */
export interface LoadBalancerAnswers {
  /** Names the answers, for the run cache. */
  readonly id: string;
  /**
   * The hostname in a LoadBalancer Service's or an Ingress's `status.loadBalancer.ingress[0]`, by
   * loadBalancerKey; an object without one stays pending.
   */
  readonly hostnames: Readonly<Record<string, string>>;
}

/** The key of one load balancer's answer in LoadBalancerAnswers.hostnames. */
export function loadBalancerKey(kind: "Service" | "Ingress", namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

/** A remote component's provider (or AWS behind it) refuses these inputs. */
export class RemoteComponentError extends Error {
  constructor(
    readonly type: string,
    readonly resourceName: string,
    readonly violations: readonly RuleViolation[],
  ) {
    super(
      `${type} ${resourceName} is refused by its provider: ${violations.map((v) => `${v.message} [${v.rule}: ${v.source}]`).join("; ")}`,
    );
  }
}

// ------------------------------------------------------------- recording

/** The wire form of secrets, resource references and unknowns (Pulumi's RPC signatures). */
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Turns wire values into plain JSON: secrets masked, references as URNs. */
export function plainValue(value: unknown): unknown {
  if (value === UNKNOWN) return "[unknown]";
  if (Array.isArray(value)) return value.map(plainValue);
  if (value && typeof value === "object") {
    const object = value as Record<string, unknown>;
    if (object[SIG_KEY] === SECRET_SIG) return "[secret]";
    if (object[SIG_KEY] === RESOURCE_SIG) return String(object.urn);
    if (SIG_KEY in object) return `[${String(object[SIG_KEY])}]`;
    return Object.fromEntries(
      Object.keys(object)
        .sort()
        .map((k) => [k, plainValue(object[k])]),
    );
  }
  return value;
}

/** One alias as the SDK sends it (pulumirpc.Alias): an URN, or a spec whose empty fields mean "as the resource". */
interface AliasMessage {
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

/** The parts of the engine's RegisterResourceRequest the recorder reads. */
interface RegisterRequest {
  getAliasesList(): AliasMessage[];
  getDeletebeforereplace(): boolean;
  getReplaceonchangesList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getIgnorechangesList(): string[];
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(cb: (deps: { getUrnsList(): string[] }, key: string) => void): void };
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
}
type Callback = (err: Error | null, response?: RegisterResponse) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, callback: Callback): Promise<void>;
}

// The mock monitor lives in the SDK's runtime settings; its registration entry point is wrapped below.
const settings = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor(): MonitorLike;
  disconnect(): Promise<void>;
};

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>`: the parts an URN is made of. */
export function parseUrn(urn: string): { stack: string; project: string; qualifiedType: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`not a Pulumi URN: ${urn}`);
  return {
    stack: parts[0].slice("urn:pulumi:".length),
    project: parts[1],
    qualifiedType: parts[2],
    name: parts.slice(3).join("::"),
  };
}

/** The URN a resource of this type and name gets under this parent (the engine's rule: parent's type chain, then `$type`). */
export function childUrn(stack: string, project: string, parentUrn: string | null, type: string, name: string): string {
  const qualifiedType =
    parentUrn && parseUrn(parentUrn).qualifiedType !== PULUMI.stack
      ? `${parseUrn(parentUrn).qualifiedType}$${type}`
      : type;
  return `urn:pulumi:${stack}::${project}::${qualifiedType}::${name}`;
}

/** The URN an alias stands for, filling its empty fields from the resource (as the engine does). */
function aliasUrn(
  alias: AliasMessage,
  resource: { urn: string; type: string; name: string; parent: string | null },
): string {
  if (alias.getUrn()) return alias.getUrn();
  const spec = alias.getSpec();
  if (!spec) return "";
  const own = parseUrn(resource.urn);
  const parent = spec.getNoparent() ? null : spec.getParenturn() || resource.parent;
  return childUrn(
    spec.getStack() || own.stack,
    spec.getProject() || own.project,
    parent,
    spec.getType() || resource.type,
    spec.getName() || resource.name,
  );
}

function providerUrn(reference: string): string | null {
  if (!reference) return null;
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}

// ----------------------------------------------------------------- config

/**
 * Project config as the Pulumi CLI hands it to the program: Pulumi.yaml defaults, the stack file, then
 * overrides (stack-files.ts; a file it cannot read as the CLI would is a ConfigError naming it).
 */
export function stackConfig(stack: string, overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  return readStackFiles(PROJECT_ROOT, stack, overrides).config;
}

// -------------------------------------------------------------------- run

let running: Promise<unknown> = Promise.resolve();

/** What a run is asked for: everything but `program` is data, so a run can be made in a worker (runProgramsInWorker). */
export interface RunOptions {
  stack?: string;
  config?: Readonly<Record<string, string>>;
  program?: () => Promise<Record<string, unknown>>;
  /** The caller's ARN the mocked getCallerIdentity answers (default: an IAM user). */
  callerArn?: string;
  /** Run the program again even if this configuration ran before (a test of determinism, the render). */
  fresh?: boolean;
  /** Load balancer statuses to answer (default: none, so hostnames stay pending, as in a preview). */
  loadBalancers?: LoadBalancerAnswers;
  /** The day the deploy is judged on (YYYY-MM-DD; EKS's support calendar): default DEFAULT_RUN_DATE. */
  date?: string;
  /** The cluster as a later `pulumi up` finds it (default: none yet, a first deploy). */
  existingCluster?: ExistingCluster;
}

/**
 * Runs the program once with the given configuration (keys as `pulumi config set` takes them) and
 * returns every registered resource and the stack outputs. Runs are serialized: mocks are global.
 */
export function runProgram(options: RunOptions = {}): Promise<ProgramRun> {
  // The program is deterministic: one run per configuration serves every test that asks for it. Keyed by
  // the configuration the program sees (defaults, stack file and overrides merged), so an override that
  // restates a default shares the run.
  const key =
    options.program || options.fresh
      ? undefined
      : runKey(
          options.stack ?? "dev",
          options.config ?? {},
          `${options.callerArn ?? ""}|${options.loadBalancers?.id ?? ""}|${options.date ?? DEFAULT_RUN_DATE}|${JSON.stringify(options.existingCluster ?? null)}`,
        );
  const cached = key === undefined ? undefined : runs.get(key);
  if (cached) return cached;
  const worker = options.program ? undefined : activeRunWorker();
  const run = worker
    ? worker.run(options, (answer) => ("run" in answer ? answer.run : Promise.reject(runErrorFromWire(answer.error))))
    : running.then(() =>
        runOnce(
          options.stack ?? "dev",
          options.config ?? {},
          options.callerArn ?? MOCK_DEPLOYER_ARN,
          options.program,
          options.loadBalancers,
          options.date ?? DEFAULT_RUN_DATE,
          options.existingCluster,
        ),
      );
  if (!worker) running = run.catch(() => undefined);
  if (key !== undefined) runs.set(key, run);
  return run;
}

/**
 * The day a run is judged on when none is given: fixed, so a run today and a run next year agree. The
 * render passes the day it runs (or --date).
 */
export const DEFAULT_RUN_DATE = "2026-12-01";

/** Runs already made in this process, by configuration (a run's result is read, never changed, by its users). */
const runs = new Map<string, Promise<ProgramRun>>();

/** The configuration the program would see, as a cache key; none for a stack that cannot run (never cached). */
function runKey(stack: string, overrides: Readonly<Record<string, string>>, callerArn: string): string | undefined {
  try {
    return JSON.stringify([
      callerArn,
      Object.entries(stackConfig(stack, overrides)).sort(([a], [b]) => (a < b ? -1 : 1)),
    ]);
  } catch {
    return undefined;
  }
}

/**
 * Every Pulumi promise records `new Error().stack` when it is made (@pulumi/pulumi runtime/debuggable.js
 * `debuggablePromise`, read only to report leaked promises at exit), and under tsx every stack is mapped
 * through source maps: a third of a run's time. Runs capture no stack frames unless this is set; the
 * errors a run raises keep their messages.
 */
const RUN_STACK_FRAMES = Number(process.env.EKS_PLATFORM_RUN_STACK_FRAMES ?? 0);

async function runOnce(
  stack: string,
  overrides: Readonly<Record<string, string>>,
  callerArn: string,
  programOverride?: () => Promise<Record<string, unknown>>,
  loadBalancers?: LoadBalancerAnswers,
  date: string = DEFAULT_RUN_DATE,
  existingCluster?: ExistingCluster,
): Promise<ProgramRun> {
  const { config, warnings: stackFileWarnings } = readStackFiles(PROJECT_ROOT, stack, overrides);
  const calls = awsCalls(callerArn, existingCluster);
  /** Inputs of the launch templates registered in this run, by their mocked id (what a node group's rules read). */
  const launchTemplates = new Map<string, Record<string, unknown>>();
  const launchTemplateInputs = (nodeGroupInputs: Record<string, unknown>): Record<string, unknown> | undefined => {
    const reference = nodeGroupInputs.launchTemplate as { id?: unknown } | undefined;
    return typeof reference?.id === "string" ? launchTemplates.get(reference.id) : undefined;
  };
  const resources: RecordedResource[] = [];
  const aliases = new Map<string, string[]>();
  const refused: RemoteComponentError[] = [];
  const customTimeouts = new Map<string, { create?: string; update?: string; delete?: string }>();
  const ignoreChanges = new Map<string, string[]>();
  const replaceOnChanges = new Map<string, string[]>();
  const deleteBeforeReplace = new Set<string>();
  const missingAnswers: string[] = [];
  // What provenance.ts reads, gathered as resources register and traced once the run is over.
  const wireInputs = new Map<string, Record<string, unknown>>();
  const propertyDependencies = new Map<string, Record<string, string[]>>();
  const outputTokens = new Map<string, OutputToken[]>();

  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        // The remote components' providers never run under mocks: their input rules run here instead. The
        // cluster's creator (whose access entry EKS makes) is who created it: the caller, on a first deploy.
        const violations =
          args.type === PULUMI_EKS.cluster
            ? clusterViolations(
                args.inputs as Record<string, unknown>,
                existingCluster?.creatorArn ?? deployerPrincipal(callerArn),
              )
            : args.type === PULUMI_EKS.managedNodeGroup
              ? managedNodeGroupViolations(
                  args.inputs as Record<string, unknown>,
                  launchTemplateInputs(args.inputs as Record<string, unknown>),
                )
              : [];
        // Recorded, not thrown: the run then fails as a whole (ProgramError), as `pulumi up` would, without
        // leaving the refused resource's outputs as unhandled rejections.
        if (violations.length > 0) refused.push(new RemoteComponentError(args.type, args.name, violations));
        const id = `${args.name}-id`;
        if (args.type === AWS.launchTemplate) launchTemplates.set(id, args.inputs as Record<string, unknown>);
        const state = mockState(args.type, args.name, args.inputs as Record<string, unknown>);
        const status =
          loadBalancers && loadBalancerStatus(args.type, args.inputs as Record<string, unknown>, loadBalancers);
        return { id, state: status ? { ...state, status } : state };
      },
      call: (args) => {
        try {
          const answer = calls[args.token];
          if (!answer) throw new NoOfflineAnswer(`no offline answer for the call ${args.token}`);
          return answer(args.inputs);
        } catch (error) {
          if (error instanceof NoOfflineAnswer) missingAnswers.push(error.message);
          throw error;
        }
      },
    },
    "eks-platform",
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config);

  const monitor = settings.getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, response) => {
      if (!err && response) {
        const self = {
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || null,
        };
        const declared = req
          .getAliasesList()
          .map((alias) => aliasUrn(alias, self))
          .filter((urn) => urn !== "");
        if (declared.length > 0) aliases.set(self.urn, declared.sort());
        const timeouts = req.getCustomtimeouts();
        const set = Object.fromEntries(
          (["create", "update", "delete"] as const)
            .map(
              (op) =>
                [
                  op,
                  op === "create"
                    ? timeouts?.getCreate()
                    : op === "update"
                      ? timeouts?.getUpdate()
                      : timeouts?.getDelete(),
                ] as const,
            )
            .filter(([, value]) => value),
        );
        if (Object.keys(set).length > 0) customTimeouts.set(self.urn, set);
        const ignored = req.getIgnorechangesList();
        if (ignored.length > 0) ignoreChanges.set(self.urn, [...ignored].sort());
        const replaceOn = req.getReplaceonchangesList();
        if (replaceOn.length > 0) replaceOnChanges.set(self.urn, [...replaceOn].sort());
        if (req.getDeletebeforereplace()) deleteBeforeReplace.add(self.urn);
        const dependencies = new Set(req.getDependenciesList());
        const byProperty: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps, key) => {
          const urns = deps.getUrnsList().filter((urn) => urn !== "");
          urns.forEach((urn) => dependencies.add(urn));
          if (urns.length > 0) byProperty[key] = [...new Set(urns)].sort();
        });
        const wire = req.getObject()?.toJavaScript() ?? {};
        wireInputs.set(self.urn, wire);
        if (Object.keys(byProperty).length > 0) propertyDependencies.set(self.urn, byProperty);
        if (standsForCloudResource(req.getCustom(), self.type)) {
          outputTokens.set(
            self.urn,
            computedOutputs(response.getId(), response.getObject()?.toJavaScript() ?? {}, wire),
          );
        }
        resources.push({
          urn: response.getUrn(),
          type: req.getType(),
          name: req.getName(),
          parent: req.getParent() || null,
          custom: req.getCustom(),
          provider: providerUrn(req.getProvider()),
          dependencies: [...dependencies].filter((urn) => urn !== "").sort(),
          inputs: plainValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
        });
      }
      callback(err, response);
    });

  // index.ts exports the program as a function (Pulumi calls it), so one module serves every run.
  // A test may run a small program of its own instead (the URN pin's rename cases).
  const program =
    programOverride ?? (require(path.join(PROJECT_ROOT, "index.ts")) as () => Promise<Record<string, unknown>>);
  const stackFrames = Error.stackTraceLimit;
  Error.stackTraceLimit = RUN_STACK_FRAMES;
  // Every resource's constructor captures an unbounded stack trace for the engine's source positions
  // (@pulumi/pulumi 3.270.0 resource.js L313-348 Resource.callsites, which sets Error.stackTraceLimit to
  // Infinity and reads `new Error().stack`, mapped through tsx's source maps): a tenth of a run's time, for a
  // position only the Pulumi CLI shows. Under mocks nothing reads it, so the run records none.
  const positions = Resource as unknown as { callsites: () => unknown[] };
  const callsites = positions.callsites;
  positions.callsites = () => [];
  const givenDate = process.env.EKS_PLATFORM_DATE;
  process.env.EKS_PLATFORM_DATE = date;
  try {
    const { outputs, secretOutputs } = await resolveOutputs(await program());
    await settings.disconnect();
    if (refused.length > 0) throw refused[0];
    const references = traceRun(
      [...wireInputs].map(([urn, wire]) => ({
        urn,
        wireInputs: wire,
        propertyDependencies: propertyDependencies.get(urn) ?? {},
      })),
      outputTokens,
    );
    const identity: StackIdentity = {
      project: pulumi.getProject(),
      stack,
      region: config["aws:region"] ?? "",
      partition: (calls[AWS_INVOKES.getPartition]?.({}).partition as string | undefined) ?? "aws",
      accountId: MOCK_ACCOUNT_ID,
    };
    return {
      resources: resources.sort(byUrn),
      aliases,
      customTimeouts,
      ignoreChanges,
      references,
      propertyDependencies,
      deleteBeforeReplace,
      replaceOnChanges,
      identity,
      outputs,
      secretOutputs,
      warnings: [...stackFileWarnings, ...(programOverride ? [] : lastConfigWarnings())],
    };
  } catch (error) {
    await settings.disconnect().catch(() => undefined);
    throw new ProgramError(error, resources.sort(byUrn), missingAnswers);
  } finally {
    positions.callsites = callsites;
    Error.stackTraceLimit = stackFrames;
    if (givenDate === undefined) delete process.env.EKS_PLATFORM_DATE;
    else process.env.EKS_PLATFORM_DATE = givenDate;
  }
}

/**
 * Resources with cloud state whose outputs others read: custom resources, and pulumi-eks's remote components,
 * which stand for the aws.eks.Cluster and aws.eks.NodeGroup inside them (render/rehearsal/semantics.ts).
 */
function standsForCloudResource(custom: boolean, type: string): boolean {
  return custom || type.startsWith("eks:index:");
}

function byUrn(a: RecordedResource, b: RecordedResource): number {
  return a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0;
}

/** The program failed: carries its error, whatever it had registered by then, and the offline answers it lacked. */
export class ProgramError extends Error {
  constructor(
    readonly error: unknown,
    readonly resources: RecordedResource[],
    readonly missingAnswers: string[],
  ) {
    super(error instanceof Error ? error.message : String(error));
  }
}

async function resolveOutputs(
  outputs: Record<string, unknown>,
): Promise<{ outputs: Record<string, unknown>; secretOutputs: Record<string, unknown> }> {
  const entries = await Promise.all(
    Object.entries(outputs).map(async ([key, value]) => {
      const output = pulumi.output(value as pulumi.Input<object | string | number | boolean>) as pulumi.Output<unknown>;
      const [plain, secret] = await Promise.all([
        new Promise<unknown>((resolve) => output.apply((v) => resolve(v))),
        pulumi.isSecret(output),
      ]);
      return { key, plain, secret };
    }),
  );
  entries.sort((a, b) => (a.key < b.key ? -1 : 1));
  return {
    outputs: Object.fromEntries(entries.map((e) => [e.key, e.secret ? "[secret]" : e.plain])),
    secretOutputs: Object.fromEntries(entries.filter((e) => e.secret).map((e) => [e.key, e.plain])),
  };
}

/** A LoadBalancer Service's or an Ingress's status, as the controller would write it, when the answers have one. */
function loadBalancerStatus(
  type: string,
  inputs: Record<string, unknown>,
  answers: LoadBalancerAnswers,
): Record<string, unknown> | undefined {
  const kind = type === KUBERNETES.service ? "Service" : type === KUBERNETES.ingress ? "Ingress" : undefined;
  if (!kind) return undefined;
  if (kind === "Service" && (inputs.spec as { type?: string } | undefined)?.type !== "LoadBalancer") return undefined;
  const metadata = (inputs.metadata ?? {}) as { name?: string; namespace?: string };
  const hostname =
    answers.hostnames[loadBalancerKey(kind, String(metadata.namespace ?? "default"), String(metadata.name ?? ""))];
  return hostname === undefined ? undefined : { loadBalancer: { ingress: [{ hostname }] } };
}

// ----------------------------------------------------------------- queries

/**
 * What the queries read of a run: its resources. A run is one, and so is an earlier render's resources.json
 * (the rehearsal's PriorState), so the cost estimate reads both the same way.
 */
export interface ResourceGraph {
  readonly resources: readonly RecordedResource[];
}

/** Resources of one type token. */
export function ofType(run: ResourceGraph, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one resource with this type and name; throws naming what is missing. */
export function resource(run: ProgramRun, type: string, name: string): RecordedResource {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = ofType(run, type).map((r) => r.name);
    throw new Error(`no ${type} named ${name} (there are: ${names.join(", ") || "none"})`);
  }
  return found;
}

/** Every URN this resource waits for, directly or through the resources it waits for. */
export function transitiveDependencies(run: ProgramRun, urn: string): Set<string> {
  const byUrn = new Map(run.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const pending = [...(byUrn.get(urn)?.dependencies ?? [])];
  while (pending.length > 0) {
    const next = pending.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...(byUrn.get(next)?.dependencies ?? []));
    // Waiting for a component is waiting for everything inside it.
    pending.push(...run.resources.filter((r) => r.parent === next).map((r) => r.urn));
  }
  return seen;
}

// ------------------------------------------------------------------ worker

/** An error a run raised, as data (render/run-worker.ts WireRunError): enough to make it again on the other side, class and all. */
export function runErrorToWire(error: unknown): WireRunError {
  const cause = error instanceof ProgramError ? error.error : error;
  return {
    kind: error instanceof ProgramError ? "ProgramError" : "Error",
    message: error instanceof Error ? error.message : String(error),
    cause:
      cause instanceof ConfigError
        ? { kind: "ConfigError", problems: [...cause.problems] }
        : cause instanceof RemoteComponentError
          ? {
              kind: "RemoteComponentError",
              type: cause.type,
              resourceName: cause.resourceName,
              violations: cause.violations,
            }
          : cause instanceof Error
            ? {
                kind: cause instanceof NoOfflineAnswer ? "NoOfflineAnswer" : "Error",
                name: cause.name,
                message: cause.message,
                stack: cause.stack,
              }
            : { kind: "Error", name: "Error", message: String(cause) },
    resources: error instanceof ProgramError ? error.resources : [],
    missingAnswers: error instanceof ProgramError ? error.missingAnswers : [],
  };
}

/** The error runErrorToWire described, made again: ProgramError, ConfigError and RemoteComponentError as themselves. */
export function runErrorFromWire(wire: WireRunError): Error {
  const cause = wire.cause;
  let error: Error;
  if (cause.kind === "ConfigError") error = new ConfigError(cause.problems);
  else if (cause.kind === "RemoteComponentError")
    error = new RemoteComponentError(cause.type, cause.resourceName, cause.violations);
  else {
    error = cause.kind === "NoOfflineAnswer" ? new NoOfflineAnswer(cause.message) : new Error(cause.message);
    error.name = cause.name;
    if (cause.stack !== undefined) error.stack = cause.stack;
  }
  return wire.kind === "ProgramError" ? new ProgramError(error, wire.resources, wire.missingAnswers) : error;
}
