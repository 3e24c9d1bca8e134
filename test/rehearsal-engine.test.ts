/**
 * The rehearsal's planning rules on constructed states, each expected action taken from the engine's or a
 * provider's rule as its source states it (quoted beside each case), not from what the rehearsal prints:
 * pulumi/pulumi @ 1b5949891b3cefcb9974752b24a5ecef0acc86c8 pkg/resource/deploy/step_generator.go,
 * pulumi-kubernetes @ 94977969 provider/pkg/provider/provider.go, pulumi-terraform-bridge @ 59de6c66
 * pkg/tfbridge/provider.go and schema.go.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AWS, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import type { RecordedResource } from "../render/harness";
import type { InputReference } from "../render/provenance";
import { computedOutputs, inputReferences } from "../render/provenance";
import { cidrContains, narrowedCidrs, versionStep } from "../render/rehearsal/findings";
import { failedOn, otherStack, planChanges, renamedTo } from "../render/rehearsal/plan";
import { type Change, type PlannedState, rehearse, UNKNOWN } from "../render/rehearsal/rehearse";

const STACK = "urn:pulumi:dev::eks-platform::";
const urnOf = (type: string, name: string) => `${STACK}${type}::${name}`;

function resource(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  provider: string | null = null,
): RecordedResource {
  return { urn: urnOf(type, name), type, name, parent: null, custom: true, provider, dependencies: [], inputs };
}

/** A reference as the harness records it: `path` of `to` took `output` of `from`. */
const ref = (to: RecordedResource, path: string, from: RecordedResource, output = "id"): [string, InputReference] => [
  to.urn,
  { path, from: from.urn, output },
];

function planned(
  resources: RecordedResource[],
  refs: Array<[string, InputReference]> = [],
  extra: Partial<PlannedState> = {},
): PlannedState {
  const references = new Map<string, InputReference[]>();
  const propertyDependencies = new Map<string, Record<string, string[]>>();
  for (const [urn, r] of refs) {
    references.set(urn, [...(references.get(urn) ?? []), r]);
    const key = r.path.split(".")[0];
    const deps = propertyDependencies.get(urn) ?? {};
    deps[key] = [...new Set([...(deps[key] ?? []), r.from])];
    propertyDependencies.set(urn, deps);
  }
  return { resources, references, propertyDependencies, ...extra };
}

const VPC = AWS.vpc;
const SUBNET = AWS.subnet;
const NAT = AWS.natGateway;
const EIP = AWS.eip;
const ROUTE_TABLE = AWS.routeTable;
const ROLE = AWS.iamRole;
const ATTACHMENT = AWS.iamRolePolicyAttachment;
const DEPLOYMENT = KUBERNETES.deployment;
const K8S_PROVIDER = KUBERNETES.provider;
const CLUSTER = PULUMI_EKS.cluster;
const ADDON = AWS.eksAddon;

const byName = (changes: readonly Change[], name: string): Change => {
  const found = changes.find((c) => c.urn.endsWith(`::${name}`));
  assert.ok(found, `no change for ${name}`);
  return found;
};

// A small network: a VPC, a subnet in it, a NAT gateway in the subnet, a route table through the NAT gateway.
const vpc = (cidr: string) => resource(VPC, "vpc", { cidrBlock: cidr });
const subnet = (tag = "a") =>
  resource(SUBNET, "subnet", {
    vpcId: "vpc-id",
    cidrBlock: "10.0.0.0/20",
    availabilityZone: "zone-a",
    tags: { Name: tag },
  });
const eip = resource(EIP, "eip", { domain: "vpc" });
const nat = resource(NAT, "nat", { subnetId: "subnet-id", allocationId: "eip-id" });
const routes = resource(ROUTE_TABLE, "routes", {
  vpcId: "vpc-id",
  routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-id" }],
});
const networkRefs = [
  ref(subnet(), "vpcId", vpc("")),
  ref(nat, "subnetId", subnet()),
  ref(nat, "allocationId", eip),
  ref(routes, "vpcId", vpc("")),
  ref(routes, "routes.0.natGatewayId", nat),
];

describe("rehearsal engine: a replaced resource's outputs are unknown to every reader (step_generator.go L2003-2022; bridge: an unknown ForceNew attribute replaces)", () => {
  it("a chain three deep: the VPC replaces the subnet (vpcId ForceNew), the subnet the NAT gateway (subnetId ForceNew), and the route table only updates (routes is not ForceNew)", () => {
    const changes = rehearse(
      { resources: [vpc("10.0.0.0/16"), subnet(), eip, nat, routes] },
      planned([vpc("10.1.0.0/16"), subnet(), eip, nat, routes], networkRefs),
    );
    assert.deepEqual(
      changes.map((c) => [c.urn.split("::").pop(), c.action]),
      [
        ["eip", "same"],
        ["nat", "replace"],
        ["routes", "replace"],
        ["subnet", "replace"],
        ["vpc", "replace"],
      ],
    );
    // The route table is replaced through its own vpcId (ForceNew), and its route follows the NAT gateway as an unknown.
    assert.deepEqual(byName(changes, "routes").replaceBecause, ["vpcId"]);
    assert.deepEqual(
      byName(changes, "routes").diff.find((d) => d.path === "routes.0.natGatewayId"),
      {
        path: "routes.0.natGatewayId",
        before: "nat-id",
        after: UNKNOWN,
        cause: "nat is replaced: its id is known after apply",
      },
    );
    assert.deepEqual(byName(changes, "nat").replaceBecause, ["subnetId"]);
    assert.deepEqual(byName(changes, "nat").diff, [
      {
        path: "subnetId",
        before: "subnet-id",
        after: UNKNOWN,
        cause: "subnet is replaced: its id is known after apply",
      },
    ]);
  });

  it("a reader that is not ForceNew on the replaced output is updated, and stays updated when nothing forces it", () => {
    const routesOnly = resource(ROUTE_TABLE, "routes", {
      vpcId: "vpc-id",
      routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-id" }],
    });
    const natReplaced = resource(NAT, "nat", {
      subnetId: "subnet-id",
      allocationId: "eip-id",
      connectivityType: "private",
    });
    const changes = rehearse(
      { resources: [nat, routesOnly] },
      planned([natReplaced, routesOnly], [ref(routesOnly, "routes.0.natGatewayId", nat)]),
    );
    assert.equal(byName(changes, "nat").action, "replace");
    assert.deepEqual(
      [byName(changes, "routes").action, byName(changes, "routes").fields],
      ["update", ["routes.0.natGatewayId"]],
    );
  });

  it("a dependent that changed on its own is decided again with the referenced paths added", () => {
    const changes = rehearse(
      { resources: [vpc("10.0.0.0/16"), subnet("a")] },
      planned([vpc("10.1.0.0/16"), subnet("b")], [ref(subnet(), "vpcId", vpc(""))]),
    );
    const s = byName(changes, "subnet");
    assert.equal(s.action, "replace");
    assert.deepEqual(s.fields, ["tags.Name", "vpcId"]);
    assert.deepEqual(s.replaceBecause, ["vpcId"]);
  });

  it("an update whose row changes an output (a launch template's latestVersion) moves its readers; other updates do not", () => {
    const template = (image: string, description = "d") =>
      resource(AWS.launchTemplate, "lt", { imageId: image, description });
    const group = resource(PULUMI_EKS.managedNodeGroup, "group", { launchTemplate: { id: "lt-id", version: "1" } });
    const refs = [
      ref(group, "launchTemplate.id", template("")),
      ref(group, "launchTemplate.version", template(""), "latestVersion"),
    ];
    const rolled = rehearse({ resources: [template("ami-1"), group] }, planned([template("ami-2"), group], refs));
    assert.deepEqual(
      [byName(rolled, "group").action, byName(rolled, "group").fields],
      ["update", ["launchTemplate.version"]],
    );
    assert.match(byName(rolled, "group").warnings.join(" "), /rolls its nodes/);
    // The group reads the template's id too, which an update keeps.
    assert.ok(!byName(rolled, "group").fields.includes("launchTemplate.id"));
  });

  it("the fixpoint does not depend on the order resources come in", () => {
    const resources = [vpc("10.1.0.0/16"), subnet(), eip, nat, routes];
    const a = rehearse(
      { resources: [vpc("10.0.0.0/16"), subnet(), eip, nat, routes] },
      planned(resources, networkRefs),
    );
    const b = rehearse(
      { resources: [routes, nat, eip, subnet(), vpc("10.0.0.0/16")] },
      planned([...resources].reverse(), [...networkRefs].reverse()),
    );
    assert.deepEqual(a, b);
  });
});

describe("rehearsal engine: references by name, and what only a delete-first replacement takes along", () => {
  const attachment = resource(ATTACHMENT, "attach", { role: "role", policyArn: "arn:aws:iam::aws:policy/P" });

  it("an auto-named role replaced: its new name is drawn anew, so the attachment naming it is replaced (role is ForceNew)", () => {
    const role = (path: string) => resource(ROLE, "role", { path, assumeRolePolicy: "{}" });
    const changes = planChanges(
      { resources: [role("/"), attachment] },
      planned([role("/team/"), attachment], [ref(attachment, "role", role(""), "name")]),
    );
    assert.deepEqual(
      [byName(changes, "role").action, byName(changes, "role").replacement],
      ["replace", "create-first"],
    );
    assert.deepEqual(
      [byName(changes, "attach").action, byName(changes, "attach").replaceBecause],
      ["replace", ["role"]],
    );
  });

  it("a value derived from known outputs stays as it is when its source is created first, and is unknown as a whole when it is deleted first", () => {
    // Created first (replaceOnChanges forces it), the VPC's readers see its known outputs unchanged.
    const tagged = (tag: string) => resource(VPC, "vpc", { cidrBlock: "10.0.0.0/16", tags: { t: tag } });
    const reader = resource(ROUTE_TABLE, "reader", { vpcId: "vpc-x", tags: { vpc: "10.0.0.0/16" } });
    const readerRef: [string, InputReference] = [reader.urn, { path: "tags", from: tagged("").urn, output: "derived" }];
    const createFirst = rehearse(
      { resources: [tagged("a"), reader] },
      { ...planned([tagged("b"), reader], [readerRef]), replaceOnChanges: new Map([[tagged("").urn, ["tags"]]]) },
    );
    assert.deepEqual(
      [byName(createFirst, "vpc").action, byName(createFirst, "vpc").replacement],
      ["replace", "create-first"],
    );
    assert.equal(byName(createFirst, "reader").action, "same");
    // Deleted first (the program names the role), a reader whose ForceNew input depends on it is taken along.
    const role = (path: string) => resource(ROLE, "role", { name: "role", path, assumeRolePolicy: "{}" });
    const derived: [string, InputReference] = [attachment.urn, { path: "role", from: role("").urn, output: "derived" }];
    const deleteFirst = rehearse(
      { resources: [role("/"), attachment] },
      planned([role("/team/"), attachment], [derived]),
    );
    assert.equal(
      byName(deleteFirst, "role").replacement,
      "delete-first",
      "the bridge deletes first when the program sets the name (nameRequiresDeleteBeforeReplace)",
    );
    assert.deepEqual(
      [byName(deleteFirst, "attach").action, byName(deleteFirst, "attach").replacement],
      ["replace", "delete-first"],
      "calculateDependentReplacements: the input depending on it is unknown as a whole, and role is ForceNew",
    );
    // The same reader through a field that is not ForceNew is not taken along.
    const policy = resource(AWS.iamRolePolicy, "inline", { role: "role-x", policy: "{ role }" });
    const notForced = rehearse(
      { resources: [role("/"), policy] },
      planned([role("/team/"), policy], [[policy.urn, { path: "policy", from: role("").urn, output: "derived" }]]),
    );
    assert.equal(byName(notForced, "inline").action, "same");
  });

  it("an old resource is paired through its alias, as the engine looks the URN up first, then each alias (L655-713)", () => {
    const renamed = { ...subnet(), urn: urnOf(SUBNET, "subnet-renamed"), name: "subnet-renamed" };
    const changes = rehearse(
      { resources: [subnet()] },
      { resources: [renamed], aliases: new Map([[renamed.urn, [subnet().urn]]]) },
    );
    assert.deepEqual(
      changes.map((c) => [c.urn, c.action, c.aliasOf]),
      [[renamed.urn, "same", subnet().urn]],
    );
    // Without the alias: a new subnet and a deleted one.
    assert.deepEqual(
      rehearse({ resources: [subnet()] }, { resources: [renamed] })
        .map((c) => c.action)
        .sort(),
      ["create", "delete"],
    );
  });
});

describe("rehearsal engine: the Kubernetes provider follows its cluster", () => {
  const cluster = (role: string) =>
    resource(CLUSTER, "cluster", { name: "eks-platform-dev", serviceRole: role, version: "1.35" });
  const clusterRole = (path: string) => resource(ROLE, "cluster-role", { path });
  const provider = resource(K8S_PROVIDER, "k8s", { kubeconfig: "[secret]", enableServerSideApply: "true" });
  const app = (image: string) =>
    resource(
      DEPLOYMENT,
      "app",
      { metadata: { name: "app", namespace: "apps" }, spec: { template: { image } } },
      provider.urn,
    );
  const addon = resource(ADDON, "addon", { clusterName: "eks-platform-dev", addonName: "vpc-cni" });
  const refs = [
    ref(cluster(""), "serviceRole", clusterRole("")),
    ref(provider, "kubeconfig", cluster(""), "kubeconfigJson"),
    [addon.urn, { path: "clusterName", from: cluster("").urn, output: "derived" }] as [string, InputReference],
  ];

  it("a cluster replaced (its name is the program's, so deleted first) takes its add-ons, its provider and every object on it, all deleted first", () => {
    const changes = planChanges(
      { resources: [clusterRole("/"), cluster("role"), provider, app("a"), addon] },
      planned([clusterRole("/x/"), cluster("role"), provider, app("a"), addon], refs),
    );
    assert.deepEqual(
      [byName(changes, "cluster").action, byName(changes, "cluster").replacement],
      ["replace", "delete-first"],
    );
    assert.deepEqual(
      [byName(changes, "addon").action, byName(changes, "addon").replacement, byName(changes, "addon").replaceBecause],
      ["replace", "delete-first", ["clusterName"]],
    );
    assert.deepEqual(
      [byName(changes, "k8s").action, byName(changes, "k8s").replaceBecause],
      ["replace", ["kubeconfig"]],
    );
    assert.deepEqual(
      [byName(changes, "app").action, byName(changes, "app").replacement, byName(changes, "app").replaceBecause],
      ["replace", "delete-first", ["provider"]],
    );
    assert.deepEqual(
      changes.flatMap((c) => c.blocking),
      [],
    );
  });

  it("a provider replaced while the cluster stays replaces its objects by creating them first, which removes them: blocking", () => {
    const moved = { ...provider, inputs: { ...provider.inputs, clusterIdentifier: "b" } };
    const before = { ...provider, inputs: { ...provider.inputs, clusterIdentifier: "a" } };
    const changes = planChanges(
      { resources: [cluster("role"), before, app("a")] },
      planned([cluster("role"), moved, app("a")]),
    );
    assert.deepEqual([byName(changes, "k8s").action, byName(changes, "k8s").replacement], ["replace", "create-first"]);
    assert.deepEqual(
      [byName(changes, "app").action, byName(changes, "app").replacement],
      ["replace", "create-first"],
      "the object's own Diff is not asked (L2919-2926)",
    );
    assert.match(byName(changes, "k8s").blocking.join(" "), /replaced while its cluster stays/);
  });
});

describe("rehearsal engine: delete first exactly where Pulumi does it", () => {
  const deployment = (namespace: string, selector: string, name = "app") =>
    resource(DEPLOYMENT, "app", {
      metadata: { name, namespace },
      spec: { selector: { matchLabels: { app: selector } } },
    });

  it("pulumi-kubernetes: a named object keeping its name and namespace is deleted first (provider.go L1645-1658)", () => {
    const [c] = rehearse({ resources: [deployment("apps", "a")] }, { resources: [deployment("apps", "b")] });
    assert.deepEqual(
      [c.action, c.replacement, c.replaceBecause],
      ["replace", "delete-first", ["spec.selector.matchLabels.app"]],
    );
  });

  it("pulumi-kubernetes: moved to another namespace, or renamed, the new one is created first", () => {
    assert.equal(
      rehearse({ resources: [deployment("apps", "a")] }, { resources: [deployment("other", "a")] })[0].replacement,
      "create-first",
    );
    assert.equal(
      rehearse({ resources: [deployment("apps", "a")] }, { resources: [deployment("apps", "a", "app2")] })[0]
        .replacement,
      "create-first",
    );
    // "" and "default" are one namespace (provider.go L1511-1519).
    assert.equal(
      rehearse({ resources: [deployment("", "a")] }, { resources: [deployment("default", "b")] })[0].replacement,
      "delete-first",
    );
  });

  it("the bridge: deleted first when the program sets the name the provider would generate; created first when it is generated", () => {
    const group = (name: string | undefined, logClass: string) =>
      resource(AWS.logGroup, "logs", { ...(name ? { name } : {}), logGroupClass: logClass });
    assert.equal(
      rehearse({ resources: [group("/x", "STANDARD")] }, { resources: [group("/x", "INFREQUENT_ACCESS")] })[0]
        .replacement,
      "delete-first",
    );
    assert.equal(
      rehearse({ resources: [group(undefined, "STANDARD")] }, { resources: [group(undefined, "INFREQUENT_ACCESS")] })[0]
        .replacement,
      "create-first",
    );
    // A name the program sets deletes first even when it changes: the bridge compares old and new names only for
    // resources with UniqueNameFields, which pulumi-aws gives none (schema.go L195-246).
    assert.equal(
      rehearse({ resources: [group("/x", "STANDARD")] }, { resources: [group("/y", "STANDARD")] })[0].replacement,
      "delete-first",
    );
  });

  it("the deleteBeforeReplace option wins; replaceOnChanges replaces on a field that would only update", () => {
    const natMoved = { ...nat, inputs: { ...nat.inputs, subnetId: "other-subnet-id" } };
    assert.equal(
      rehearse({ resources: [nat] }, { resources: [natMoved], deleteBeforeReplace: new Set([nat.urn]) })[0].replacement,
      "delete-first",
    );
    const tagged = { ...routes, inputs: { ...routes.inputs, tags: { a: "b" } } };
    assert.equal(rehearse({ resources: [routes] }, { resources: [tagged] })[0].action, "update");
    assert.equal(
      rehearse({ resources: [routes] }, { resources: [tagged], replaceOnChanges: new Map([[routes.urn, ["tags"]]]) })[0]
        .action,
      "replace",
    );
  });

  it("a Route 53 record with a new name is created first and clashes with nothing: its key is zone, name and type together", () => {
    const record = (name: string) =>
      resource(AWS.route53Record, "record", { zoneId: "Z1", name, type: "CNAME", records: ["x"] });
    const changes = planChanges({ resources: [record("a.example.com")] }, { resources: [record("b.example.com")] });
    assert.deepEqual([changes[0].action, changes[0].replacement, changes[0].blocking], ["replace", "create-first", []]);
  });
});

describe("rehearsal findings: plans that cannot apply", () => {
  it("a replacement created first that keeps a value AWS allows once is blocking, naming the fix; deleted first it is not", () => {
    const addon = (namespace: string) =>
      resource(ADDON, "addon", { clusterName: "c", addonName: "vpc-cni", namespaceConfig: { namespace } });
    const [clash] = planChanges({ resources: [addon("kube-system")] }, { resources: [addon("cni")] });
    assert.equal(clash.replacement, "create-first");
    assert.match(
      clash.blocking.join(" "),
      /keeps clusterName "c", addonName "vpc-cni".*ResourceInUseException.*deleteBeforeReplace on addon/,
    );
    const [fine] = planChanges(
      { resources: [addon("kube-system")] },
      { resources: [addon("cni")], deleteBeforeReplace: new Set([addon("").urn]) },
    );
    assert.deepEqual(fine.blocking, []);
    const entry = (type: string) =>
      resource(AWS.eksAccessEntry, "entry", {
        clusterName: "c",
        principalArn: "arn:aws:iam::1:role/r",
        type,
      });
    assert.match(
      planChanges({ resources: [entry("STANDARD")] }, { resources: [entry("EC2_LINUX")] })[0].blocking.join(" "),
      /principalArn.*ResourceInUseException/,
    );
    // A NAT gateway replaced by its subnet keeps its Elastic IP.
    const natMoved = { ...nat, inputs: { ...nat.inputs, subnetId: "other-subnet-id" } };
    assert.match(
      planChanges({ resources: [nat] }, { resources: [natMoved] })[0].blocking.join(" "),
      /allocationId "eip-id".*Resource\.AlreadyAssociated/,
    );
  });

  it("a new subnet overlapping a live one in the same VPC is blocking (creates come before deletes); in a new VPC it is not", () => {
    const s = (name: string, cidr: string, vpcId = "vpc-id") =>
      resource(SUBNET, name, { vpcId, cidrBlock: cidr, availabilityZone: "z" });
    const created = byName(
      planChanges({ resources: [s("old", "10.0.0.0/20")] }, { resources: [s("new", "10.0.0.0/19")] }),
      "new",
    );
    assert.equal(created.action, "create");
    assert.match(
      created.blocking.join(" "),
      /10\.0\.0\.0\/19 overlaps 10\.0\.0\.0\/20 of old.*InvalidSubnet\.Conflict/,
    );
    assert.deepEqual(
      planChanges({ resources: [s("old", "10.0.0.0/20")] }, { resources: [s("new", "10.0.16.0/20")] }).flatMap(
        (c) => c.blocking,
      ),
      [],
    );
    // The same CIDR in a VPC that is itself replaced: its id is unknown, so no clash can be told (nor happens).
    const v = (cidr: string) => resource(VPC, "vpc", { cidrBlock: cidr });
    const inNew = s("new", "10.0.0.0/20");
    const changes = planChanges(
      { resources: [v("10.0.0.0/16"), s("old", "10.0.0.0/20")] },
      planned([v("10.1.0.0/16"), inNew], [ref(inNew, "vpcId", v(""))]),
    );
    assert.deepEqual(
      changes.flatMap((c) => c.blocking),
      [],
    );
  });

  it("a web ACL deleted while an Ingress drops its wafv2-acl-arn annotation is blocking; set to none, it is not", () => {
    const acl = resource(AWS.wafv2WebAcl, "acl", { scope: "REGIONAL" });
    const ingress = (annotation: string | undefined) =>
      resource(KUBERNETES.ingress, "web", {
        metadata: {
          name: "web",
          namespace: "a",
          annotations: annotation ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": annotation } : {},
        },
      });
    const dropped = planChanges({ resources: [acl, ingress("arn:acl")] }, { resources: [ingress(undefined)] });
    assert.match(byName(dropped, "acl").blocking.join(" "), /web drops its .* annotation.*WAFAssociatedItemException/);
    assert.deepEqual(
      planChanges({ resources: [acl, ingress("arn:acl")] }, { resources: [ingress("none")] }).flatMap(
        (c) => c.blocking,
      ),
      [],
    );
  });

  it("Kubernetes versions: one minor up warns (one-way after seven days); a skipped minor or a downgrade past a rollback is blocking", () => {
    assert.deepEqual(versionStep("1.34", "1.35")?.blocking, false);
    assert.deepEqual(versionStep("1.33", "1.35")?.blocking, true);
    assert.deepEqual(versionStep("1.35", "1.34")?.blocking, false, "EKS rolls back one minor within seven days");
    assert.deepEqual(versionStep("1.35", "1.33")?.blocking, true);
    assert.equal(versionStep("1.35", "1.35"), undefined);
  });

  it("narrowing publicAccessCidrs: the CIDRs no new one covers", () => {
    assert.ok(
      cidrContains("0.0.0.0/0", "203.0.113.0/24") &&
        cidrContains("10.0.0.0/8", "10.1.0.0/16") &&
        !cidrContains("10.1.0.0/16", "10.0.0.0/8"),
    );
    assert.deepEqual(narrowedCidrs(["0.0.0.0/0"], ["203.0.113.0/24"]), ["0.0.0.0/0"]);
    assert.deepEqual(narrowedCidrs(["203.0.113.0/24"], ["203.0.0.0/16"]), []);
  });
});

describe("rehearsal: the stack a render stands for", () => {
  const identity = {
    project: "eks-platform",
    stack: "dev",
    region: "ap-northeast-2",
    partition: "aws",
    accountId: "1",
  };

  it("another region replaces every regional resource; IAM is global and stays", () => {
    const role = resource(ROLE, "role", { path: "/" });
    const changes = rehearse(
      { resources: [vpc("10.0.0.0/16"), role], identity },
      { resources: [vpc("10.0.0.0/16"), role], identity: { ...identity, region: "us-west-2" } },
    );
    assert.deepEqual([byName(changes, "vpc").action, byName(changes, "vpc").replaceBecause], ["replace", ["region"]]);
    assert.equal(byName(changes, "role").action, "same");
  });

  it("another stack or project is not this stack's state; a rename rewrites every URN and reference", () => {
    assert.equal(otherStack({ project: "eks-platform", stack: "dev" }, identity), undefined);
    assert.match(
      otherStack({ project: "eks-platform", stack: "prod" }, identity) ?? "",
      /stack prod of project eks-platform, not of stack dev/,
    );
    assert.match(otherStack({ project: "other", stack: "dev" }, identity) ?? "", /project other/);
    const prod = {
      ...subnet(),
      urn: subnet().urn.replace(":dev::", ":prod::"),
      inputs: { ...subnet().inputs, owner: subnet().urn.replace(":dev::", ":prod::") },
    };
    const [renamed] = renamedTo([prod], identity);
    assert.equal(renamed.urn, subnet().urn);
    assert.equal(renamed.inputs.owner, subnet().urn);
  });

  it("--fail-on: the conditions the plan meets, none when it meets none", () => {
    const changes = planChanges({ resources: [vpc("10.0.0.0/16")] }, { resources: [vpc("10.1.0.0/16")] });
    assert.deepEqual(failedOn(changes, ["replace", "delete", "blocking"]), ["replace"]);
    assert.deepEqual(
      failedOn(planChanges({ resources: [vpc("10.0.0.0/16")] }, { resources: [vpc("10.0.0.0/16")] }), [
        "replace",
        "delete",
        "blocking",
      ]),
      [],
    );
  });
});

describe("provenance: which input took which output", () => {
  const wireRef = (urn: string) => ({ "4dabf18193072939515e22adb298388d": "5cf8f73096256a8f31e491e813e4eb8e", urn });
  const secret = (value: unknown) => ({
    "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
    value,
  });

  it("an echoed input stays known; ids, ARNs, an auto-name and other computed values are the resource's computed outputs", () => {
    const tokens = computedOutputs(
      "r-id",
      { name: "given", arn: "arn:x", nested: { endpoint: "https://e" }, size: 1 },
      { name: "given", size: 1 },
    );
    assert.deepEqual(tokens, [
      { output: "id", value: "r-id" },
      { output: "arn", value: "arn:x" },
      { output: "nested.endpoint", value: "https://e" },
    ]);
    assert.deepEqual(computedOutputs("r-id", { name: "logical" }, {}), [
      { output: "id", value: "r-id" },
      { output: "name", value: "logical" },
    ]);
  });

  it("finds a value whole, between name boundaries, inside base64 and inside a secret, only among the input's own dependencies", () => {
    const tokens = new Map([
      ["vpc", [{ output: "id", value: "vpc-id" }]],
      [
        "cluster",
        [
          { output: "endpoint", value: "https://api.example" },
          { output: "kubeconfig", value: "{kube}" },
        ],
      ],
      ["other", [{ output: "id", value: "vpc-id" }]],
    ]);
    const found = inputReferences(
      {
        vpcId: "vpc-id",
        list: ["x", "vpc-id"],
        policy: '{"Resource":"vpc-id/*"}',
        near: "vpc-ids",
        userData: Buffer.from("server https://api.example\n").toString("base64"),
        kubeconfig: secret("{kube}"),
        cluster: wireRef("cluster"),
        name: "known",
      },
      {
        vpcId: ["vpc"],
        list: ["vpc"],
        policy: ["vpc"],
        near: ["vpc"],
        userData: ["cluster"],
        kubeconfig: ["cluster"],
        name: ["vpc"],
      },
      tokens,
    );
    assert.deepEqual(found, [
      { path: "cluster", from: "cluster", output: "id" },
      { path: "kubeconfig", from: "cluster", output: "kubeconfig" },
      { path: "list.1", from: "vpc", output: "id" },
      { path: "name", from: "vpc", output: "derived" },
      { path: "near", from: "vpc", output: "derived" },
      { path: "policy", from: "vpc", output: "id" },
      { path: "userData", from: "cluster", output: "endpoint" },
      { path: "vpcId", from: "vpc", output: "id" },
    ]);
  });
});
