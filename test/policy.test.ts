/**
 * The policy pack (policy/), run without the Pulumi CLI: every policy against the recorded dev stack
 * (nothing mandatory fires), and against the same stack with one field of one real resource changed
 * (exactly that policy fires). The adapter below builds the arguments @pulumi/policy 1.21.0's analyzer
 * builds (server.js makeAnalyzeRpcFun / makeAnalyzeStackRpcFun): properties wrapped in its
 * unknown-checking proxy, `notApplicable` thrown, an unknown value read turned into an advisory
 * "can't run during preview". Stack policies get inputs here where the engine gives outputs; for what
 * these rules read (Kubernetes objects, subnets, NAT gateways) preview outputs repeat the inputs.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import type {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { parse as parseYaml } from "yaml";
import { DEFAULT_SSL_POLICY } from "../components/load-balancer-controller/values";
import { AWS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import { CATALOG, ruleIdsText } from "../policy/catalog";
import { policies } from "../policy/policies";
import { isAllowedTlsPolicy, TLS13_POLICIES } from "../policy/rules/tls13-policies";
import { PROJECT_ROOT, parseUrn, type RecordedResource, runProgram } from "../render/harness";
import tls13 from "./fixtures/elb-tls13-policies.json";
import { TEAM_CHOICES } from "./shared-configs";

// ------------------------------------------------------------------ the engine's side, in process

/** The proxy the analyzer wraps properties in; its type declarations leave it out (proxy.d.ts is empty). */
const { unknownCheckingProxy } = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T extends object>(value: T): T;
};
/** How the engine marshals a value unknown during preview (proxy.js unknownStringValue); the harness records it as "[unknown]". */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

function engineValue(value: unknown): unknown {
  if (value === "[unknown]") return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map(engineValue);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, engineValue(v)]));
  }
  return value;
}
const engineProps = (inputs: Record<string, unknown>): Record<string, unknown> =>
  unknownCheckingProxy(engineValue(inputs) as Record<string, unknown>);

class NotApplicable extends Error {}
const isUnknownValueError = (error: unknown): boolean =>
  error instanceof Error && error.constructor.name === "UnknownValueError";

const options = (r: RecordedResource): PolicyResourceOptions => ({
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
  parent: r.parent ?? undefined,
});
const isTypeOf =
  (type: string) =>
  (resourceClass: object): boolean =>
    (resourceClass as { __pulumiType?: unknown }).__pulumiType === type;
const common = {
  stackTags: new Map<string, string>(),
  getConfig: <T extends object>(): T => ({}) as T,
  notApplicable: (reason?: string): never => {
    throw new NotApplicable(reason ?? "");
  },
};

function resourceArgs(r: RecordedResource): ResourceValidationArgs {
  const props = engineProps(r.inputs);
  const provider = r.provider
    ? {
        type: parseUrn(r.provider).qualifiedType.split("$").pop() ?? "",
        props: {},
        urn: r.provider,
        name: parseUrn(r.provider).name,
      }
    : undefined;
  return {
    ...common,
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: options(r),
    provider,
    isType: isTypeOf(r.type),
    asType: ((resourceClass: object) =>
      isTypeOf(r.type)(resourceClass) ? props : undefined) as unknown as ResourceValidationArgs["asType"],
  };
}

function stackArgs(resources: readonly RecordedResource[]): StackValidationArgs {
  const built = resources.map((r): PolicyResource => {
    const props = engineProps(r.inputs);
    return {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r),
      dependencies: [],
      propertyDependencies: {},
      isType: isTypeOf(r.type),
      asType: ((resourceClass: object) =>
        isTypeOf(r.type)(resourceClass) ? props : undefined) as unknown as PolicyResource["asType"],
    };
  });
  const byUrn = new Map(built.map((p) => [p.urn, p]));
  resources.forEach((r, i) => {
    built[i].parent = r.parent ? byUrn.get(r.parent) : undefined;
    built[i].dependencies = r.dependencies
      .map((urn) => byUrn.get(urn))
      .filter((p): p is PolicyResource => p !== undefined);
  });
  return { ...common, resources: built };
}

interface Finding {
  readonly policy: string;
  readonly level: string;
  readonly urn: string;
  readonly message: string;
}

/** Policies that applied to at least one resource (did not answer not-applicable), per evaluated resource list. */
const applied = new WeakMap<readonly Finding[], Set<string>>();

/** Runs every policy of the pack over these resources, as `pulumi preview --policy-pack policy` would. */
async function evaluate(resources: readonly RecordedResource[]): Promise<Finding[]> {
  const findings: Finding[] = [];
  const applying = new Set<string>();
  applied.set(findings, applying);
  const guarded = async (
    policy: ResourceValidationPolicy | StackValidationPolicy,
    urn: string,
    run: (report: (message: string, urn?: string) => void) => unknown,
  ) => {
    const level = policy.enforcementLevel ?? "mandatory";
    try {
      await run((message, at) => findings.push({ policy: policy.name, level, urn: at ?? urn, message }));
      applying.add(policy.name);
    } catch (error) {
      if (error instanceof NotApplicable) return;
      // The analyzer's answer to reading an unknown value: an advisory note, never a verdict.
      if (isUnknownValueError(error))
        findings.push({
          policy: policy.name,
          level: "advisory",
          urn,
          message: `can't run during preview: ${(error as Error).message}`,
        });
      else throw error;
    }
  };
  // Built once per evaluation and shared by every policy, as the analyzer hands each policy the same
  // deserialized resource; the policies only read them.
  const argsOf = new Map(resources.map((r) => [r, resourceArgs(r)]));
  const stack = stackArgs(resources);
  for (const policy of policies) {
    if ("validateStack" in policy) {
      await guarded(policy, "", (report) => policy.validateStack(stack, report));
      continue;
    }
    const validations =
      policy.validateResource === undefined
        ? []
        : Array.isArray(policy.validateResource)
          ? policy.validateResource
          : [policy.validateResource];
    for (const r of resources) {
      // A resource policy's verdict depends on the resource alone: the same resource (same URN, type and
      // inputs) in another evaluation gets the verdict it got before, so a case that changes one resource
      // re-runs the policies on that resource only.
      const key = `${policy.name}\0${r.urn}\0${r.type}\0${inputsKey(r)}`;
      const known = verdicts.get(key);
      if (known) {
        findings.push(...known.findings);
        if (known.applied) applying.add(policy.name);
        continue;
      }
      const before = findings.length;
      const wasApplied = applying.has(policy.name);
      applying.delete(policy.name);
      for (const validate of validations)
        await guarded(policy, r.urn, (report) => validate(argsOf.get(r) as ResourceValidationArgs, report));
      verdicts.set(key, { applied: applying.has(policy.name), findings: findings.slice(before) });
      if (wasApplied) applying.add(policy.name);
    }
  }
  return findings;
}

/** Resource-policy verdicts by policy, resource and inputs (see evaluate). */
const verdicts = new Map<string, { applied: boolean; findings: Finding[] }>();
/**
 * A resource's inputs as a short key: equal inputs get the same number. Made once per inputs object, so the
 * inputs' text (up to ~200 kB for the CRDs) is hashed once, not once per policy.
 */
const inputsKeys = new WeakMap<object, number>();
const inputsNumbers = new Map<string, number>();
function inputsKey(r: RecordedResource): number {
  let key = inputsKeys.get(r.inputs);
  if (key === undefined) {
    const text = JSON.stringify(r.inputs);
    key = inputsNumbers.get(text) ?? inputsNumbers.size;
    inputsNumbers.set(text, key);
    inputsKeys.set(r.inputs, key);
  }
  return key;
}

// ------------------------------------------------------------------ changing one field of a real resource

const DELETE = Symbol("delete");
type Path = readonly (string | number)[];

/** Sets (or deletes) the value at a path inside a plain JSON object. */
function setPath(target: Record<string, unknown>, path: Path, value: unknown): void {
  let node: Record<string | number, unknown> = target;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (value === DELETE) delete node[last];
  else node[last] = value;
}

type Change = (resources: RecordedResource[]) => RecordedResource[];

/** Changes one resource (by type and name) of a copy of the run's resources. */
function edit(type: string, name: string, mutate: (inputs: Record<string, unknown>) => void): Change {
  return (resources) => {
    const at = resources.findIndex((r) => r.type === type && r.name === name);
    assert.ok(at >= 0, `no ${type} named ${name} in the run`);
    // A copy of the one resource changed; the others stay the run's own (read only), so their verdicts are reused.
    const target = { ...resources[at], inputs: structuredClone(resources[at].inputs) };
    mutate(target.inputs);
    return resources.map((r, i) => (i === at ? target : r));
  };
}
const set = (type: string, name: string, path: Path, value: unknown): Change =>
  edit(type, name, (inputs) => setPath(inputs, path, value));
const remove =
  (type: string, name: string): Change =>
  (resources) =>
    resources.filter((r) => !(r.type === type && r.name === name));
/** Adds a resource derived from a recorded one (a different type or name, inputs rebuilt). */
const add =
  (from: { type: string; name: string }, derive: (r: RecordedResource) => RecordedResource): Change =>
  (resources) => {
    const source = resources.find((r) => r.type === from.type && r.name === from.name);
    assert.ok(source, `no ${from.type} named ${from.name} in the run`);
    return [...resources, derive(source)];
  };
/** Rewrites an IAM role policy's JSON document. */
const policyDocument = (
  name: string,
  mutate: (document: { Statement: Array<Record<string, unknown>> }) => void,
): Change =>
  edit(AWS.iamRolePolicy, name, (inputs) => {
    const document = JSON.parse(String(inputs.policy)) as { Statement: Array<Record<string, unknown>> };
    mutate(document);
    inputs.policy = JSON.stringify(document);
  });
/** Rewrites an IAM role's JSON trust policy. */
const trust = (name: string, mutate: (statement: Record<string, unknown>) => void): Change =>
  edit(ROLE, name, (inputs) => {
    const document = JSON.parse(String(inputs.assumeRolePolicy)) as { Statement: Record<string, unknown>[] };
    mutate(document.Statement[0]);
    inputs.assumeRolePolicy = JSON.stringify(document);
  });

const SERVICE = KUBERNETES.service;
const INGRESS = KUBERNETES.ingress;
const DEPLOYMENT = KUBERNETES.deployment;
const PDB = KUBERNETES.podDisruptionBudget;
const HPA = KUBERNETES.horizontalPodAutoscaler;
const ROLE = AWS.iamRole;
const LAUNCH_TEMPLATE = AWS.launchTemplate;
const NODE_GROUP_COMPONENT = PULUMI_EKS.managedNodeGroup;
const EKS_COMPONENT = PULUMI_EKS.cluster;
const EKS_CLUSTER = AWS.eksCluster;
const NAT = AWS.natGateway;
const LOG_GROUP = AWS.logGroup;
const FLOW_LOG = AWS.flowLog;
const DEFAULT_SG = AWS.defaultSecurityGroup;
const ANNOTATIONS = ["metadata", "annotations"];
const ALB_ATTRIBUTES = "alb.ingress.kubernetes.io/load-balancer-attributes";
const NLB_ATTRIBUTES = "service.beta.kubernetes.io/aws-load-balancer-attributes";

/** Sets (or, with undefined, drops) one attribute in an object's `key=value,...` load-balancer-attributes annotation. */
function attribute(inputs: Record<string, unknown>, annotation: string, key: string, value: string | undefined): void {
  const annotations = (inputs.metadata as { annotations: Record<string, string> }).annotations;
  const pairs = annotations[annotation].split(",").filter((pair) => !pair.startsWith(`${key}=`));
  annotations[annotation] = [...pairs, ...(value === undefined ? [] : [`${key}=${value}`])].join(",");
}
const CONTAINER = ["spec", "template", "spec", "containers", 0];
const POD_SPEC = ["spec", "template", "spec"];

/**
 * The aws:eks/cluster:Cluster pulumi-eks makes from the component's inputs in a real preview
 * (pulumi/pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts L592-605 encryptionConfig, L703-732 vpcConfig, L723 enabledClusterLogTypes).
 */
function eksChild(component: RecordedResource): RecordedResource {
  const inputs = component.inputs;
  return {
    ...component,
    type: AWS.eksCluster,
    name: `${component.name}-eksCluster`,
    urn: `${component.urn}$aws:eks/cluster:Cluster::${component.name}-eksCluster`,
    parent: component.urn,
    custom: true,
    inputs: {
      name: inputs.name,
      version: inputs.version,
      vpcConfig: {
        subnetIds: inputs.privateSubnetIds,
        endpointPrivateAccess: inputs.endpointPrivateAccess,
        endpointPublicAccess: inputs.endpointPublicAccess,
        publicAccessCidrs: inputs.publicAccessCidrs,
      },
      encryptionConfig:
        inputs.encryptionConfigKeyArn === undefined
          ? undefined
          : { provider: { keyArn: inputs.encryptionConfigKeyArn }, resources: ["secrets"] },
      enabledClusterLogTypes: inputs.enabledClusterLogTypes,
    },
  };
}

/** The component as a real preview shows it: no inputs (see policy/rules/cluster.ts), with its child beside it. */
const asInRealPreview: Change = (resources) => {
  const component = resources.find((r) => r.type === EKS_COMPONENT);
  assert.ok(component, "no eks:index:Cluster in the run");
  const child = eksChild(component);
  return [...resources.filter((r) => r !== component), { ...component, inputs: {} }, child];
};

/** The aws:eks/nodeGroup:NodeGroup pulumi-eks makes from the component (nodes/nodegroup.ts, L2091-2110 @ v4.3.0). */
function nodeGroupChild(component: RecordedResource): RecordedResource {
  // pulumi-eks passes its args through, minus the cluster, with the cluster's name and the role's ARN.
  const inputs: Record<string, unknown> = {
    ...component.inputs,
    clusterName: "eks-platform-dev",
    nodeRoleArn: "arn:aws:iam::123456789012:role/cluster-node",
  };
  delete inputs.cluster;
  delete inputs.nodeRole;
  return {
    ...component,
    type: AWS.eksNodeGroup,
    urn: `${component.urn}$aws:eks/nodeGroup:NodeGroup::${component.name}`,
    parent: component.urn,
    custom: true,
    inputs,
  };
}

// ------------------------------------------------------------------ the runs

const runs = {
  dev: () => runProgram({}),
  domain: () => runProgram({ config: { domain: "example.com" } }),
  singleNat: () => runProgram({ config: { natGateways: "single" } }),
  narrowEndpoint: () => runProgram({ config: { publicAccessCidrs: '["203.0.113.0/24"]' } }),
  /** Every per-object advisory answered: a web ACL, protected load balancers, the apps' images by digest (and fewer log types). */
  hardened: () => runProgram({ config: TEAM_CHOICES }),
};
type RunName = keyof typeof runs;

const key = (f: Finding): string => `${f.policy}|${f.level}|${f.urn}|${f.message}`;

const asRecorded: Change = (resources) => resources;
/** Each run's findings as it is (per shape), computed once. */
const baselines = new Map<string, Promise<Set<string>>>();

/**
 * The policies that report something new once `change` is applied to a copy of the run's resources
 * (in the given shape: as recorded, or as a real preview shows pulumi-eks's components).
 */
async function newlyFired(
  run: RunName,
  change: Change,
  shape: Change = asRecorded,
): Promise<{ policies: string[]; findings: Finding[] }> {
  const resources = (await runs[run]()).resources;
  const id = `${run}/${shape === asRecorded ? "recorded" : "real"}`;
  if (!baselines.has(id))
    baselines.set(
      id,
      evaluate(shape([...resources])).then((f) => new Set(f.map(key))),
    );
  const before = await (baselines.get(id) as Promise<Set<string>>);
  const after = await evaluate(change(shape([...resources])));
  const fresh = after.filter((f) => !before.has(key(f)));
  return { policies: [...new Set(fresh.map((f) => f.policy))].sort(), findings: fresh };
}

const mandatory = (findings: readonly Finding[]) => findings.filter((f) => f.level === "mandatory");
const show = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.policy} ${f.urn.split("::").pop()}: ${f.message}`).join("\n");

// ------------------------------------------------------------------ tests

describe("policy pack: the stack as it is passes", () => {
  it("names each policy once, mandatory for the invariants and advisory for what a team may relax", () => {
    const levels = Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
    assert.equal(Object.keys(levels).length, policies.length, "policy names are unique");
    assert.deepEqual(levels, {
      "lb-controller-ip-targets": "mandatory",
      "alb-https-redirect": "mandatory",
      "elb-tls13-policy": "mandatory",
      "alb-drop-invalid-headers": "mandatory",
      "elb-access-logs": "mandatory",
      "alb-waf": "advisory",
      "elb-deletion-protection": "advisory",
      "workload-probes": "mandatory",
      "workload-requests-limits": "mandatory",
      "workload-zone-spread": "mandatory",
      "workload-pdb": "mandatory",
      "workload-autoscaler": "mandatory",
      "workload-non-root": "mandatory",
      "workload-read-only-root": "mandatory",
      "workload-capabilities": "mandatory",
      "workload-host-isolation": "mandatory",
      "alb-hsts": "mandatory",
      "namespace-pod-security": "mandatory",
      "iam-least-privilege": "mandatory",
      "iam-trust-named": "mandatory",
      "kms-key-hardened": "mandatory",
      "bucket-policy-hardened": "mandatory",
      "sqs-encrypted": "mandatory",
      "security-group-admin-ports": "mandatory",
      "nodes-encrypted-root": "mandatory",
      "image-digest": "mandatory",
      "pod-identity-trust": "mandatory",
      "nodes-imdsv2": "mandatory",
      "cluster-secrets-encryption": "mandatory",
      "control-plane-logs": "advisory",
      "log-group-encrypted": "mandatory",
      "vpc-flow-logs": "mandatory",
      "default-security-group-closed": "mandatory",
      "cluster-endpoint-open": "advisory",
      "nat-gateway-per-zone": "advisory",
    });
    // Each names the rules a reviewer knows it by, in its description (catalog.ts).
    for (const p of CATALOG) {
      const policy = policies.find((q) => q.name === p.name);
      for (const id of [...p.rules.checkov, ...p.rules.kubeScore])
        assert.ok(policy?.description?.includes(id), `${p.name} names ${id}`);
      assert.ok(
        p.rules.checkov.length + p.rules.kubeScore.length > 0 || p.rules.eksBestPractices,
        `${p.name} maps to some reviewer's rule`,
      );
    }
  });

  for (const name of ["dev", "domain"] as const) {
    it(`the dev stack ${name === "domain" ? "with a domain (TLS, redirects, NLB TLS)" : "without a domain"} breaks no mandatory policy`, async () => {
      const findings = await evaluate((await runs[name]()).resources);
      assert.deepEqual(show(mandatory(findings)), "");
    });
  }

  it("with a domain, every policy applies to something in the stack (none passes only by finding nothing to check)", async () => {
    const findings = await evaluate((await runs.domain()).resources);
    assert.deepEqual([...(applied.get(findings) ?? [])].sort(), policies.map((p) => p.name).sort());
  });

  it("pulumi-eks's children as a real preview shows them (component inputs empty) give the same verdicts", async () => {
    const run = await runs.domain();
    const real = await evaluate(asInRealPreview(structuredClone(run.resources)));
    assert.deepEqual(show(mandatory(real)), "");
    assert.deepEqual(
      real.filter((f) => f.policy === "cluster-endpoint-open").map((f) => f.urn.split("::").pop()),
      ["cluster-eks-eksCluster"],
      "the advisory moves from the component to its aws:eks/cluster:Cluster",
    );
    const withNodeGroup = await evaluate(
      add({ type: NODE_GROUP_COMPONENT, name: "cluster-general" }, nodeGroupChild)(structuredClone(run.resources)),
    );
    assert.deepEqual(show(mandatory(withNodeGroup)), "");
  });

  it("the TLS table is the project's fixture, and the controller's default policy passes it", () => {
    assert.deepEqual(Object.entries(TLS13_POLICIES).sort(), tls13.policies.map((p) => [p.name, p.minTls]).sort());
    assert.ok(isAllowedTlsPolicy(DEFAULT_SSL_POLICY), `${DEFAULT_SSL_POLICY} is allowed`);
    assert.ok(
      !isAllowedTlsPolicy("ELBSecurityPolicy-TLS13-1-0-2021-06"),
      "TLS 1.3 with TLS 1.0 still accepted is refused",
    );
    assert.ok(!isAllowedTlsPolicy("ELBSecurityPolicy-2016-08"), "the API default is refused");
  });

  it("a value unknown during preview: a key ARN still counts as set; a hop limit the rule must read becomes an advisory note", async () => {
    const arn = await newlyFired("dev", set(EKS_COMPONENT, "cluster-eks", ["encryptionConfigKeyArn"], "[unknown]"));
    assert.deepEqual(arn.policies, []);
    const hop = await newlyFired(
      "dev",
      set(LAUNCH_TEMPLATE, "cluster-general", ["metadataOptions", "httpPutResponseHopLimit"], "[unknown]"),
    );
    assert.deepEqual(
      hop.findings.map((f) => [f.policy, f.level, f.message.startsWith("can't run during preview")]),
      [["nodes-imdsv2", "advisory", true]],
    );
  });
});

describe("policy pack: advisory policies", () => {
  /** The cluster's and network's advisories (the per-load-balancer and per-image ones are counted below). */
  const PER_OBJECT = new Set(["alb-waf", "elb-deletion-protection"]);
  const advisories = async (name: RunName) =>
    (await evaluate((await runs[name]()).resources))
      .filter((f) => f.level === "advisory" && !PER_OBJECT.has(f.policy))
      .map((f) => `${f.policy} ${f.urn.split("::").pop() || "(stack)"}`);

  it("a demo stack's documented choices are advisories, one per object: no WAF (3 ALB Ingresses), no deletion protection (5 load balancers); the team's choices clear them", async () => {
    const count = async (run: RunName) => {
      const found = (await evaluate((await runs[run]()).resources)).filter((f) => PER_OBJECT.has(f.policy));
      return Object.fromEntries([...PER_OBJECT].map((p) => [p, found.filter((f) => f.policy === p).length]));
    };
    assert.deepEqual(await count("dev"), { "alb-waf": 3, "elb-deletion-protection": 5 });
    assert.deepEqual(await count("hardened"), { "alb-waf": 0, "elb-deletion-protection": 0 });
  });

  it("on the dev defaults the API endpoint open to 0.0.0.0/0 is reported, NAT per zone is not", async () => {
    assert.deepEqual(await advisories("dev"), ["cluster-endpoint-open cluster-eks"]);
  });

  it("natGateways: single is reported", async () => {
    assert.deepEqual(await advisories("singleNat"), [
      "cluster-endpoint-open cluster-eks",
      "nat-gateway-per-zone (stack)",
    ]);
  });

  it("publicAccessCidrs narrowed to a range is not reported", async () => {
    assert.deepEqual(await advisories("narrowEndpoint"), []);
  });

  it("a regional NAT gateway counts as covering every zone", async () => {
    const run = await runs.singleNat();
    const regional = await evaluate(
      set(NAT, "network-nat-ap-northeast-2a", ["availabilityMode"], "regional")(structuredClone(run.resources)),
    );
    assert.deepEqual(
      regional.filter((f) => f.policy === "nat-gateway-per-zone"),
      [],
    );
  });
});

/** One field of one real resource changed, and the one policy expected to notice. */
interface Case {
  readonly policy: string;
  readonly what: string;
  readonly run: RunName;
  readonly change: Change;
  /** The stack as a real preview shows pulumi-eks's components (inputs empty, children beside them). */
  readonly realPreview?: boolean;
}

const cases: Case[] = [
  {
    policy: "lb-controller-ip-targets",
    what: "the echo NLB with instance targets",
    run: "dev",
    change: set(
      SERVICE,
      "echo-nlb",
      [...ANNOTATIONS, "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"],
      "instance",
    ),
  },
  {
    policy: "lb-controller-ip-targets",
    what: "the echo LoadBalancer Service without the controller's loadBalancerClass",
    run: "dev",
    change: set(SERVICE, "echo-nlb", ["spec", "loadBalancerClass"], DELETE),
  },
  {
    policy: "lb-controller-ip-targets",
    what: "the 2048 ALB with instance targets",
    run: "domain",
    change: set(INGRESS, "game-2048-alb", [...ANNOTATIONS, "alb.ingress.kubernetes.io/target-type"], "instance"),
  },
  {
    policy: "lb-controller-ip-targets",
    what: "the 2048 Ingress of another class",
    run: "domain",
    change: set(INGRESS, "game-2048-alb", ["spec", "ingressClassName"], "nginx"),
  },
  {
    policy: "alb-https-redirect",
    what: "the 2048 ALB without ssl-redirect",
    run: "domain",
    change: set(INGRESS, "game-2048-alb", [...ANNOTATIONS, "alb.ingress.kubernetes.io/ssl-redirect"], DELETE),
  },
  {
    policy: "alb-https-redirect",
    what: "the shared games ALB redirecting to a port with no HTTPS listener",
    run: "domain",
    change: set(INGRESS, "tetris-alb", [...ANNOTATIONS, "alb.ingress.kubernetes.io/ssl-redirect"], "8443"),
  },
  {
    policy: "alb-hsts",
    what: "the 2048 ALB sending no Strict-Transport-Security",
    run: "domain",
    change: set(
      INGRESS,
      "game-2048-alb",
      [...ANNOTATIONS, "alb.ingress.kubernetes.io/listener-attributes.HTTPS-443"],
      DELETE,
    ),
  },
  {
    policy: "alb-hsts",
    what: "tetris's HSTS for a day only",
    run: "domain",
    change: set(
      INGRESS,
      "tetris-alb",
      [...ANNOTATIONS, "alb.ingress.kubernetes.io/listener-attributes.HTTPS-443"],
      "routing.http.response.strict_transport_security.header_value=max-age=86400",
    ),
  },
  {
    policy: "elb-tls13-policy",
    what: "the 2048 ALB on ELBSecurityPolicy-2016-08",
    run: "domain",
    change: set(
      INGRESS,
      "game-2048-alb",
      [...ANNOTATIONS, "alb.ingress.kubernetes.io/ssl-policy"],
      "ELBSecurityPolicy-2016-08",
    ),
  },
  {
    policy: "elb-tls13-policy",
    what: "the mario ALB naming no policy (the controller's default has no TLS 1.3)",
    run: "domain",
    change: set(INGRESS, "mario-alb", [...ANNOTATIONS, "alb.ingress.kubernetes.io/ssl-policy"], DELETE),
  },
  {
    policy: "elb-tls13-policy",
    what: "the tetris NLB on a TLS 1.3 policy that still accepts TLS 1.0",
    run: "domain",
    change: set(
      SERVICE,
      "tetris-nlb",
      [...ANNOTATIONS, "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"],
      "ELBSecurityPolicy-TLS13-1-0-2021-06",
    ),
  },
  {
    policy: "workload-probes",
    what: "echo without a readiness probe",
    run: "dev",
    change: set(DEPLOYMENT, "echo-deployment", [...CONTAINER, "readinessProbe"], DELETE),
  },
  {
    policy: "workload-probes",
    what: "2048, which serves a port, without a liveness probe",
    run: "dev",
    change: set(DEPLOYMENT, "game-2048-deployment", [...CONTAINER, "livenessProbe"], DELETE),
  },
  {
    policy: "workload-requests-limits",
    what: "mario without a memory limit",
    run: "dev",
    change: set(DEPLOYMENT, "mario-deployment", [...CONTAINER, "resources", "limits", "memory"], DELETE),
  },
  {
    policy: "workload-requests-limits",
    what: "the lab's peers StatefulSet without a CPU request",
    run: "dev",
    change: set(KUBERNETES.statefulSet, "lab-peers", [...CONTAINER, "resources", "requests", "cpu"], DELETE),
  },
  {
    policy: "workload-zone-spread",
    what: "tetris spread over hosts only",
    run: "dev",
    change: set(
      DEPLOYMENT,
      "tetris-deployment",
      ["spec", "template", "spec", "topologySpreadConstraints", 0, "topologyKey"],
      "kubernetes.io/hostname",
    ),
  },
  {
    policy: "workload-zone-spread",
    what: "netshoot's zone constraint counting another app's pods",
    run: "dev",
    change: set(
      DEPLOYMENT,
      "lab-netshoot",
      [
        "spec",
        "template",
        "spec",
        "topologySpreadConstraints",
        0,
        "labelSelector",
        "matchLabels",
        "app.kubernetes.io/name",
      ],
      "echo",
    ),
  },
  {
    policy: "workload-pdb",
    what: "echo's PDB selecting other pods",
    run: "dev",
    change: set(PDB, "echo-pdb", ["spec", "selector", "matchLabels", "app.kubernetes.io/name"], "other"),
  },
  {
    policy: "workload-pdb",
    what: "the peers PDB in another namespace",
    run: "dev",
    change: set(PDB, "lab-peers", ["metadata", "namespace"], "default"),
  },
  { policy: "workload-pdb", what: "2048 without its PDB", run: "dev", change: remove(PDB, "game-2048-pdb") },
  {
    policy: "workload-autoscaler",
    what: "echo's Deployment declaring a count beside its autoscaler",
    run: "dev",
    change: set(DEPLOYMENT, "echo-deployment", ["spec", "replicas"], 3),
  },
  {
    policy: "workload-autoscaler",
    what: "mario's autoscaler allowed down to one pod",
    run: "dev",
    change: set(HPA, "mario-hpa", ["spec", "minReplicas"], 1),
  },
  {
    policy: "workload-autoscaler",
    what: "game-2048's autoscaler without minReplicas (the API then uses 1)",
    run: "dev",
    change: set(HPA, "game-2048-hpa", ["spec", "minReplicas"], DELETE),
  },
  {
    policy: "workload-autoscaler",
    what: "tetris's autoscaler aimed at a Deployment that is not there",
    run: "dev",
    change: set(HPA, "tetris-hpa", ["spec", "scaleTargetRef", "name"], "tetris-old"),
  },
  {
    policy: "workload-autoscaler",
    what: "echo's autoscaler naming its Deployment under an API version it is not served at",
    run: "dev",
    change: set(HPA, "echo-hpa", ["spec", "scaleTargetRef", "apiVersion"], "extensions/v1beta1"),
  },
  {
    policy: "pod-identity-trust",
    what: "the LB controller's role without sts:TagSession",
    run: "dev",
    change: trust("lb-controller-identity-role", (s) => (s.Action = "sts:AssumeRole")),
  },
  {
    policy: "pod-identity-trust",
    what: "ExternalDNS's role also trusting an account",
    run: "domain",
    change: trust(
      "external-dns-identity-role",
      (s) => (s.Principal = { Service: "pods.eks.amazonaws.com", AWS: "arn:aws:iam::123456789012:root" }),
    ),
  },
  {
    policy: "pod-identity-trust",
    what: "the LB controller's role open to every service account of its namespace",
    run: "dev",
    change: trust("lb-controller-identity-role", (s) =>
      setPath(s, ["Condition", "StringEquals", "aws:RequestTag/kubernetes-service-account"], "*"),
    ),
  },
  {
    policy: "pod-identity-trust",
    what: "the LB controller's role without the cluster condition",
    run: "dev",
    change: trust("lb-controller-identity-role", (s) =>
      setPath(s, ["Condition", "StringEquals", "aws:RequestTag/eks-cluster-arn"], DELETE),
    ),
  },
  {
    policy: "iam-least-privilege",
    what: "the flow-log role's policy allowing every action",
    run: "dev",
    change: policyDocument("network-flow-logs-write", (d) => {
      d.Statement[0].Action = "*";
    }),
  },
  {
    policy: "iam-least-privilege",
    what: "Karpenter's controller passing any role to any service",
    run: "dev",
    change: policyDocument("karpenter-identity-policy", (d) => {
      d.Statement.push({ Sid: "PassAnything", Effect: "Allow", Action: "iam:PassRole", Resource: "*" });
    }),
  },
  {
    policy: "iam-trust-named",
    what: "the node role trusting every principal",
    run: "dev",
    change: trust("cluster-node", (st) => {
      st.Principal = { AWS: "*" };
    }),
  },
  {
    policy: "kms-key-hardened",
    what: "the logs key without rotation",
    run: "dev",
    change: set(AWS.kmsKey, "logs-key", ["enableKeyRotation"], false),
  },
  {
    policy: "kms-key-hardened",
    what: "the secrets key letting anyone in",
    run: "dev",
    change: edit(AWS.kmsKey, "cluster-secrets", (inputs) => {
      const d = JSON.parse(String(inputs.policy)) as { Statement: Array<Record<string, unknown>> };
      d.Statement.push({ Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" });
      inputs.policy = JSON.stringify(d);
    }),
  },
  {
    policy: "bucket-policy-hardened",
    what: "the access-log bucket's policy without its TLS-only deny",
    run: "dev",
    change: edit(AWS.s3BucketPolicy, "lb-access-logs-delivery", (inputs) => {
      const d = JSON.parse(String(inputs.policy)) as { Statement: Array<Record<string, unknown>> };
      d.Statement = d.Statement.filter((st) => st.Effect !== "Deny");
      inputs.policy = JSON.stringify(d);
    }),
  },
  {
    policy: "sqs-encrypted",
    what: "the interruption queue unencrypted",
    run: "dev",
    change: set(AWS.sqsQueue, "karpenter-aws-interruption", ["sqsManagedSseEnabled"], false),
  },
  {
    policy: "security-group-admin-ports",
    what: "a security group opening SSH to the internet",
    run: "dev",
    change: add({ type: DEFAULT_SG, name: "network-default-sg" }, (r) => ({
      ...r,
      type: "aws:ec2/securityGroup:SecurityGroup",
      name: "bastion",
      urn: r.urn
        .replace("network-default-sg", "bastion")
        .replace("defaultSecurityGroup:DefaultSecurityGroup", "securityGroup:SecurityGroup"),
      inputs: { ...r.inputs, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
    })),
  },
  {
    policy: "nodes-encrypted-root",
    what: "the node launch template's root volume unencrypted",
    run: "dev",
    change: set(LAUNCH_TEMPLATE, "cluster-general", ["blockDeviceMappings", 0, "ebs", "encrypted"], "false"),
  },
  {
    policy: "nodes-encrypted-root",
    what: "a Karpenter node class with hop limit 2",
    run: "dev",
    change: set(
      KUBERNETES.ec2NodeClass,
      "karpenter-pools-pods-110-class",
      ["spec", "metadataOptions", "httpPutResponseHopLimit"],
      2,
    ),
  },
  {
    policy: "nodes-imdsv2",
    what: "the node launch template with hop limit 2",
    run: "dev",
    change: set(LAUNCH_TEMPLATE, "cluster-general", ["metadataOptions", "httpPutResponseHopLimit"], 2),
  },
  {
    policy: "nodes-imdsv2",
    what: "the node launch template accepting IMDSv1",
    run: "dev",
    change: set(LAUNCH_TEMPLATE, "cluster-general", ["metadataOptions", "httpTokens"], "optional"),
  },
  {
    policy: "nodes-imdsv2",
    what: "the node group without our launch template",
    run: "dev",
    change: set(NODE_GROUP_COMPONENT, "cluster-general", ["launchTemplate"], DELETE),
  },
  {
    policy: "nodes-imdsv2",
    what: "the node group asking pulumi-eks for its own template (nodeadmExtraOptions)",
    run: "dev",
    change: edit(NODE_GROUP_COMPONENT, "cluster-general", (inputs) => {
      delete inputs.launchTemplate;
      inputs.nodeadmExtraOptions = [{ contentType: "application/node.eks.aws", content: "..." }];
    }),
  },
  {
    policy: "nodes-imdsv2",
    what: "the node group with enableIMDSv2 false",
    run: "dev",
    change: set(NODE_GROUP_COMPONENT, "cluster-general", ["enableIMDSv2"], false),
  },
  {
    policy: "nodes-imdsv2",
    what: "pulumi-eks's node group (aws:eks/nodeGroup:NodeGroup) on EKS's default template",
    run: "dev",
    change: add({ type: NODE_GROUP_COMPONENT, name: "cluster-general" }, (r) => {
      const child = nodeGroupChild(r);
      setPath(child.inputs, ["launchTemplate"], DELETE);
      return child;
    }),
  },
  {
    policy: "nodes-imdsv2",
    what: "pulumi-eks's own launch template (hop limit 2, nodegroup.ts L2236-2243)",
    run: "dev",
    change: add({ type: LAUNCH_TEMPLATE, name: "cluster-general" }, (r) => ({
      ...r,
      urn: `${r.urn}-pulumi-eks`,
      name: `${r.name}-pulumi-eks`,
      inputs: {
        ...r.inputs,
        metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2, httpEndpoint: "enabled" },
      },
    })),
  },
  {
    policy: "cluster-secrets-encryption",
    what: "the cluster without a secrets key",
    run: "dev",
    change: set(EKS_COMPONENT, "cluster-eks", ["encryptionConfigKeyArn"], DELETE),
  },
  {
    policy: "cluster-secrets-encryption",
    what: "pulumi-eks's aws:eks/cluster:Cluster without encryptionConfig",
    run: "dev",
    realPreview: true,
    change: set(EKS_CLUSTER, "cluster-eks-eksCluster", ["encryptionConfig"], DELETE),
  },
  {
    policy: "cluster-secrets-encryption",
    what: "pulumi-eks's aws:eks/cluster:Cluster encrypting no secrets",
    run: "dev",
    realPreview: true,
    change: set(EKS_CLUSTER, "cluster-eks-eksCluster", ["encryptionConfig", "resources"], []),
  },
  {
    policy: "cluster-endpoint-open",
    what: "pulumi-eks's aws:eks/cluster:Cluster of the narrowed stack opened to 0.0.0.0/0",
    run: "narrowEndpoint",
    realPreview: true,
    change: set(EKS_CLUSTER, "cluster-eks-eksCluster", ["vpcConfig", "publicAccessCidrs"], ["0.0.0.0/0"]),
  },
  {
    policy: "cluster-endpoint-open",
    what: "the narrowed endpoint opened to ::/0 as well",
    run: "narrowEndpoint",
    change: set(EKS_COMPONENT, "cluster-eks", ["publicAccessCidrs"], ["203.0.113.0/24", "::/0"]),
  },
  {
    policy: "alb-drop-invalid-headers",
    what: "the 2048 ALB keeping invalid header fields",
    run: "dev",
    change: edit(INGRESS, "game-2048-alb", (i) =>
      attribute(i, ALB_ATTRIBUTES, "routing.http.drop_invalid_header_fields.enabled", "false"),
    ),
  },
  {
    policy: "alb-drop-invalid-headers",
    what: "the games ALB's tetris Ingress without the attribute",
    run: "domain",
    change: edit(INGRESS, "tetris-alb", (i) =>
      attribute(i, ALB_ATTRIBUTES, "routing.http.drop_invalid_header_fields.enabled", undefined),
    ),
  },
  {
    policy: "elb-access-logs",
    what: "the echo NLB with access logs off",
    run: "dev",
    change: edit(SERVICE, "echo-nlb", (i) => attribute(i, NLB_ATTRIBUTES, "access_logs.s3.enabled", "false")),
  },
  {
    policy: "elb-access-logs",
    what: "the mario Ingress's access logs naming no bucket",
    run: "dev",
    change: edit(INGRESS, "mario-alb", (i) => attribute(i, ALB_ATTRIBUTES, "access_logs.s3.bucket", undefined)),
  },
  {
    policy: "alb-waf",
    what: "the 2048 ALB of a stack with the web ACL, without its association",
    run: "hardened",
    change: set(INGRESS, "game-2048-alb", [...ANNOTATIONS, "alb.ingress.kubernetes.io/wafv2-acl-arn"], DELETE),
  },
  {
    policy: "elb-deletion-protection",
    what: "the echo NLB of a protected stack without protection",
    run: "hardened",
    change: edit(SERVICE, "echo-nlb", (i) => attribute(i, NLB_ATTRIBUTES, "deletion_protection.enabled", "false")),
  },
  {
    policy: "workload-non-root",
    what: "echo's container as uid 0",
    run: "dev",
    change: set(DEPLOYMENT, "echo-deployment", [...CONTAINER, "securityContext", "runAsUser"], 0),
  },
  {
    policy: "workload-non-root",
    what: "tetris as uid 101, below 10000",
    run: "dev",
    change: edit(DEPLOYMENT, "tetris-deployment", (i) => {
      setPath(i, [...CONTAINER, "securityContext", "runAsUser"], 101);
      setPath(i, [...CONTAINER, "securityContext", "runAsGroup"], 101);
    }),
  },
  {
    policy: "workload-non-root",
    what: "mario's root waivers (CKV_K8S_23, CKV_K8S_40) removed",
    run: "dev",
    change: edit(DEPLOYMENT, "mario-deployment", (i) => {
      setPath(i, ["metadata", "annotations", "checkov.io/skip1"], DELETE);
      setPath(i, ["metadata", "annotations", "checkov.io/skip2"], DELETE);
    }),
  },
  {
    policy: "workload-non-root",
    what: "mario's waivers without a reason",
    run: "dev",
    change: edit(DEPLOYMENT, "mario-deployment", (i) => {
      setPath(i, ["metadata", "annotations", "checkov.io/skip1"], "CKV_K8S_23=");
      setPath(i, ["metadata", "annotations", "checkov.io/skip2"], "CKV_K8S_40");
    }),
  },
  {
    policy: "workload-capabilities",
    what: "mario's capability waiver (CKV_K8S_25) removed",
    run: "dev",
    change: set(DEPLOYMENT, "mario-deployment", ["metadata", "annotations", "checkov.io/skip4"], DELETE),
  },
  {
    policy: "workload-read-only-root",
    what: "echo with a writable root filesystem",
    run: "dev",
    change: set(DEPLOYMENT, "echo-deployment", [...CONTAINER, "securityContext", "readOnlyRootFilesystem"], false),
  },
  {
    policy: "workload-read-only-root",
    what: "the lab's peers with a writable root filesystem",
    run: "dev",
    change: set(
      KUBERNETES.statefulSet,
      "lab-peers",
      [...CONTAINER, "securityContext", "readOnlyRootFilesystem"],
      false,
    ),
  },
  {
    policy: "workload-capabilities",
    what: "2048 adding NET_BIND_SERVICE",
    run: "dev",
    change: set(
      DEPLOYMENT,
      "game-2048-deployment",
      [...CONTAINER, "securityContext", "capabilities", "add"],
      ["NET_BIND_SERVICE"],
    ),
  },
  {
    policy: "workload-capabilities",
    what: "tetris allowing privilege escalation",
    run: "dev",
    change: set(DEPLOYMENT, "tetris-deployment", [...CONTAINER, "securityContext", "allowPrivilegeEscalation"], true),
  },
  {
    policy: "namespace-pod-security",
    what: "the lab's namespace at the privileged level",
    run: "dev",
    change: set(
      KUBERNETES.namespace,
      "lab-namespace",
      ["metadata", "labels", "pod-security.kubernetes.io/enforce"],
      "privileged",
    ),
  },
  {
    policy: "namespace-pod-security",
    what: "echo's namespace without a Pod Security level",
    run: "dev",
    change: set(
      KUBERNETES.namespace,
      "echo-namespace",
      ["metadata", "labels", "pod-security.kubernetes.io/enforce"],
      DELETE,
    ),
  },
  {
    policy: "workload-host-isolation",
    what: "echo on the host's network",
    run: "dev",
    change: set(DEPLOYMENT, "echo-deployment", [...POD_SPEC, "hostNetwork"], true),
  },
  {
    policy: "workload-host-isolation",
    what: "the lab's peers mounting a hostPath",
    run: "dev",
    change: set(
      KUBERNETES.statefulSet,
      "lab-peers",
      [...POD_SPEC, "volumes"],
      [{ name: "host", hostPath: { path: "/" } }],
    ),
  },
  {
    policy: "workload-host-isolation",
    what: "tetris without the RuntimeDefault seccomp profile",
    run: "dev",
    change: set(DEPLOYMENT, "tetris-deployment", [...POD_SPEC, "securityContext", "seccompProfile"], DELETE),
  },
  {
    policy: "workload-host-isolation",
    what: "2048 sharing the host's PID namespace, with a waiver that cannot excuse it",
    run: "dev",
    change: edit(DEPLOYMENT, "game-2048-deployment", (i) => {
      setPath(i, [...POD_SPEC, "hostPID"], true);
      const meta = i.metadata as { annotations?: Record<string, string> };
      meta.annotations = { ...meta.annotations, "checkov.io/skip9": "CKV_K8S_17=the demo needs it" };
    }),
  },
  {
    policy: "workload-capabilities",
    what: "echo privileged, with a waiver that cannot excuse it",
    run: "dev",
    change: edit(DEPLOYMENT, "echo-deployment", (i) => {
      setPath(i, [...CONTAINER, "securityContext", "privileged"], true);
      const meta = i.metadata as { annotations?: Record<string, string> };
      meta.annotations = { ...meta.annotations, "checkov.io/skip9": "CKV_K8S_16=the demo needs it" };
    }),
  },
  {
    policy: "image-digest",
    what: "echo back on a tag in a stack of digests",
    run: "hardened",
    change: set(DEPLOYMENT, "echo-deployment", [...CONTAINER, "image"], "registry.k8s.io/echoserver:1.5"),
  },
  {
    policy: "control-plane-logs",
    what: "the cluster sending api logs only",
    run: "dev",
    change: set(EKS_COMPONENT, "cluster-eks", ["enabledClusterLogTypes"], ["api"]),
  },
  {
    policy: "control-plane-logs",
    what: "pulumi-eks's aws:eks/cluster:Cluster without the scheduler's logs",
    run: "dev",
    realPreview: true,
    change: set(
      EKS_CLUSTER,
      "cluster-eks-eksCluster",
      ["enabledClusterLogTypes"],
      ["api", "audit", "authenticator", "controllerManager"],
    ),
  },
  {
    policy: "log-group-encrypted",
    what: "the flow-log group without its key",
    run: "dev",
    change: set(LOG_GROUP, "network-flow-logs-group", ["kmsKeyId"], DELETE),
  },
  {
    policy: "vpc-flow-logs",
    what: "the VPC's flow log removed",
    run: "dev",
    change: remove(FLOW_LOG, "network-flow-logs-vpc"),
  },
  {
    policy: "vpc-flow-logs",
    what: "the flow log recording rejected traffic only",
    run: "dev",
    change: set(FLOW_LOG, "network-flow-logs-vpc", ["trafficType"], "REJECT"),
  },
  {
    policy: "default-security-group-closed",
    what: "the default security group not adopted",
    run: "dev",
    change: remove(DEFAULT_SG, "network-default-sg"),
  },
  {
    policy: "default-security-group-closed",
    what: "the default security group with an ingress rule",
    run: "dev",
    change: set(
      DEFAULT_SG,
      "network-default-sg",
      ["ingress"],
      [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }],
    ),
  },
  {
    policy: "default-security-group-closed",
    what: "the default security group's egress left out (Optional + Computed: AWS's rule stays)",
    run: "dev",
    change: set(DEFAULT_SG, "network-default-sg", ["egress"], DELETE),
  },
  {
    policy: "nat-gateway-per-zone",
    what: "two of the three NAT gateways removed",
    run: "dev",
    change: (resources) =>
      remove(NAT, "network-nat-ap-northeast-2b")(remove(NAT, "network-nat-ap-northeast-2c")(resources)),
  },
];

describe("policy pack: how the preview finds and runs it", () => {
  const read = (file: string): string => fs.readFileSync(path.join(PROJECT_ROOT, file), "utf8");
  const lockedVersion = (lockfile: string, name: string): unknown =>
    (JSON.parse(read(lockfile)) as { packages: Record<string, { version?: string }> }).packages[`node_modules/${name}`]
      ?.version;

  it("is a nodejs pack whose folder pins the root lockfile's @pulumi/policy, @pulumi/pulumi and typescript, with its own lockfile in step", () => {
    assert.equal((parseYaml(read("policy/PulumiPolicy.yaml")) as { runtime?: unknown }).runtime, "nodejs");
    const pack = JSON.parse(read("policy/package.json")) as {
      version?: string;
      dependencies: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    // The engine compiles the pack with the TypeScript it finds in the pack's node_modules, else its own older
    // one; an install of production dependencies alone (npm ci --omit=dev) must bring it.
    assert.deepEqual(
      Object.keys(pack.dependencies).sort(),
      ["@pulumi/policy", "@pulumi/pulumi", "typescript"],
      "everything the pack needs to load is a production dependency",
    );
    assert.equal(pack.devDependencies, undefined);
    const lock = JSON.parse(read("policy/package-lock.json")) as { packages: Record<string, { dev?: boolean }> };
    assert.notEqual(
      lock.packages["node_modules/typescript"]?.dev,
      true,
      "the lockfile does not mark typescript dev-only",
    );
    // PolicyPack reads its version from package.json in the folder it runs from (@pulumi/policy policy.js).
    assert.ok(pack.version, "policy/package.json has a version");
    const pins = pack.dependencies;
    for (const [name, version] of Object.entries(pins)) {
      assert.equal(version, lockedVersion("package-lock.json", name), `${name} pinned as in the root lockfile`);
      assert.equal(
        lockedVersion("policy/package-lock.json", name),
        version,
        `policy/package-lock.json resolves ${name} to its pin`,
      );
    }
  });

  it("docs/policy.md's policy table is the catalog: every policy, its level and its reviewer's rules", () => {
    const rows = read("docs/policy.md")
      .split("\n")
      .filter((line) => /^\| `[a-z0-9-]+` \| (mandatory|advisory) \|/.test(line))
      .map((line) => line.split(" | ").map((cell) => cell.replace(/^\| /, "").replace(/ \|$/, "")));
    assert.deepEqual(
      rows.map((r) => [r[0], r[1], r[3]]),
      CATALOG.map((p) => [`\`${p.name}\``, p.level, ruleIdsText(p.rules)]),
    );
  });

  it("the pull-request preview installs the pack, then runs it", () => {
    const workflow = parseYaml(read(".github/workflows/pull-request.yml")) as {
      jobs: Record<
        string,
        { steps: Array<{ run?: string; uses?: string; "working-directory"?: string; with?: Record<string, unknown> }> }
      >;
    };
    const steps = workflow.jobs.preview.steps;
    const install = steps.findIndex((s) => s["working-directory"] === "policy" && s.run === "npm ci");
    const preview = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.command === "preview");
    assert.ok(install >= 0, "a step runs npm ci in policy/");
    assert.ok(preview > install, "the preview runs after the pack is installed");
    assert.equal(steps[preview].with?.policyPacks, "policy");
  });
});

describe("policy pack: each policy fires on one changed field, and only it", () => {
  for (const c of cases) {
    it(`${c.policy}: ${c.what}`, async () => {
      const { policies: fired, findings } = await newlyFired(
        c.run,
        c.change,
        c.realPreview ? asInRealPreview : asRecorded,
      );
      assert.deepEqual(fired, [c.policy], `expected only ${c.policy} to fire; got:\n${show(findings)}`);
      assert.ok(
        findings.every((f) => f.level === policies.find((p) => p.name === c.policy)?.enforcementLevel),
        `reported at the policy's own level:\n${show(findings)}`,
      );
    });
  }

  it("workload-autoscaler at its threshold: two replicas, kube-score's --min-replicas-hpa default, pass", async () => {
    const { policies: fired } = await newlyFired("dev", set(HPA, "mario-hpa", ["spec", "minReplicas"], 2));
    assert.deepEqual(fired, []);
  });

  it("every policy of the pack has a failing case above (and passes on the stack as it is)", () => {
    assert.deepEqual([...new Set(cases.map((c) => c.policy))].sort(), policies.map((p) => p.name).sort());
  });
});
