/**
 * Issue 11's rules: what the first real `pulumi up` and `pulumi destroy` depend on where the mocks
 * cannot see (remote components' input rules, delete order, AWS's rules), pinned down on the recorded
 * graph and the pure functions behind them.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import * as aws from "@pulumi/aws";
import * as eks from "@pulumi/eks";
import * as pulumi from "@pulumi/pulumi";
import { appHostnames } from "../apps/hostnames";
import { CERTIFICATE_VALIDATION_TIMEOUT, validationHint } from "../components/certificate/certificate";
import { ADDON_VERSIONS } from "../components/cluster/addon-versions";
import { adminAccessEntryKey } from "../components/cluster/cluster";
import { podIdentityTrustPolicy } from "../components/controller-release/iam";
import { environmentOf, RECORDS_GONE_TIMEOUT_SECONDS } from "../components/external-dns/dns-record-cleanup";
import {
  EXTERNAL_IDS_ENV,
  parseRecordsGoneArgs,
  remainingRecords,
  waitUntilGone,
} from "../components/external-dns/records-gone";
import { AWS, COMMAND, KUBERNETES, PULUMI_EKS } from "../components/resource-types";
import { adminAccess } from "../config";
import { criticalPath, UNAVOIDABLE_CHAIN } from "../render/critical-path";
import {
  MOCK_ACCOUNT_ID,
  ofType,
  PROJECT_ROOT,
  ProgramError,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import { planChanges } from "../render/rehearsal/plan";
import {
  CUSTOM_LAUNCH_TEMPLATE_ARGS,
  clusterViolations,
  managedNodeGroupViolations,
} from "../render/remote-components";
import { destroyOrder } from "./destroy-order";

const NODE_GROUP = PULUMI_EKS.managedNodeGroup;
const RELEASE = KUBERNETES.helmRelease;
const rules = (violations: ReadonlyArray<{ rule: string }>) => violations.map((v) => v.rule).sort();

describe("1. remote components get only inputs their providers accept", async () => {
  it("eks.Cluster: each rule pulumi-eks v4.3.0 enforces fires on a violating input", () => {
    const role = "urn:role";
    const table: Array<[string, Record<string, unknown>]> = [
      ["authentication-mode-value", { authenticationMode: "IAM" }],
      ["config-map-inputs-in-api-mode", { authenticationMode: "API", instanceRoles: [role] }],
      ["config-map-inputs-in-api-mode", { authenticationMode: "API", roleMappings: [{ roleArn: role }] }],
      [
        "access-entries-need-api-mode",
        { authenticationMode: "CONFIG_MAP", accessEntries: { a: { principalArn: "arn:aws:iam::1:role/a" } } },
      ],
      ["access-entries-need-api-mode", { accessEntries: { a: { principalArn: "arn:aws:iam::1:role/a" } } }],
      [
        "instance-role-xor-roles",
        { authenticationMode: "API_AND_CONFIG_MAP", instanceRole: role, instanceRoles: [role] },
      ],
      ["subnet-ids-xor-public-private", { subnetIds: ["a"], privateSubnetIds: ["b"] }],
      ["public-cidrs-need-public-endpoint", { publicAccessCidrs: ["10.0.0.0/8"], endpointPublicAccess: false }],
      [
        "no-access-entry-for-the-creator",
        { authenticationMode: "API", accessEntries: { a: { principalArn: "arn:aws:iam::1:user/me" } } },
      ],
    ];
    for (const [rule, inputs] of table) {
      assert.deepEqual(
        [...new Set(rules(clusterViolations(inputs, "arn:aws:iam::1:user/me")))],
        [rule],
        JSON.stringify(inputs),
      );
    }
    assert.deepEqual(
      clusterViolations({ authenticationMode: "API", instanceRole: role }, "x"),
      [],
      "a singular instanceRole is allowed in API mode",
    );
  });

  it("eks.ManagedNodeGroup: each rule of pulumi-eks and of EKS's CreateNodegroup fires on a violating input", () => {
    const base = { nodeRole: "urn:role" };
    const table: Array<[string, Record<string, unknown>, Record<string, unknown>?]> = [
      ["node-role-xor-arn", { nodeRole: "r", nodeRoleArn: "arn" }],
      ["node-role-required", {}],
      ["ami-id-xor-ami-type", { ...base, amiId: "ami-1", amiType: "AL2023_x86_64_STANDARD" }],
      ["efa-needs-placement-zone", { ...base, enableEfaSupport: true }],
      ["user-data-excludes-user-data-args", { ...base, userData: "x", kubeletExtraArgs: "--v=2" }],
      [
        "launch-template-excludes-disk-and-remote-access",
        { ...base, launchTemplate: { id: "lt-1", version: "1" }, diskSize: 50 },
      ],
      [
        "custom-ami-excludes-eks-image-choice",
        { ...base, launchTemplate: { id: "lt-1", version: "1" }, releaseVersion: "1.35.6-20260714" },
        { imageId: "ami-1" },
      ],
    ];
    for (const [rule, inputs, template] of table) {
      assert.deepEqual(rules(managedNodeGroupViolations(inputs, template)), [rule], JSON.stringify(inputs));
    }
    // Every input that makes pulumi-eks build its own template conflicts with ours, even `false`.
    assert.equal(CUSTOM_LAUNCH_TEMPLATE_ARGS.length, 8, "pulumi-eks v4.3.0's eight customLaunchTemplateArgs");
    for (const key of CUSTOM_LAUNCH_TEMPLATE_ARGS) {
      const found = managedNodeGroupViolations(
        { ...base, launchTemplate: { id: "lt-1", version: "1" }, [key]: false },
        {},
      );
      assert.ok(rules(found).includes("own-launch-template-excludes-generated-one"), key);
    }
    assert.deepEqual(
      managedNodeGroupViolations(
        { ...base, launchTemplate: { id: "lt-1", version: "1" }, instanceTypes: ["m5.large"] },
        { imageId: "ami-1" },
      ),
      [],
    );
  });

  it("the inputs this program gave eks.Cluster before (instanceRoles in API mode) are refused", () => {
    const before = {
      authenticationMode: "API",
      instanceRoles: ["urn:pulumi:dev::eks-platform::aws:iam/role:Role::cluster-node"],
      accessEntries: {},
    };
    assert.deepEqual(rules(clusterViolations(before, "arn:aws:iam::123456789012:user/deployer")), [
      "config-map-inputs-in-api-mode",
    ]);
  });

  it("the harness runs these rules: a program that breaks one fails as `pulumi up` would", async () => {
    const program = async () => {
      const role = new aws.iam.Role("node", { assumeRolePolicy: "{}" });
      new eks.Cluster("bad", {
        authenticationMode: eks.AuthenticationMode.Api,
        instanceRoles: [role],
        skipDefaultNodeGroup: true,
      });
      return {};
    };
    await assert.rejects(runProgram({ program }), (error: unknown) => {
      const cause = error instanceof ProgramError ? error.error : error;
      assert.match(String(cause instanceof Error ? cause.message : cause), /instanceRoles.*authenticationMode/);
      return true;
    });
  });

  it("the cluster makes no pulumi-eks security groups and leaves the node role's access entry to EKS", async () => {
    const run = await runProgram();
    const [cluster] = ofType(run, PULUMI_EKS.cluster);
    assert.equal(cluster.inputs.skipDefaultSecurityGroups, true);
    assert.equal(cluster.inputs.instanceRoles, undefined);
    assert.equal(cluster.inputs.instanceRole, undefined);
    assert.deepEqual(cluster.inputs.accessEntries, {});
  });
});

/** The private subnet a node group uses, with the association and NAT gateway its egress rides on. */
function egressOf(
  run: ProgramRun,
  subnetId: string,
): { association: RecordedResource; nat: RecordedResource; table: RecordedResource } {
  const association = ofType(run, AWS.routeTableAssociation).find(
    (a) => a.inputs.subnetId === subnetId,
  ) as RecordedResource;
  const table = ofType(run, AWS.routeTable).find(
    (t) => `${t.name}-id` === association.inputs.routeTableId,
  ) as RecordedResource;
  const natId = (table.inputs.routes as Array<{ natGatewayId?: string }>)[0].natGatewayId;
  const nat = ofType(run, AWS.natGateway).find((n) => `${n.name}-id` === natId) as RecordedResource;
  return { association, nat, table };
}

describe("2. boot and teardown ride on the NAT routes", async () => {
  const [perZone, single] = await Promise.all([
    runProgram({ config: { domain: "example.com" } }),
    runProgram({ config: { natGateways: "single" } }),
  ]);
  const runs = { perZone, single };

  for (const [label, run] of Object.entries(runs)) {
    it(`(${label}) every node group waits for the route table, association and NAT gateway of each subnet it uses`, () => {
      const groups = ofType(run, NODE_GROUP);
      assert.equal(groups.length, 1, "one managed node group");
      for (const group of groups) {
        const waitsFor = transitiveDependencies(run, group.urn);
        const subnetIds = group.inputs.subnetIds as string[];
        assert.equal(subnetIds.length, 3, `${group.name} uses one private subnet per zone`);
        for (const subnetId of subnetIds) {
          const { association, nat, table } = egressOf(run, subnetId);
          for (const r of [association, nat, table])
            assert.ok(waitsFor.has(r.urn), `${group.name} does not wait for ${r.name}`);
        }
      }
    });
  }

  it("destroy deletes load-balancer objects before their controllers, controllers before nodes, nodes before NAT and routes", () => {
    const run = runs.perZone;
    const order = destroyOrder(run);
    const at = (r: RecordedResource) => order.indexOf(r.urn);
    const lbObjects = run.resources.filter(
      (r) =>
        r.type === KUBERNETES.ingress ||
        (r.type === KUBERNETES.service && (r.inputs.spec as { type?: string }).type === "LoadBalancer"),
    );
    const controllers = ofType(run, RELEASE);
    const nodes = ofType(run, NODE_GROUP);
    assert.equal(nodes.length, 1, "one managed node group");
    const egress = run.resources.filter(
      (r) => r.type === AWS.natGateway || (r.type.startsWith("aws:ec2/routeTable") && r.name.includes("-private-")),
    );
    assert.ok(
      lbObjects.length >= 5 && controllers.length === 3 && egress.length === 9,
      "the graph has the load balancers, the three controllers and nine egress resources",
    );
    const lastLb = Math.max(...lbObjects.map(at));
    assert.ok(lastLb < Math.min(...controllers.map(at)), "a load balancer object outlives a controller");
    assert.ok(Math.max(...controllers.map(at)) < Math.min(...nodes.map(at)), "a controller outlives the nodes");
    assert.ok(Math.max(...nodes.map(at)) < Math.min(...egress.map(at)), "NAT or routes go before the nodes");
    // And the DNS record check sits between the hostname objects and ExternalDNS.
    const check = resource(run, COMMAND.local, "dns-record-cleanup-records-gone");
    const externalDns = resource(run, RELEASE, "external-dns-release");
    assert.ok(
      lastLb < at(check) && at(check) < at(externalDns),
      "the record check is deleted after the hostname objects and before ExternalDNS",
    );
  });
});

describe("3b. no instance Karpenter launched is left behind", () => {
  it("destroy deletes the NodePools and node classes first, while Karpenter runs to terminate their instances; then the controller, its queue, rules and roles; the nodes' egress and subnets last", async () => {
    const run = await runProgram({ config: { domain: "example.com" } });
    const order = destroyOrder(run);
    const at = (r: RecordedResource) => order.indexOf(r.urn);
    const pools = run.resources.filter((r) => r.type === KUBERNETES.nodePool || r.type === KUBERNETES.ec2NodeClass);
    assert.ok(pools.length >= 2, `${pools.length} NodePools and node classes`);
    const controller = resource(run, RELEASE, "karpenter-release");
    const interruption = run.resources.filter(
      (r) => r.type === AWS.sqsQueue || r.type === AWS.eventRule || r.type === AWS.eventTarget,
    );
    const nodeAccess = ofType(run, AWS.eksAccessEntry).filter((r) => r.name.startsWith("karpenter-aws"));
    const subnets = run.resources.filter((r) => r.type === AWS.subnet && r.name.includes("-private-"));
    const egress = run.resources.filter((r) => r.type === AWS.natGateway);
    assert.equal(interruption.length, 11, "the queue, five rules and their five targets");
    assert.equal(nodeAccess.length, 1);
    const lastPool = Math.max(...pools.map(at));
    assert.ok(
      lastPool < at(controller),
      "the controller outlives its NodePools (their finalizers wait for it to terminate the instances)",
    );
    for (const r of [...interruption, ...nodeAccess]) assert.ok(lastPool < at(r), `${r.name} outlives the NodePools`);
    // The roles: the controller's (its policy and Pod Identity association) and the nodes', with their
    // attachments, outlive the NodePools and the controller, which terminates instances with them.
    const roles = run.resources.filter(
      (r) =>
        (r.type === AWS.iamRole ||
          r.type === AWS.iamRolePolicy ||
          r.type === AWS.iamRolePolicyAttachment ||
          r.type === AWS.eksPodIdentityAssociation) &&
        (r.name.startsWith("karpenter-identity") || r.name.startsWith("karpenter-aws-node")),
    );
    assert.equal(
      roles.length,
      8,
      "the controller's role, policy and association; the node role and its four attachments",
    );
    for (const r of roles) {
      assert.ok(lastPool < at(r), `${r.name} outlives the NodePools`);
      assert.ok(at(controller) < at(r), `${r.name} outlives the controller`);
    }
    assert.ok(
      at(controller) < Math.min(...egress.map(at), ...subnets.map(at)),
      "the controller and its nodes go before the NAT gateways and the subnets",
    );
    // The NodePools wait for the classes they name, so they go first; the classes hold their instances' ENIs until terminated.
    for (const pool of pools.filter((r) => r.type.endsWith(":NodePool"))) {
      const nodeClass = pools.find(
        (r) => r.type.endsWith(":EC2NodeClass") && r.name === `${pool.name}-class`,
      ) as RecordedResource;
      assert.ok(at(pool) < at(nodeClass), `${pool.name} before its node class`);
    }
  });
});

describe("3. no DNS record left behind", () => {
  const owner = "eks-platform-dev-ap-northeast-2";
  const ours = (name: string) => [
    { Name: `${name}.`, Type: "A", ResourceRecords: [] },
    {
      Name: `a-${name}.`,
      Type: "TXT",
      ResourceRecords: [
        { Value: `"heritage=external-dns,external-dns/owner=${owner},external-dns/resource=ingress/x/y"` },
      ],
    },
  ];

  it("finds the ownership records ExternalDNS keeps for us, and none of another owner", () => {
    const zone = [
      ...ours("games.example.com"),
      { Name: "example.com.", Type: "NS", ResourceRecords: [{ Value: "ns-1.awsdns-01.org." }] },
      { Name: "other.example.com.", Type: "A", ResourceRecords: [] },
      {
        Name: "a-other.example.com.",
        Type: "TXT",
        ResourceRecords: [
          { Value: '"heritage=external-dns,external-dns/owner=someone-else,external-dns/resource=service/a/b"' },
        ],
      },
      {
        Name: "a-x.example.com.",
        Type: "TXT",
        ResourceRecords: [{ Value: `"heritage=external-dns,external-dns/owner=${owner}-2"` }],
      },
    ];
    assert.deepEqual(remainingRecords(zone, owner), ["TXT a-games.example.com"]);
    assert.deepEqual(remainingRecords(zone.slice(2), owner), []);
  });

  it("waits until ExternalDNS has deleted them, and fails (bounded) when it does not", async () => {
    const pages = [[...ours("games.example.com"), ...ours("2048.example.com")], ours("2048.example.com"), []];
    let call = 0;
    const slept: number[] = [];
    const done = await waitUntilGone({
      listRecordSets: async () => pages[Math.min(call++, pages.length - 1)],
      ownerId: owner,
      timeoutSeconds: 60,
      intervalSeconds: 5,
      sleep: async (ms) => void slept.push(ms),
      log: () => undefined,
    });
    assert.deepEqual(done, { gone: true, remaining: [] });
    assert.deepEqual(slept, [5000, 5000]);
    const stuck = await waitUntilGone({
      listRecordSets: async () => ours("tetris.example.com"),
      ownerId: owner,
      timeoutSeconds: 10,
      intervalSeconds: 5,
      sleep: async () => undefined,
      log: () => undefined,
    });
    assert.deepEqual(stuck, { gone: false, remaining: ["TXT a-tetris.example.com"] });
  });

  it("the delete-time check names only the zone and the owner, so adding or renaming an app never replaces it", async () => {
    const run = await runProgram({ config: { domain: "example.com" } });
    const check = resource(run, COMMAND.local, "dns-record-cleanup-records-gone");
    const [zone] = ofType(run, AWS.route53Record).map((r) => String(r.inputs.zoneId));
    assert.equal(check.inputs.create, undefined, "creating the check does nothing");
    // The command line as the script it runs reads it (its own parser), not as the builder wrote it.
    const words = String(check.inputs.delete).split(/\s+/);
    assert.deepEqual(words.slice(0, 3), ["node", "--import", "tsx"]);
    const script = words[3];
    assert.ok(
      fs.existsSync(path.join(PROJECT_ROOT, script)),
      `${script} does not exist under the project root, where pulumi destroy runs it`,
    );
    assert.equal(path.resolve(PROJECT_ROOT, script), require.resolve("../components/external-dns/records-gone"));
    const options = parseRecordsGoneArgs(words.slice(4));
    // The owner it waits on is the one ExternalDNS writes; the zone the one it writes to.
    const release = resource(run, KUBERNETES.helmRelease, "external-dns-release");
    assert.deepEqual(options, {
      zone,
      owner: (release.inputs.values as { txtOwnerId: string }).txtOwnerId,
      timeoutSeconds: RECORDS_GONE_TIMEOUT_SECONDS,
      intervalSeconds: 5,
      assumeRoles: [],
    });
    assert.match(zone, /^Z[0-9A-Z]+$/);
    const hostnames = Object.values(appHostnames("example.com"));
    assert.equal(hostnames.length, 3, "three published hostnames: 2048, games, tetris");
    for (const name of hostnames)
      assert.doesNotMatch(String(check.inputs.delete), new RegExp(name.replace(/\./g, "\\.")));
  });

  it("runs with the program's own credentials (aws:profile, aws:assumeRoles) and keeps cluster DNS until it is done", async () => {
    const roles = [
      { roleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/deploy`, externalId: "ticket-42" },
      { roleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/dns` },
    ];
    const run = await runProgram({
      config: { domain: "example.com", "aws:profile": "platform", "aws:assumeRoles": JSON.stringify(roles) },
    });
    const check = resource(run, COMMAND.local, "dns-record-cleanup-records-gone");
    assert.equal((check.inputs.environment as Record<string, string>).AWS_PROFILE, "platform");
    // The roles as the script itself reads its command line and environment, in the provider's order; the
    // external id is on neither the command line nor in the state in the clear (a secret), only in the
    // environment the command gets.
    assert.doesNotMatch(String(check.inputs.delete), /ticket-42/);
    assert.doesNotMatch(JSON.stringify(check.inputs), /ticket-42/);
    const environment = environmentOf({ region: "ap-northeast-2", credentials: { assumeRoles: roles } });
    const secretIds = environment[EXTERNAL_IDS_ENV];
    assert.ok(pulumi.Output.isInstance(secretIds), "the external ids are an Output");
    assert.equal(await pulumi.isSecret(secretIds as pulumi.Output<string>), true, "and a secret");
    const ids = await new Promise<string>((resolve) => (secretIds as pulumi.Output<string>).apply(resolve));
    assert.deepEqual(
      parseRecordsGoneArgs(String(check.inputs.delete).split(/\s+/).slice(4), { [EXTERNAL_IDS_ENV]: ids }).assumeRoles,
      roles,
    );
    // CoreDNS outlives the check on destroy: ExternalDNS resolves Route 53 through it while the check waits.
    const coredns = resource(run, AWS.eksAddon, "cluster-coredns");
    assert.ok(check.dependencies.includes(coredns.urn), "the check does not keep CoreDNS");
    const order = destroyOrder(run);
    assert.ok(order.indexOf(check.urn) < order.indexOf(coredns.urn), "CoreDNS is deleted before the check");
  });

  it("the script refuses a command line it does not know, so a wrong flag cannot pass silently", () => {
    assert.throws(() => parseRecordsGoneArgs(["--zone", "Z1", "--owner-id", "me"]), /Unknown option '--owner-id'/);
    assert.throws(() => parseRecordsGoneArgs(["--zone", "Z1"]), /usage: records-gone\.ts/);
    assert.throws(
      () =>
        parseRecordsGoneArgs(["--zone", "Z1", "--owner", "me", "--assume-role", "arn:aws:iam::123456789012:role/a#x"]),
      /expected an IAM role ARN \(its external id goes in RECORDS_GONE_EXTERNAL_IDS\)/,
    );
    assert.throws(
      () => parseRecordsGoneArgs(["--zone", "Z1", "--owner", "me", "--timeout", "soon"]),
      /--timeout soon: expected whole seconds/,
    );
  });
});

describe("4. node image and add-ons pinned on purpose", () => {
  // Asked for when the file loads: made in the worker while earlier tests run (render/run-worker.ts).
  const byVersion = new Map(
    ["1.34", "1.35"].map((version) => [version, runProgram({ config: { kubernetesVersion: version } })]),
  );

  it("every add-on has a pinned version for the configured Kubernetes version, from the table", async () => {
    assert.equal(byVersion.size, 2);
    for (const [version, made] of byVersion) {
      const run = await made;
      const pinned = Object.fromEntries(
        ofType(run, AWS.eksAddon).map((a) => [a.inputs.addonName, a.inputs.addonVersion]),
      );
      assert.deepEqual(pinned, ADDON_VERSIONS[version]);
    }
  });

  it("each kube-proxy pin is the build of its own Kubernetes minor; an upgrade moves exactly the add-ons whose pins differ", async () => {
    // EKS user guide, managing-kube-proxy.html: kube-proxy's add-on version follows the cluster's minor
    // (v<minor>.<patch>-eksbuild.<n>), one build line per Kubernetes version.
    for (const [version, row] of Object.entries(ADDON_VERSIONS)) {
      assert.match(row["kube-proxy"], new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+-eksbuild\\.\\d+$`), version);
    }
    const versions = Object.keys(ADDON_VERSIONS).sort();
    assert.deepEqual(versions, ["1.33", "1.34", "1.35"]);
    // The runs the suite makes anyway: 1.33 needs extended support on the suite's date; the support type
    // changes the cluster's upgrade policy, not an add-on.
    const runOf = (v: string) =>
      runProgram({
        config:
          v === "1.33"
            ? { kubernetesVersion: v, supportType: "EXTENDED" }
            : v === "1.35"
              ? {}
              : { kubernetesVersion: v },
      });
    for (const [from, to] of [
      [versions[0], versions[1]],
      [versions[1], versions[2]],
    ]) {
      const changes = planChanges(await runOf(from), await runOf(to));
      const moved = changes
        .filter((c) => c.type === AWS.eksAddon && c.action !== "same")
        .map((c) =>
          c.urn
            .split("::")
            .pop()
            ?.replace(/^cluster-/, ""),
        )
        .sort();
      const differ = (Object.keys(ADDON_VERSIONS[to]) as Array<keyof (typeof ADDON_VERSIONS)[string]>)
        .filter((name) => ADDON_VERSIONS[from][name] !== ADDON_VERSIONS[to][name])
        .sort();
      assert.deepEqual(moved, differ, `${from} to ${to}`);
      for (const c of changes.filter((x) => x.type === AWS.eksAddon && x.action !== "same")) {
        assert.deepEqual([c.action, c.fields], ["update", ["addonVersion"]], c.urn);
      }
    }
  });

  it("a Kubernetes version without pinned add-ons, or a release without images, is refused before anything is created", async () => {
    const refused = async (config: Record<string, string>, key: RegExp) => {
      const error = await runProgram({ config }).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof ProgramError, JSON.stringify(config));
      assert.match(error.message, key);
      assert.deepEqual(
        error.resources.filter((r) => r.custom),
        [],
        "nothing was created",
      );
    };
    await refused(
      { kubernetesVersion: "1.36" },
      /eks-platform:kubernetesVersion: expected one of "1\.34", "1\.35" on 2026-12-01 with supportType STANDARD \(with supportType EXTENDED also "1\.33"\): the versions EKS offers \(1\.33 to 1\.36\) whose add-on versions are pinned/,
    );
    await refused(
      { nodeImageRelease: "v20990101" },
      /eks-platform:nodeImageRelease: .*no image named amazon-eks-node-al2023-x86_64-standard-1\.35-v20990101 was found \(the offline node image data \(data\/aws\/node-images\.json\) has no .*; npm run refresh adds the newest amazon-eks-ami releases from AWS\)/,
    );
  });
});

describe("5. Pod Identity roles: one service account of this cluster each", () => {
  /** What IAM decides for an AssumeRole from pods.eks.amazonaws.com with these session tags (StringEquals on request tags). */
  const allows = (policy: ReturnType<typeof podIdentityTrustPolicy>, tags: Record<string, string>) =>
    policy.Statement.some(
      (s) =>
        s.Effect === "Allow" &&
        Object.entries(s.Condition?.StringEquals ?? {}).every(
          ([key, value]) => tags[key.replace("aws:RequestTag/", "")] === value,
        ),
    );
  const cluster = "eks-platform-dev";
  const arn = (name: string) => `arn:aws:eks:ap-northeast-2:${MOCK_ACCOUNT_ID}:cluster/${name}`;
  const policy = (serviceAccount: string) =>
    podIdentityTrustPolicy({
      partition: "aws",
      accountId: MOCK_ACCOUNT_ID,
      region: "ap-northeast-2",
      clusterName: cluster,
      namespace: "kube-system",
      serviceAccount,
    });
  const session = (serviceAccount: string, clusterArn = arn(cluster), namespace = "kube-system") => ({
    "eks-cluster-arn": clusterArn,
    "eks-cluster-name": clusterArn.split("/")[1],
    "kubernetes-namespace": namespace,
    "kubernetes-service-account": serviceAccount,
  });

  it("each role admits its own service account, and no other service account, namespace or cluster", () => {
    assert.ok(allows(policy("external-dns"), session("external-dns")));
    assert.ok(!allows(policy("external-dns"), session("aws-load-balancer-controller")));
    assert.ok(!allows(policy("external-dns"), session("external-dns", arn(cluster), "default")));
    assert.ok(!allows(policy("external-dns"), session("external-dns", arn("another-cluster"))));
    // Karpenter's role (it may launch and terminate instances) is Karpenter's service account's alone.
    assert.ok(allows(policy("karpenter"), session("karpenter")));
    assert.ok(!allows(policy("karpenter"), session("external-dns")));
    assert.ok(!allows(policy("karpenter"), session("karpenter", arn(cluster), "default")));
    assert.equal(policy("x").Statement.length, 1, "one trust statement");
    assert.ok(
      policy("x").Statement.every((s) => JSON.stringify(s.Principal) === '{"Service":"pods.eks.amazonaws.com"}'),
    );
  });
});

describe("6. admin access: a function of the configured admins and the cluster, never of who deploys", () => {
  const ci = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/ci-deployer`;
  const alice = `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/alice`;
  const entriesOf = (run: ProgramRun) =>
    ofType(run, PULUMI_EKS.cluster)[0].inputs.accessEntries as Record<
      string,
      { principalArn: string; tags: Record<string, string> }
    >;
  const other = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/PlatformAdmin`;
  // Runs asked for when the file loads: made in the worker while earlier tests run (render/run-worker.ts).
  const firstDeploys = [
    {
      callerArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/deployer`,
      principal: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/deployer`,
    },
    {
      callerArn: `arn:aws:sts::${MOCK_ACCOUNT_ID}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice@example.com`,
      principal: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123456789abcdef`,
    },
  ].map((made) => ({
    ...made,
    run: runProgram({
      callerArn: made.callerArn,
      config: { adminPrincipalArns: JSON.stringify([made.principal, other]) },
    }),
  }));
  const config = { adminPrincipalArns: JSON.stringify([ci, alice]) };
  const existingCluster = { creatorArn: ci, adminEntries: [alice] };
  const later = {
    byCi: runProgram({ callerArn: ci, config }),
    reordered: runProgram({ callerArn: ci, config: { adminPrincipalArns: JSON.stringify([alice, ci]) } }),
    byAlice: runProgram({ callerArn: alice, config, existingCluster }),
    byCiAgain: runProgram({ callerArn: ci, config, existingCluster }),
  };

  it("the first deploy leaves out its deployer (EKS makes the creator's entry), whether a user or an assumed role with a path", async () => {
    assert.equal(firstDeploys.length, 2);
    for (const { callerArn, principal, run: made } of firstDeploys) {
      const run = await made;
      const entries = Object.values(entriesOf(run));
      assert.deepEqual(
        entries.map((e) => e.principalArn),
        [other],
        callerArn,
      );
      assert.ok(
        (run.outputs.notes as string[]).some((n) => n.includes(principal) && n.includes("creator")),
        callerArn,
      );
    }
  });

  it("entries are keyed by principal and tagged as ours, so order does not matter and a later run tells them from EKS's", async () => {
    const run = await later.byCi;
    assert.deepEqual(Object.keys(entriesOf(run)), [adminAccessEntryKey(alice)]);
    assert.equal(adminAccessEntryKey(alice), "admin-123456789012-user-alice");
    assert.equal(entriesOf(run)[adminAccessEntryKey(alice)].tags["eks-platform/access-entry"], "admin");
    const reordered = await later.reordered;
    assert.deepEqual(entriesOf(reordered), entriesOf(run));
  });

  it("a CI-created cluster updated by an admin: the same entries, none for the creator, whoever deploys", async () => {
    const [byCi, byAlice, byCiAgain] = await Promise.all([later.byCi, later.byAlice, later.byCiAgain]);
    assert.deepEqual(entriesOf(byAlice), entriesOf(byCi));
    assert.deepEqual(entriesOf(byCiAgain), entriesOf(byCi));
  });

  it("a deployer with no access to the existing cluster is refused before anything is created", async () => {
    const bob = `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/bob`;
    const error = await runProgram({
      callerArn: bob,
      config: { adminPrincipalArns: JSON.stringify([ci, alice]) },
      existingCluster: { creatorArn: ci, adminEntries: [alice] },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof ProgramError);
    assert.deepEqual(error.resources, []);
    assert.match(
      error.message,
      /eks-platform:adminPrincipalArns: expected the identity running this deploy \(arn:aws:iam::123456789012:user\/bob\) among the admins/,
    );
    assert.deepEqual(adminAccess([ci, alice], alice, { exists: true, foreignEntries: [ci] }), {
      entries: [alice],
      unmanaged: [ci],
    });
  });
});

describe("10. bounded waits", () => {
  it("certificate validation gives up after 20 minutes (not the provider's 75) and says what to check", async () => {
    const run = await runProgram({ config: { domain: "example.com" } });
    const validation = resource(run, AWS.acmCertificateValidation, "certificate-validation");
    assert.equal(CERTIFICATE_VALIDATION_TIMEOUT, "20m");
    assert.deepEqual(
      run.customTimeouts.get(validation.urn),
      { create: "20m" },
      "the validation's create timeout is not bounded",
    );
    const hint = validationHint("example.com", ["ns-1.awsdns-01.org"]);
    assert.match(hint, /delegates to this hosted zone \(NS ns-1\.awsdns-01\.org\)/);
    assert.match(hint, /dig \+short NS example\.com/);
  });

  it("every Helm release and the DNS record check have a bounded wait", async () => {
    const run = await runProgram({ config: { domain: "example.com" } });
    const releases = ofType(run, RELEASE);
    assert.equal(
      releases.length,
      3,
      "three Helm releases with a domain: the load balancer controller, Karpenter and ExternalDNS",
    );
    for (const release of releases)
      assert.ok(Number(release.inputs.timeout) > 0 && Number(release.inputs.timeout) <= 900, release.name);
    assert.ok(RECORDS_GONE_TIMEOUT_SECONDS <= 600, "the record check waits at most 10 minutes");
  });
});

describe("11. no needless waiting", () => {
  it("the modelled critical path is the unavoidable chain (within 3%), with and without a domain", async () => {
    const unavoidable = UNAVOIDABLE_CHAIN.reduce((sum, s) => sum + s.seconds, 0);
    for (const config of [{}, { domain: "example.com" }] as Array<Record<string, string>>) {
      const path = criticalPath(await runProgram({ config }));
      const total = path[path.length - 1].readyAt;
      assert.ok(
        total <= unavoidable * 1.03,
        `critical path ${total} s > ${unavoidable} s + 3%: ${path.map((s) => s.name).join(" → ")}`,
      );
      assert.deepEqual(
        path.slice(0, 3).map((s) => s.type),
        [PULUMI_EKS.cluster, AWS.eksAddon, NODE_GROUP],
      );
    }
  });

  it("the controllers wait for nodes, kube-proxy and the Pod Identity agent, not for CoreDNS's add-on", async () => {
    const run = await runProgram({ config: { domain: "example.com" } });
    const coredns = resource(run, AWS.eksAddon, "cluster-coredns");
    const releases = ofType(run, RELEASE);
    assert.equal(
      releases.length,
      3,
      "three Helm releases with a domain: the load balancer controller, Karpenter and ExternalDNS",
    );
    const groups = ofType(run, NODE_GROUP);
    assert.equal(groups.length, 1, "one managed node group");
    for (const release of releases) {
      const waitsFor = transitiveDependencies(run, release.urn);
      assert.ok(!waitsFor.has(coredns.urn), `${release.name} waits for CoreDNS's add-on`);
      for (const name of ["cluster-kube-proxy", "cluster-eks-pod-identity-agent"]) {
        assert.ok(waitsFor.has(resource(run, AWS.eksAddon, name).urn), `${release.name} does not wait for ${name}`);
      }
      for (const group of groups) assert.ok(waitsFor.has(group.urn), `${release.name} does not wait for ${group.name}`);
    }
  });

  it("the model itself would catch the old edges: a release behind CoreDNS lengthens the path past 3%", async () => {
    const run = await runProgram();
    const coredns = resource(run, AWS.eksAddon, "cluster-coredns");
    const slowed: ProgramRun = {
      ...run,
      resources: run.resources.map((r) =>
        r.type === RELEASE ? { ...r, dependencies: [...r.dependencies, coredns.urn] } : r,
      ),
    };
    const unavoidable = UNAVOIDABLE_CHAIN.reduce((sum, s) => sum + s.seconds, 0);
    const path = criticalPath(slowed);
    assert.ok(path[path.length - 1].readyAt > unavoidable * 1.03, "the model does not see the CoreDNS edge");
  });
});
