/**
 * Custom resources checked as the API server checks them (render/crd-validation/): today's NodePools,
 * EC2NodeClasses and IngressClassParams pass with their rules evaluated; a crafted bad one of each kind fails
 * with its CRD's own message, read here from the pinned chart archives; transition rules are skipped, not run;
 * the render refuses a run that holds a bad one, and writes nothing.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { chartCrds, openVendoredChart } from "../charts/chart-archive";
import { KARPENTER_CHART } from "../components/karpenter/values";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../components/load-balancer-controller/values";
import { KUBERNETES } from "../components/resource-types";
import { expandReleases } from "../render/charts";
import { render } from "../render/cli";
import { find } from "../render/crd-validation/cel-library";
import { type CrdVersion, indexCrds, servedVersion } from "../render/crd-validation/crd-index";
import { checkCustomResources, crdsApplied } from "../render/crd-validation/run";
import type { StructuralSchema } from "../render/crd-validation/schema";
import { validateCustomResource } from "../render/crd-validation/validate";
import { DEFAULT_RUN_DATE, ofType, type ProgramRun, runProgram } from "../render/harness";
import { HelmUnavailable } from "../render/helm";
import type { KubeObject } from "../render/kube";
import { SPOT_ARM_WITH_DOMAIN } from "./shared-configs";

/** The CRDs of both pinned charts, read from the archives (not through the run). */
const pinned = indexCrds(
  [KARPENTER_CHART, LOAD_BALANCER_CONTROLLER_CHART].flatMap((chart) => chartCrds(openVendoredChart(chart))),
);

function crd(apiVersion: string, kind: string): CrdVersion {
  const served = servedVersion(pinned, apiVersion, kind);
  assert.ok(served && "version" in served, `the pinned charts serve no ${apiVersion} ${kind}`);
  return served.version;
}

const NODE_POOL = crd("karpenter.sh/v1", "NodePool");
const NODE_CLASS = crd("karpenter.k8s.aws/v1", "EC2NodeClass");
const CLASS_PARAMS = crd("elbv2.k8s.aws/v1beta1", "IngressClassParams");

/** The schema node at a path of property names (`[]` steps into a list's items). */
function node(schema: StructuralSchema, steps: readonly string[]): StructuralSchema {
  let at: StructuralSchema | undefined = schema;
  for (const step of steps) at = step === "[]" ? at?.items : at?.properties?.[step];
  assert.ok(at, `no schema at ${steps.join(".")}`);
  return at;
}

/** The message of the rule declared at that node whose expression contains `snippet`: the CRD's own words. */
function ruleMessage(schema: StructuralSchema, steps: readonly string[], snippet: string): string {
  const rules = (node(schema, steps)["x-kubernetes-validations"] ?? []).filter((r) => r.rule.includes(snippet));
  assert.equal(rules.length, 1, `one rule at ${steps.join(".")} containing ${snippet}`);
  assert.ok(rules[0].message, "the rule has a message");
  return rules[0].message;
}

/** `<field>: <message>` of every violation. */
function violationsOf(object: KubeObject, version: CrdVersion): string[] {
  return validateCustomResource(object, version).violations.map((v) => `${v.field}: ${v.message}`);
}

/** The inputs of the run's first object of that type, to change a copy of. */
function first(run: ProgramRun, type: string): KubeObject {
  const found = ofType(run, type)[0];
  assert.ok(found, `no ${type} in the run`);
  return structuredClone(found.inputs);
}

interface PoolSpec {
  weight?: number;
  replicas?: number;
  limits?: Record<string, unknown>;
  disruption: Record<string, unknown>;
  template: {
    spec: { requirements: Array<{ key: string; operator: string; values?: string[] }>; expireAfter: string };
  };
}
const poolSpec = (pool: KubeObject) => pool.spec as PoolSpec;

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-crd-"));
after(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe("custom resources, checked as the API server checks them", async () => {
  const dev = await runProgram();
  const variant = await runProgram({ config: SPOT_ARM_WITH_DOMAIN });

  it("the CRDs the run applies are the pinned charts' CRDs", () => {
    assert.deepEqual([...crdsApplied(dev).keys()].sort(), [...pinned.keys()].sort());
  });

  it("today's NodePools, EC2NodeClasses and IngressClassParams pass, on the dev stack and on spot, arm64 and a domain, with their rules evaluated", async () => {
    for (const run of [dev, variant]) {
      const charts = await expandReleases(run);
      const check = checkCustomResources(run, charts);
      assert.deepEqual(
        check.checked.flatMap((c) => c.violations.map((v) => `${c.object}: ${v.field}: ${v.message}`)),
        [],
      );
      assert.deepEqual(check.unchecked, []);
      const kinds = new Set(check.checked.map((c) => c.object.split(" ")[0]));
      assert.deepEqual([...kinds].sort(), ["EC2NodeClass", "IngressClassParams", "NodePool"]);
      assert.ok(check.rulesEvaluated > 0, "no rule evaluated");
      // Every NodePool and EC2NodeClass the program registers was checked, each with rules of its own.
      for (const type of [KUBERNETES.nodePool, KUBERNETES.ec2NodeClass]) {
        for (const r of ofType(run, type)) {
          const name = `${String(r.inputs.kind)} ${String((r.inputs.metadata as { name: string }).name)}`;
          const report = check.checked.find((c) => c.object === name && c.from === "");
          assert.ok(report && report.rulesEvaluated > 0, `${name} was not checked`);
        }
      }
      if ("expanded" in charts) {
        assert.ok(
          check.checked.some((c) => c.from.startsWith("Helm release")),
          "the charts' own custom resources (the controller's IngressClassParams) are checked too",
        );
      }
    }
  });

  it("a NodePool requirement on a restricted label fails with the CRD's message", () => {
    const pool = first(dev, KUBERNETES.nodePool);
    const requirements = poolSpec(pool).template.spec.requirements;
    requirements.push({ key: "kubernetes.io/hostname", operator: "In", values: ["a"] });
    requirements.push({ key: "karpenter.sh/nodepool", operator: "In", values: ["b"] });
    const steps = ["spec", "template", "spec", "requirements", "[]", "key"];
    const hostname = ruleMessage(NODE_POOL.schema, steps, `self != "kubernetes.io/hostname"`);
    const nodepool = ruleMessage(NODE_POOL.schema, steps, `self != "karpenter.sh/nodepool"`);
    assert.equal(hostname, 'label "kubernetes.io/hostname" is restricted');
    const at = (i: number) => `spec.template.spec.requirements[${i}].key`;
    assert.deepEqual(violationsOf(pool, NODE_POOL), [
      `${at(requirements.length - 2)}: ${hostname}`,
      `${at(requirements.length - 1)}: ${nodepool}`,
    ]);
  });

  it("a NodePool requirement `In` with no values fails with the CRD's message", () => {
    const pool = first(dev, KUBERNETES.nodePool);
    poolSpec(pool).template.spec.requirements.push({ key: "topology.kubernetes.io/zone", operator: "In", values: [] });
    const message = ruleMessage(
      NODE_POOL.schema,
      ["spec", "template", "spec", "requirements"],
      "x.operator == 'In' ? x.values.size() != 0",
    );
    assert.deepEqual(violationsOf(pool, NODE_POOL), [`spec.template.spec.requirements: ${message}`]);
  });

  it("a NodePool with a malformed duration fails with the pattern its CRD gives", () => {
    const pool = first(dev, KUBERNETES.nodePool);
    poolSpec(pool).disruption.consolidateAfter = "5 minutes";
    poolSpec(pool).template.spec.expireAfter = "30d";
    const consolidateAfter = node(NODE_POOL.schema, ["spec", "disruption", "consolidateAfter"]) as { pattern?: string };
    const expireAfter = node(NODE_POOL.schema, ["spec", "template", "spec", "expireAfter"]) as { pattern?: string };
    assert.ok(consolidateAfter.pattern && expireAfter.pattern);
    assert.deepEqual(violationsOf(pool, NODE_POOL), [
      `spec.disruption.consolidateAfter: Invalid value: "5 minutes": should match '${consolidateAfter.pattern}'`,
      `spec.template.spec.expireAfter: Invalid value: "30d": should match '${expireAfter.pattern}'`,
    ]);
  });

  it("`weight` on a static NodePool (replicas set) fails with the CRD's message", () => {
    assert.ok(node(NODE_POOL.schema, ["spec", "replicas"]), "the pinned NodePool has static pools");
    const pool = first(dev, KUBERNETES.nodePool);
    poolSpec(pool).replicas = 2;
    poolSpec(pool).weight = 10;
    poolSpec(pool).limits = { nodes: 4 };
    const message = ruleMessage(NODE_POOL.schema, ["spec"], "!has(self.replicas) || !has(self.weight)");
    assert.deepEqual(violationsOf(pool, NODE_POOL), [`spec: ${message}`]);
    // Without the weight, the same static pool passes: the transition rule on replicas is not what failed.
    delete poolSpec(pool).weight;
    assert.deepEqual(violationsOf(pool, NODE_POOL), []);
  });

  it("an EC2NodeClass alias with other fields fails with the CRD's message; a metadata option outside its enum with the CRD's values", () => {
    const nodeClass = first(dev, KUBERNETES.ec2NodeClass);
    const spec = nodeClass.spec as { amiSelectorTerms: Array<Record<string, unknown>>; metadataOptions: object };
    spec.amiSelectorTerms[0].tags = { Name: "custom" };
    spec.metadataOptions = { ...spec.metadataOptions, httpTokens: "sometimes" };
    const alias = ruleMessage(
      NODE_CLASS.schema,
      ["spec", "amiSelectorTerms"],
      "!self.exists(x, has(x.alias) && (has(x.id) || has(x.tags)",
    );
    const tokens = node(NODE_CLASS.schema, ["spec", "metadataOptions", "httpTokens"]) as { enum?: string[] };
    assert.ok(tokens.enum && tokens.enum.length > 1);
    assert.deepEqual(violationsOf(nodeClass, NODE_CLASS).sort(), [
      `spec.amiSelectorTerms: ${alias}`,
      `spec.metadataOptions.httpTokens: Unsupported value: "sometimes": supported values: ${tokens.enum.map((v) => `"${v}"`).join(", ")}`,
    ]);
  });

  it("an IngressClassParams outside its schema fails: an enum value, a missing required field, a wrong type", () => {
    const params = first(dev, KUBERNETES.ingressClassParams);
    const spec = params.spec as Record<string, unknown>;
    spec.scheme = "public";
    spec.group = {};
    spec.inboundCIDRs = "0.0.0.0/0";
    const scheme = node(CLASS_PARAMS.schema, ["spec", "scheme"]) as { enum?: string[] };
    const cidrs = node(CLASS_PARAMS.schema, ["spec", "inboundCIDRs"]);
    assert.ok(scheme.enum);
    assert.deepEqual(violationsOf(params, CLASS_PARAMS).sort(), [
      "spec.group.name: Required value",
      `spec.inboundCIDRs: Invalid value: "string": must be of type ${cidrs.type}`,
      `spec.scheme: Unsupported value: "public": supported values: ${scheme.enum.map((v) => `"${v}"`).join(", ")}`,
    ]);
  });

  it("a field the CRD does not declare is reported, since the API server would drop it", () => {
    const params = first(dev, KUBERNETES.ingressClassParams);
    (params.spec as Record<string, unknown>).groupName = "games";
    assert.deepEqual(violationsOf(params, CLASS_PARAMS), [
      `spec.groupName: unknown field: not in the schema of ${CLASS_PARAMS.crd}, so the API server would drop it`,
    ]);
  });

  it("transition rules (oldSelf) are skipped and counted, never evaluated", () => {
    // NodeClaim's spec is immutable: `self == oldSelf`, which would fail to evaluate on a create (no oldSelf).
    const claim = crd("karpenter.sh/v1", "NodeClaim");
    assert.ok((node(claim.schema, ["spec"])["x-kubernetes-validations"] ?? []).some((r) => r.rule.includes("oldSelf")));
    const check = validateCustomResource(
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodeClaim",
        metadata: { name: "x" },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "x" },
          requirements: [{ key: "kubernetes.io/arch", operator: "In", values: ["amd64"] }],
        },
      },
      claim,
    );
    assert.deepEqual(check.violations, []);
    assert.equal(check.rulesSkipped, 1);
    assert.ok(check.rulesEvaluated > 0);
    // A NodePool: its spec's static/dynamic rule and nodeClassRef's two immutability rules.
    const pool = validateCustomResource(first(dev, KUBERNETES.nodePool), NODE_POOL);
    assert.equal(pool.rulesSkipped, 3);
  });

  it("a rule's messageExpression is its message when it yields one line, else the message, else `failed rule: <rule>`; defaults are applied before the rules run", () => {
    const version = (properties: Record<string, StructuralSchema>): CrdVersion => ({
      crd: "things.example.com",
      group: "example.com",
      version: "v1",
      kind: "Thing",
      scope: "Cluster",
      served: true,
      statusSubresource: false,
      schema: { type: "object", properties: { spec: { type: "object", properties } } },
    });
    const thing = (spec: object) => ({ apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "t" }, spec });
    const list: StructuralSchema = {
      type: "array",
      items: { type: "string" },
      "x-kubernetes-validations": [
        { rule: "self.size() < 2", messageExpression: "'has ' + string(self.size()) + ' items'" },
        { rule: "self.size() < 3", message: "at most two", messageExpression: "'two\\nlines'" },
        { rule: "self.all(x, x != 'z')" },
      ],
    };
    const count: StructuralSchema = {
      type: "integer",
      default: 7,
      "x-kubernetes-validations": [{ rule: "self < 5", message: "below five" }],
    };
    assert.deepEqual(violationsOf(thing({ list: ["a", "b", "z"] }), version({ list, count })), [
      "spec.list: has 3 items",
      "spec.list: at most two",
      "spec.list: failed rule: self.all(x, x != 'z')",
      "spec.count: below five",
    ]);
  });

  it("find, the one function of Kubernetes' CEL libraries the pinned rules call, returns the first match or nothing", () => {
    assert.equal(find("abc 123", "[0-9]+"), "123");
    assert.equal(find("abc 123", "xyz"), "");
    assert.equal(find("karpenter.sh/capacity-type", "^([^/]+)"), "karpenter.sh");
  });

  it("a rule that calls a function this check does not have is an error, not a pass", () => {
    const version: CrdVersion = {
      ...NODE_POOL,
      schema: { type: "object", "x-kubernetes-validations": [{ rule: "self.metadata.name.isSorted()" }] },
    };
    assert.throws(
      () => validateCustomResource({ apiVersion: "karpenter.sh/v1", kind: "NodePool", metadata: {} }, version),
      /does not compile/,
    );
  });

  it("the render refuses such a run: exit 2, one line per violation naming the object, field and the CRD's message, nothing written", async () => {
    const target = ofType(dev, KUBERNETES.nodePool)[0];
    const inputs = structuredClone(target.inputs);
    const requirements = poolSpec(inputs).template.spec.requirements;
    requirements.push({ key: "kubernetes.io/hostname", operator: "In", values: [] });
    // The harness's run as it is, but for that NodePool.
    const broken = async (options: Parameters<typeof runProgram>[0]): Promise<ProgramRun> => {
      const run = await runProgram(options);
      return { ...run, resources: run.resources.map((r) => (r.urn === target.urn ? { ...r, inputs } : r)) };
    };
    const out = path.join(scratch, "render");
    const stderr: string[] = [];
    const code = await render(
      ["--out", out, "--date", DEFAULT_RUN_DATE],
      (l) => stderr.push(l),
      () => undefined,
      () => Promise.reject(new HelmUnavailable("not needed here")),
      false,
      broken,
    );
    assert.equal(code, 2);
    const name = String((inputs.metadata as { name: string }).name);
    const steps = ["spec", "template", "spec", "requirements"];
    assert.deepEqual(stderr, [
      `render: NodePool ${name}: spec.template.spec.requirements: ${ruleMessage(NODE_POOL.schema, steps, "x.values.size() != 0")}`,
      `render: NodePool ${name}: spec.template.spec.requirements[${requirements.length - 1}].key: ${ruleMessage(NODE_POOL.schema, [...steps, "[]", "key"], `self != "kubernetes.io/hostname"`)}`,
    ]);
    assert.equal(fs.existsSync(out), false, "a refused render wrote files");
  });
});
