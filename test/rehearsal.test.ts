/**
 * Day two, rehearsed: each test renders the real program twice under mocks, as a user would update a stack,
 * and holds the change rehearsal (render/rehearsal) to what that `pulumi up` must do. None of them may
 * replace the VPC, the EKS cluster or a controller's IAM role.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adminAccessEntryKey } from "../components/cluster/cluster";
import { AWS, COMMAND, COMPONENTS, KUBERNETES, PULUMI, PULUMI_EKS } from "../components/resource-types";
import {
  type ExistingCluster,
  MOCK_ACCOUNT_ID,
  type ProgramRun,
  type RecordedResource,
  runProgram,
} from "../render/harness";
import { changesMarkdown } from "../render/rehearsal/changes-markdown";
import { planChanges } from "../render/rehearsal/plan";
import { type Change, changedPaths, type PlannedState, rehearse, UNKNOWN } from "../render/rehearsal/rehearse";
import { isRegional, permalink, SEMANTICS, semanticsOf } from "../render/rehearsal/semantics";
import { TEAM_CHOICES } from "./shared-configs";

const ci = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/ci-deployer`;
const alice = `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/alice`;

interface Step {
  readonly config?: Record<string, string>;
  readonly callerArn?: string;
  readonly existingCluster?: ExistingCluster;
}

async function rehearsal(from: Step, to: Step): Promise<{ before: ProgramRun; after: ProgramRun; changes: Change[] }> {
  const before = await runProgram(from);
  const after = await runProgram(to);
  return { before, after, changes: planChanges(before, after) };
}

const named = (changes: readonly Change[], type: string, name?: string) =>
  changes.filter((c) => c.type === type && (name === undefined || c.urn.endsWith(`::${name}`)));
const actions = (changes: readonly Change[], action: Change["action"]) => changes.filter((c) => c.action === action);

/** What no day-two change may replace or delete: the network, the cluster, the controllers' roles. */
function keepsTheFoundations(changes: readonly Change[]): void {
  assert.ok(changes.length > 50, `only ${changes.length} changes rehearsed`);
  const foundations = changes.filter(
    (c) =>
      c.type === AWS.vpc || c.type === PULUMI_EKS.cluster || (c.type === AWS.iamRole && /-identity-role$/.test(c.urn)),
  );
  assert.ok(foundations.length >= 3, "the VPC, the cluster and at least one controller role are rehearsed");
  for (const c of foundations) assert.ok(c.action !== "replace" && c.action !== "delete", `${c.urn} is ${c.action}d`);
}

describe("rehearsal: the engine's own rules", () => {
  it("has update semantics, with a source, for every resource type the program declares", async () => {
    const types = new Set(
      [
        ...(await runProgram()).resources,
        ...(await runProgram({ config: { domain: "example.com", webAcl: "true" } })).resources,
        ...(await runProgram({ config: { karpenterCapacityTypes: '["spot","on-demand"]' } })).resources,
      ].map((r) => r.type),
    );
    assert.ok(types.size >= 35, `${types.size} types`);
    for (const type of types) {
      const { sources, notes } = semanticsOf(type);
      assert.ok(sources.length >= 1, `${type} names no source`);
      // Notes say what the rules are, never how they were looked up.
      for (const note of notes ?? []) assert.doesNotMatch(note, /indexed|could not be read|too large|snapshot|cdktn/i);
      for (const ref of sources) {
        assert.ok(ref.repository && ref.path, `${type}: a source without repository or path`);
        if (ref.commit !== undefined) assert.match(ref.commit, /^[0-9a-f]{40}$/, `${type}: ${ref.commit}`);
        assert.ok(ref.commit || ref.version, `${type}: ${ref.path} has neither commit nor version`);
        assert.match(permalink(ref), /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+/, `${type}: ${permalink(ref)}`);
        if (ref.commit) assert.ok(permalink(ref).includes(`/blob/${ref.commit}/${ref.path}`), permalink(ref));
      }
    }
    assert.throws(() => semanticsOf("aws:dynamodb/table:Table"), /no update semantics for aws:dynamodb\/table:Table/);
    // Rows that no longer match a declared type are dead data.
    assert.ok(
      Object.keys(SEMANTICS).every(
        (t) =>
          types.has(t) ||
          t === PULUMI.stack ||
          t.startsWith("aws:eks/access") ||
          t === AWS.eksCluster ||
          t === AWS.eksNodeGroup,
      ),
    );
  });

  it("finds the paths that differ, a removed Optional + Computed input warns that the cloud keeps it", async () => {
    assert.deepEqual(changedPaths({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] }, d: true }), ["b.c.1", "d"]);
    // Today's program sends kube-proxy's mode always; the program before did not for iptables. Going back
    // from IPVS with it, the rehearsal says what happened: nothing in the cloud.
    const ipvs = await runProgram({ config: { kubeProxyMode: "ipvs" } });
    const iptables = await runProgram();
    const withoutMode = iptables.resources.map((r) =>
      r.name === "cluster-kube-proxy"
        ? { ...r, inputs: Object.fromEntries(Object.entries(r.inputs).filter(([k]) => k !== "configurationValues")) }
        : r,
    );
    const [kubeProxy] = named(rehearse(ipvs, { resources: withoutMode }), AWS.eksAddon, "cluster-kube-proxy");
    assert.match(
      kubeProxy.warnings.join(" "),
      /configurationValues is removed from the inputs, but the provider keeps it \(Optional \+ Computed\): the cloud keeps its old value/,
    );
  });
});

describe("rehearsal: ignoreChanges", () => {
  const record = (
    name: string,
    type: string,
    inputs: Record<string, unknown>,
    dependencies: string[] = [],
  ): RecordedResource => ({
    urn: `urn:pulumi:dev::eks-platform::${type}::${name}`,
    type,
    name,
    parent: null,
    custom: true,
    provider: null,
    dependencies,
    inputs,
  });
  const template = (version: string) => record("lt", AWS.launchTemplate, { imageId: version });
  const deployment = (replicas: number | undefined, image: string) =>
    record(
      "app",
      KUBERNETES.deployment,
      { metadata: { name: "app" }, spec: { ...(replicas === undefined ? {} : { replicas }), template: { image } } },
      [template("").urn],
    );
  const ignored = new Map([[deployment(1, "").urn, ["spec.replicas"]]]);
  /** A state as the engine would plan it: references traced as the harness would (the deployment reads the template's version). */
  const planned = (
    resources: RecordedResource[],
    ignoreChanges: ReadonlyMap<string, readonly string[]> = ignored,
  ): PlannedState => ({
    resources,
    ignoreChanges,
    references: new Map([
      [deployment(1, "").urn, [{ path: "spec.template.image", from: template("").urn, output: "latestVersion" }]],
    ]),
  });

  it("a change under an ignored path is left out, and said; one beside it is still an update", () => {
    const same = rehearse(
      { resources: [template("a"), deployment(3, "x")] },
      planned([template("a"), deployment(undefined, "x")]),
    );
    assert.deepEqual(
      same.find((c) => c.urn.endsWith("::app")),
      {
        urn: deployment(1, "").urn,
        type: KUBERNETES.deployment,
        action: "same",
        fields: [],
        replaceBecause: [],
        diff: [],
        warnings: ["spec.replicas changed but is ignored (ignoreChanges): the live value stays"],
        blocking: [],
      },
    );
    const updated = rehearse(
      { resources: [template("a"), deployment(3, "x")] },
      planned([template("a"), deployment(undefined, "y")]),
    ).find((c) => c.urn.endsWith("::app"));
    assert.deepEqual([updated?.action, updated?.fields], ["update", ["spec.template.image"]]);
    assert.deepEqual(updated?.warnings, ["spec.replicas changed but is ignored (ignoreChanges): the live value stays"]);
    // Only the path itself and what is under it: spec.replicasX is another field.
    assert.equal(
      rehearse(
        { resources: [deployment(3, "x")] },
        planned([deployment(3, "x")].map((d) => ({ ...d, inputs: { ...d.inputs, spec: { replicasX: 1 } } }))),
      )[0].action,
      "update",
    );
  });

  it("what is said of an ignored change stays when a dependency's new output also updates the resource", () => {
    const changes = rehearse(
      { resources: [template("a"), deployment(3, "x")] },
      planned([template("b"), deployment(undefined, "x")]),
    );
    const app = changes.find((c) => c.urn.endsWith("::app"));
    assert.equal(app?.action, "update");
    assert.equal(app?.warnings[0], "spec.replicas changed but is ignored (ignoreChanges): the live value stays");
    assert.equal(app?.warnings.length, 1);
    assert.deepEqual(app?.diff, [
      { path: "spec.template.image", before: "x", after: UNKNOWN, cause: "lt is updated: its latestVersion is new" },
    ]);
  });
});

describe("rehearsal: every pulumi up after the first does what it says", () => {
  it("Kubernetes 1.33 to 1.34: the control plane updates in place, add-ons move to their pins, the nodes roll", async () => {
    const { changes } = await rehearsal(
      { config: { kubernetesVersion: "1.33", supportType: "EXTENDED" } },
      { config: { kubernetesVersion: "1.34", supportType: "EXTENDED" } },
    );
    keepsTheFoundations(changes);
    const [cluster] = named(changes, PULUMI_EKS.cluster);
    assert.equal(cluster.action, "update");
    assert.deepEqual(cluster.fields, ["version"]);
    const addons = named(changes, AWS.eksAddon).filter((c) => c.action === "update");
    assert.ok(
      addons.length >= 1 && addons.every((c) => c.fields.includes("addonVersion")),
      "add-ons move to the new minor's pins",
    );
    assert.equal(named(changes, AWS.launchTemplate)[0].action, "update");
    assert.equal(named(changes, PULUMI_EKS.managedNodeGroup)[0].action, "update");
    assert.deepEqual(actions(changes, "replace"), []);
  });

  it("the team's choices on a running dev stack (web ACL, protected load balancers, digests, fewer log types): a web ACL and its log group and logging created, everything else updated in place", async () => {
    const { changes } = await rehearsal({}, { config: TEAM_CHOICES });
    keepsTheFoundations(changes);
    assert.deepEqual(actions(changes, "replace"), [], "no load balancer object, bucket or log group is replaced");
    assert.deepEqual(actions(changes, "delete"), []);
    assert.deepEqual([...new Set(actions(changes, "create").map((c) => c.type))].sort(), [
      AWS.logGroup,
      AWS.wafv2WebAcl,
      AWS.wafv2WebAclLoggingConfiguration,
      COMPONENTS.webAcl,
    ]);
    // The logs key's policy names the WAF's group before the group is made with it: an update in place.
    const [logsKey] = named(changes, AWS.kmsKey, "logs-key");
    assert.equal(logsKey.action, "update");
    // The load balancers' objects take their new annotations in place: the controller reconciles the attributes.
    for (const c of [
      ...named(changes, KUBERNETES.ingress),
      ...named(changes, KUBERNETES.service).filter((x) => /-nlb$/.test(x.urn)),
    ]) {
      assert.equal(c.action, "update", c.urn);
      assert.ok(
        c.fields.every((f) => f.startsWith("metadata.annotations")),
        `${c.urn}: ${c.fields.join(", ")}`,
      );
    }
    const [logGroup] = named(changes, AWS.logGroup, "cluster-control-plane");
    assert.deepEqual(
      { action: logGroup.action, fields: logGroup.fields },
      { action: "update", fields: ["retentionInDays"] },
    );
  });

  it("a nodeImageRelease bump: a new launch template version the node group rolls to; nothing replaced", async () => {
    const { changes } = await rehearsal({}, { config: { nodeImageRelease: "v20260625" } });
    keepsTheFoundations(changes);
    const [template] = named(changes, AWS.launchTemplate);
    assert.equal(template.action, "update");
    assert.ok(template.fields.includes("imageId"));
    const [group] = named(changes, PULUMI_EKS.managedNodeGroup);
    assert.equal(group.action, "update");
    assert.match(group.warnings.join(" "), /rolls its nodes to the launch template's new version/);
    assert.deepEqual(actions(changes, "replace"), []);
    // Karpenter's node classes follow the same release (al2023@<release>): Karpenter replaces its nodes as drifted.
    const classes = named(changes, KUBERNETES.ec2NodeClass);
    assert.ok(
      classes.length >= 1 &&
        classes.every((c) => c.action === "update" && c.fields.includes("spec.amiSelectorTerms.0.alias")),
      "the node classes move to the same release",
    );
    assert.deepEqual([...new Set(actions(changes, "update").map((c) => c.type))].sort(), [
      AWS.launchTemplate,
      PULUMI_EKS.managedNodeGroup,
      KUBERNETES.ec2NodeClass,
    ]);
  });

  it("another instance type replaces the node group alone, new nodes first: pods move without an outage", async () => {
    const { changes } = await rehearsal({}, { config: { nodeInstanceTypes: '["m5.large"]' } });
    keepsTheFoundations(changes);
    const replaced = actions(changes, "replace");
    assert.deepEqual(
      replaced.map((c) => c.type),
      [PULUMI_EKS.managedNodeGroup],
    );
    assert.deepEqual(replaced[0].replaceBecause, ["instanceTypes.0"]);
    assert.match(
      replaced[0].warnings.join(" "),
      /creating the new one first.*new group's nodes join before the old group is drained/,
    );
  });

  it("adding, removing or reordering an admin touches that principal's access only", async () => {
    const base = { callerArn: ci };
    const added = await rehearsal(
      { ...base, config: { adminPrincipalArns: JSON.stringify([ci]) } },
      { ...base, config: { adminPrincipalArns: JSON.stringify([ci, alice]) } },
    );
    const [cluster] = named(added.changes, PULUMI_EKS.cluster);
    assert.equal(cluster.action, "update");
    assert.ok(
      cluster.fields.length > 0 &&
        cluster.fields.every((f) => f.startsWith(`accessEntries.${adminAccessEntryKey(alice)}`)),
      cluster.fields.join(", "),
    );
    assert.deepEqual(actions(added.changes, "update").length, 1);
    const reordered = await rehearsal(
      { ...base, config: { adminPrincipalArns: JSON.stringify([ci, alice]) } },
      { ...base, config: { adminPrincipalArns: JSON.stringify([alice, ci]) } },
    );
    assert.deepEqual(
      reordered.changes.filter((c) => c.action !== "same"),
      [],
    );
    const removed = await rehearsal(
      { ...base, config: { adminPrincipalArns: JSON.stringify([ci, alice]) } },
      { ...base, config: { adminPrincipalArns: JSON.stringify([ci]) } },
    );
    assert.ok(
      named(removed.changes, PULUMI_EKS.cluster)[0].fields.every((f) =>
        f.startsWith(`accessEntries.${adminAccessEntryKey(alice)}`),
      ),
    );
  });

  it("the identity that runs pulumi up changes (a CI role, then a person): the plan is unchanged", async () => {
    const config = { adminPrincipalArns: JSON.stringify([ci, alice]) };
    const { changes } = await rehearsal(
      { callerArn: ci, config },
      { callerArn: alice, config, existingCluster: { creatorArn: ci, adminEntries: [alice] } },
    );
    assert.deepEqual(
      changes.filter((c) => c.action !== "same"),
      [],
    );
  });

  it("kube-proxy from IPVS back to iptables reaches the add-on and the nodes; prefix delegation off reaches the CNI and the nodes", async () => {
    const proxy = await rehearsal({ config: { kubeProxyMode: "ipvs" } }, {});
    keepsTheFoundations(proxy.changes);
    const [kubeProxy] = named(proxy.changes, AWS.eksAddon, "cluster-kube-proxy");
    assert.equal(kubeProxy.action, "update");
    assert.deepEqual(kubeProxy.warnings, [], "the mode is said, not left to what the cloud keeps");
    assert.equal(
      named(proxy.changes, PULUMI_EKS.managedNodeGroup)[0].action,
      "update",
      "nodes stop loading IPVS modules",
    );
    // The m5.large pair the cluster tests run already (m7i.large caps at 110 pods either way).
    const pd = await rehearsal(
      { config: { nodeInstanceTypes: '["m5.large"]' } },
      { config: { nodeInstanceTypes: '["m5.large"]', prefixDelegation: "false" } },
    );
    const [cni] = named(pd.changes, AWS.eksAddon, "cluster-vpc-cni");
    assert.equal(cni.action, "update");
    assert.deepEqual(cni.fields, ["configurationValues"]);
    assert.equal(named(pd.changes, PULUMI_EKS.managedNodeGroup)[0].action, "update", "the nodes get the new max pods");
    assert.deepEqual(actions(pd.changes, "replace"), []);
  });

  it("a domain added to a running stack: certificate, ExternalDNS, TLS and names arrive; nothing that exists is replaced", async () => {
    const { changes } = await rehearsal({}, { config: { domain: "example.com" } });
    keepsTheFoundations(changes);
    assert.deepEqual(actions(changes, "replace"), []);
    assert.deepEqual(actions(changes, "delete"), []);
    const created = actions(changes, "create").map((c) => c.type);
    for (const type of [AWS.acmCertificate, KUBERNETES.helmRelease, COMMAND.local, AWS.route53Record])
      assert.ok(created.includes(type), type);
    const tetrisNlb = changes.find((c) => c.urn.endsWith("::tetris-nlb"));
    assert.equal(tetrisNlb?.action, "update", "the tetris NLB gains TLS in place");
  });

  it("NAT per zone to a single one: the right routes move, two NAT gateways go, no subnet is replaced", async () => {
    const { changes } = await rehearsal({}, { config: { natGateways: "single" } });
    keepsTheFoundations(changes);
    assert.equal(named(changes, AWS.natGateway).filter((c) => c.action === "delete").length, 2);
    assert.equal(named(changes, AWS.eip).filter((c) => c.action === "delete").length, 2);
    assert.ok(named(changes, AWS.subnet).every((c) => c.action === "same"));
    const routes = named(changes, AWS.routeTable).filter((c) => c.action === "update");
    assert.equal(routes.length, 2, "the private route tables of the two zones that lose their NAT gateway");
    assert.deepEqual(actions(changes, "replace"), []);
  });
});

describe("rehearsal: the apps' autoscalers take over the replica count", () => {
  /** The Deployments of the apps (each has an autoscaler). */
  const appDeploymentUrns = (run: ProgramRun) =>
    [...run.ignoreChanges.entries()].filter(([, paths]) => paths.includes("spec.replicas")).map(([urn]) => urn);

  /**
   * The state a stack deployed before the autoscalers holds, made from today's run: each app's Deployment
   * applied with its count (its autoscaler's floor today), no HorizontalPodAutoscaler, no metrics-server add-on.
   */
  function beforeAutoscaling(run: ProgramRun): RecordedResource[] {
    const floors = new Map(
      run.resources
        .filter((r) => r.type === KUBERNETES.horizontalPodAutoscaler)
        .map((h) => [
          `${(h.inputs.metadata as { namespace: string }).namespace}/${(h.inputs.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name}`,
          (h.inputs.spec as { minReplicas: number }).minReplicas,
        ]),
    );
    return run.resources
      .filter(
        (r) =>
          r.type !== KUBERNETES.horizontalPodAutoscaler &&
          !(r.type === AWS.eksAddon && r.inputs.addonName === "metrics-server"),
      )
      .map((r) => {
        if (r.type !== KUBERNETES.deployment) return r;
        const meta = r.inputs.metadata as { namespace: string; name: string };
        const floor = floors.get(`${meta.namespace}/${meta.name}`);
        return floor === undefined
          ? r
          : { ...r, inputs: { ...r.inputs, spec: { replicas: floor, ...(r.inputs.spec as Record<string, unknown>) } } };
      });
  }

  it("a stack from before autoscaling: the autoscalers and metrics-server arrive, the running count is left as it is (never reset to 1)", async () => {
    const today = await runProgram();
    const deployments = appDeploymentUrns(today);
    assert.equal(deployments.length, 4);
    const changes = planChanges({ resources: beforeAutoscaling(today), identity: today.identity }, today);
    keepsTheFoundations(changes);
    assert.deepEqual(actions(changes, "replace"), []);
    assert.deepEqual(actions(changes, "delete"), []);
    assert.deepEqual(actions(changes, "update"), []);
    assert.deepEqual(
      actions(changes, "create")
        .map((c) => c.type)
        .sort(),
      [
        AWS.eksAddon,
        KUBERNETES.horizontalPodAutoscaler,
        KUBERNETES.horizontalPodAutoscaler,
        KUBERNETES.horizontalPodAutoscaler,
        KUBERNETES.horizontalPodAutoscaler,
      ],
    );
    for (const urn of deployments) {
      const change = changes.find((c) => c.urn === urn);
      assert.equal(change?.action, "same", urn);
      assert.deepEqual(change?.warnings, [
        "spec.replicas changed but is ignored (ignoreChanges): the live value stays",
      ]);
    }
    assert.match(
      changesMarkdown(changes, "before", today.resources),
      /- \*\*echo-deployment\*\* `kubernetes:apps\/v1:Deployment`\n {2}- spec\.replicas changed but is ignored/,
    );
    // Without ignoreChanges the same step would send the Deployments without their count: the API server
    // would set it back to 1 before any autoscaler owned it.
    const unguarded = rehearse({ resources: beforeAutoscaling(today) }, { resources: today.resources });
    for (const urn of deployments) assert.deepEqual(unguarded.find((c) => c.urn === urn)?.fields, ["spec.replicas"]);
  });

  it("a floor and ceiling changed on a running stack: only the autoscalers are patched; the Deployments are untouched", async () => {
    const { after, changes } = await rehearsal({}, { config: { echoReplicas: "6", appMaxReplicas: "24" } });
    keepsTheFoundations(changes);
    const updated = actions(changes, "update");
    assert.deepEqual(
      updated.map((c) => c.type),
      [
        KUBERNETES.horizontalPodAutoscaler,
        KUBERNETES.horizontalPodAutoscaler,
        KUBERNETES.horizontalPodAutoscaler,
        KUBERNETES.horizontalPodAutoscaler,
      ],
    );
    assert.deepEqual(updated.find((c) => c.urn.endsWith("::echo-hpa"))?.fields, [
      "spec.maxReplicas",
      "spec.minReplicas",
    ]);
    for (const c of updated.filter((u) => !u.urn.endsWith("::echo-hpa")))
      assert.deepEqual(c.fields, ["spec.maxReplicas"]);
    for (const urn of appDeploymentUrns(after)) assert.equal(changes.find((c) => c.urn === urn)?.action, "same");
    assert.deepEqual(
      [...actions(changes, "create"), ...actions(changes, "delete"), ...actions(changes, "replace")],
      [],
    );
  });
});

describe("rehearsal: changes that cascade, as the engine plans them", () => {
  const VPC: string = AWS.vpc;
  const SUBNET: string = AWS.subnet;
  const NAT: string = AWS.natGateway;
  const INGRESS: string = KUBERNETES.ingress;

  it("a new VPC range: the VPC and every reader whose ForceNew field takes it, or a subnet, is replaced; the cluster cannot follow into another VPC: blocking", async () => {
    const { after, changes } = await rehearsal({}, { config: { vpcCidr: "10.1.0.0/16" } });
    // The rows' rule: the VPC (cidrBlock); subnets, route tables, the flow log and the default security group
    // (vpcId); route table associations and NAT gateways (subnetId); the managed node group (subnetIds).
    const readers: string[] = [
      VPC,
      SUBNET,
      AWS.routeTable,
      AWS.flowLog,
      AWS.defaultSecurityGroup,
      AWS.routeTableAssociation,
      NAT,
      PULUMI_EKS.managedNodeGroup,
    ];
    const expected = after.resources
      .filter((r) => readers.includes(r.type))
      .map((r) => r.urn)
      .sort();
    assert.ok(expected.length >= 23, `${expected.length}`);
    assert.deepEqual(
      actions(changes, "replace")
        .map((c) => c.urn)
        .sort(),
      expected,
    );
    // NAT gateways go first (they hold their Elastic IP once); nothing else needs to.
    for (const c of actions(changes, "replace"))
      assert.equal(c.replacement, c.type === NAT ? "delete-first" : "create-first", c.urn);
    const [cluster] = named(changes, PULUMI_EKS.cluster);
    assert.equal(cluster.action, "update");
    assert.ok(cluster.fields.includes("privateSubnetIds.0"));
    assert.match(cluster.blocking.join(" "), /subnets move to another VPC/);
    assert.deepEqual(
      changes.filter((c) => c.blocking.length > 0).map((c) => c.urn),
      [cluster.urn],
      "the NAT gateways' Elastic IPs do not clash: deleted first",
    );
    assert.deepEqual(
      changes.filter((c) => c.type.startsWith("kubernetes:") && c.action === "replace"),
      [],
    );
    assert.equal(
      named(changes, AWS.internetGateway)[0].action,
      "update",
      "an internet gateway moves VPCs in place (vpcId is not ForceNew)",
    );
  });

  it("another domain: the certificate is replaced, its validation through certificateArn, the validation record by its new name; every TLS listener follows the new ARN", async () => {
    const { changes } = await rehearsal({ config: { domain: "example.com" } }, { config: { domain: "example.org" } });
    assert.deepEqual(
      actions(changes, "replace")
        .map((c) => [c.type, c.replaceBecause])
        .sort(),
      [
        [AWS.acmCertificate, ["domainName", "subjectAlternativeNames.0"]],
        [AWS.acmCertificateValidation, ["certificateArn"]],
        [AWS.route53Record, ["name", "zoneId"]],
      ],
    );
    assert.deepEqual(
      changes.flatMap((c) => c.blocking),
      [],
      "the validation record's new name clashes with nothing",
    );
    const tls = changes.filter((c) => c.diff.some((d) => /certificate-arn|ssl-cert/.test(d.path)));
    assert.deepEqual(tls.map((c) => c.urn.split("::").pop()).sort(), [
      "game-2048-alb",
      "mario-alb",
      "tetris-alb",
      "tetris-nlb",
    ]);
    for (const c of tls) {
      assert.equal(c.action, "update");
      assert.ok(
        c.diff
          .filter((d) => /certificate-arn|ssl-cert/.test(d.path))
          .every((d) => d.after === UNKNOWN && /certificate-cert is replaced/.test(d.cause ?? "")),
        c.urn,
      );
    }
  });

  it("another region: every regional resource is replaced, IAM stays; the cluster goes first, and its provider and every Kubernetes object with it", async () => {
    const { changes } = await rehearsal({}, { config: { "aws:region": "us-east-1" } });
    for (const c of changes.filter((x) => x.action !== "create" && x.action !== "delete")) {
      if (isRegional(c.type)) assert.equal(c.action, "replace", c.urn);
      if (c.type.startsWith("aws:iam/"))
        assert.ok(c.action === "same" || c.action === "update", `${c.urn} is ${c.action}`);
    }
    const [cluster] = named(changes, PULUMI_EKS.cluster);
    assert.deepEqual(
      [cluster.action, cluster.replacement, cluster.replaceBecause.includes("region")],
      ["replace", "delete-first", true],
    );
    const [provider] = named(changes, KUBERNETES.provider);
    assert.deepEqual([provider.action, provider.replaceBecause], ["replace", ["kubeconfig"]]);
    const objects = changes.filter((c) => c.type.startsWith("kubernetes:"));
    assert.ok(objects.length > 50);
    for (const c of objects)
      assert.deepEqual(
        [c.action, c.replacement, c.replaceBecause.includes("provider")],
        ["replace", "delete-first", true],
        c.urn,
      );
    assert.deepEqual(
      changes.flatMap((c) => c.blocking),
      [],
    );
  });

  it("another zone: its subnets are created while the old zone's still hold the same addresses, and the cluster cannot move zones: blocking", async () => {
    const { changes } = await rehearsal(
      {},
      { config: { availabilityZones: '["ap-northeast-2a","ap-northeast-2b","ap-northeast-2d"]' } },
    );
    const created = named(changes, SUBNET).filter((c) => c.action === "create");
    assert.equal(created.length, 2);
    for (const c of created) assert.match(c.blocking.join(" "), /InvalidSubnet\.Conflict/, c.urn);
    assert.match(
      named(changes, PULUMI_EKS.cluster)[0].blocking.join(" "),
      /ap-northeast-2d, outside the zones it was created in/,
    );
  });

  it("Kubernetes versions: two minors back or a skipped minor is blocking; one up warns that it is one-way", async () => {
    const down = await rehearsal({}, { config: { kubernetesVersion: "1.33", supportType: "EXTENDED" } });
    assert.match(
      named(down.changes, PULUMI_EKS.cluster)[0].blocking.join(" "),
      /1\.35 back to 1\.33: EKS refuses a downgrade/,
    );
    const skip = await rehearsal({ config: { kubernetesVersion: "1.33", supportType: "EXTENDED" } }, {});
    assert.match(named(skip.changes, PULUMI_EKS.cluster)[0].blocking.join(" "), /skips a minor version/);
    const up = await rehearsal({ config: { kubernetesVersion: "1.34" } }, {});
    const [cluster] = named(up.changes, PULUMI_EKS.cluster);
    assert.deepEqual(cluster.blocking, []);
    assert.match(cluster.warnings.join(" "), /1\.34 to 1\.35: EKS can roll it back to 1\.34 only within seven days/);
  });

  it("warns what an approver must know: a narrower API allow-list, NodePools deleted, a namespace deleted", async () => {
    const narrowed = await rehearsal({}, { config: { publicAccessCidrs: '["203.0.113.0/24"]' } });
    assert.match(
      named(narrowed.changes, PULUMI_EKS.cluster)[0].warnings.join(" "),
      /no longer admits 0\.0\.0\.0\/0.*rest of the same pulumi up/,
    );
    const off = await rehearsal({}, { config: { karpenter: "false" } });
    const pools = named(off.changes, KUBERNETES.nodePool);
    assert.ok(
      pools.length >= 1 &&
        pools.every(
          (c) => c.action === "delete" && /terminates every node this NodePool launched/.test(c.warnings.join(" ")),
        ),
    );
    const lab = await rehearsal({}, { config: { networkLab: "false" } });
    const [namespace] = named(lab.changes, KUBERNETES.namespace, "lab-namespace");
    assert.deepEqual(
      [namespace.action, namespace.warnings],
      ["delete", ["deleting a namespace deletes every object in it, whatever made it"]],
    );
  });

  it("the web ACL turned off: the ALBs say none, so the controller detaches it before its delete; nothing blocks", async () => {
    const { changes } = await rehearsal(
      { config: { domain: "example.com", webAcl: "true" } },
      { config: { domain: "example.com" } },
    );
    assert.deepEqual(
      named(changes, AWS.wafv2WebAcl).map((c) => c.action),
      ["delete"],
    );
    for (const c of named(changes, INGRESS)) {
      assert.deepEqual(c.diff.find((d) => d.path.endsWith("wafv2-acl-arn"))?.after, "none", c.urn);
    }
    assert.deepEqual(
      changes.flatMap((c) => c.blocking),
      [],
    );
  });
});
