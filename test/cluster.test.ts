import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { nodeConfigDocuments } from "../components/cluster/node-config";
import { AWS, PULUMI_EKS } from "../components/resource-types";
import { offlineInstanceType } from "../data/instance-types";
import {
  ofType,
  ProgramError,
  type ProgramRun,
  type RecordedResource,
  resource,
  runProgram,
  transitiveDependencies,
} from "../render/harness";
import { IMAGES_ON_EVERY_ARCHITECTURE } from "./shared-configs";

const EKS = PULUMI_EKS.cluster;
const NODE_GROUP = PULUMI_EKS.managedNodeGroup;
const ADDON = AWS.eksAddon;

const addon = (run: ProgramRun, name: string) => resource(run, ADDON, `cluster-${name}`);
const nodeGroups = (run: ProgramRun) => ofType(run, NODE_GROUP);

interface KubeletConfig {
  maxPods: number;
  kubeReserved: { memory: string };
}
interface NodeConfigDoc {
  kind: string;
  spec: { cluster?: Record<string, string>; kubelet?: { config?: KubeletConfig; flags?: string[] } };
}
/** The launch template a node group boots from (found through the id it names). */
function launchTemplateOf(run: ProgramRun, group: RecordedResource): RecordedResource {
  const id = (group.inputs.launchTemplate as { id: string }).id;
  const template = ofType(run, AWS.launchTemplate).find((t) => `${t.name}-id` === id);
  assert.ok(template, `${group.name} names no launch template of ours`);
  return template;
}
/** The NodeConfig documents the node boots with, decoded from the launch template's user data. */
function nodeConfigs(run: ProgramRun, group: RecordedResource): NodeConfigDoc[] {
  const userData = Buffer.from(String(launchTemplateOf(run, group).inputs.userData), "base64").toString("utf8");
  return nodeConfigDocuments(userData).map((doc) => parseYaml(doc) as NodeConfigDoc);
}
function kubeletConfig(run: ProgramRun, group: RecordedResource): KubeletConfig {
  const docs = nodeConfigs(run, group);
  assert.ok(docs.every((d) => d.kind === "NodeConfig"));
  const withKubelet = docs.filter((d) => d.spec.kubelet?.config);
  assert.equal(withKubelet.length, 1, "one NodeConfig sets the kubelet config");
  return withKubelet[0].spec.kubelet?.config as KubeletConfig;
}
function cniEnv(run: ProgramRun): Record<string, string> {
  const values = JSON.parse(String(addon(run, "vpc-cni").inputs.configurationValues)) as {
    env: Record<string, string>;
  };
  return values.env;
}

describe("cluster", async () => {
  // The runs single tests read, asked for now (not awaited): they are made in the worker while the tests
  // before them read the runs already made (render/run-worker.ts).
  const nodeShape = (types: readonly string[], more: Readonly<Record<string, string>> = {}) =>
    runProgram({ config: { nodeInstanceTypes: JSON.stringify(types), ...more } });
  const later = {
    limited: runProgram({ config: { publicAccessCidrs: '["203.0.113.0/24"]' } }),
    override: nodeShape(["m5.large"], { maxPodsOverride: "64" }),
    spot: runProgram({
      config: {
        nodeCapacityType: "SPOT",
        nodeDiskSize: "80",
        nodeMinSize: "3",
        nodeDesiredSize: "4",
        nodeMaxSize: "9",
      },
    }),
    moreEcho: runProgram({ config: { echoReplicas: "6" } }),
    olderImage: runProgram({ config: { nodeImageRelease: "v20260625" } }),
    byType: new Map(
      [
        "m7g.large",
        "g5.xlarge",
        "g5g.xlarge",
        "inf2.xlarge",
        "c8id.2xlarge",
        "c9g.xlarge",
        "i4i.large",
        "m5.24xlarge",
        // Graviton groups need apps whose images run on arm64: these runs say every image does.
      ].map((type) => [type, nodeShape([type], IMAGES_ON_EVERY_ARCHITECTURE)]),
    ),
  };
  const ofInstanceType = (type: string): Promise<ProgramRun> =>
    later.byType.get(type) ?? assert.fail(`${type} is not among the runs asked for`);
  const [dev, m5WithPd, m5WithoutPd, admins] = await Promise.all([
    runProgram(),
    nodeShape(["m5.large"]),
    nodeShape(["m5.large"], { prefixDelegation: "false" }),
    runProgram({
      config: {
        adminPrincipalArns: '["arn:aws:iam::123456789012:role/PlatformAdmin","arn:aws:iam::123456789012:user/alice"]',
        kubernetesVersion: "1.34",
      },
    }),
  ]);

  it("puts the control plane and every node only on private subnets", () => {
    const eks = ofType(dev, EKS)[0];
    const isPrivate = (ids: unknown) =>
      (ids as string[]).every((id) => /^network-private-ap-northeast-2[abc]-id$/.test(id));
    assert.equal((eks.inputs.privateSubnetIds as string[]).length, 3);
    assert.ok(isPrivate(eks.inputs.privateSubnetIds));
    assert.equal(eks.inputs.publicSubnetIds, undefined);
    assert.equal(eks.inputs.subnetIds, undefined);
    const groups = nodeGroups(dev);
    assert.equal(groups.length, 1, "one managed node group");
    for (const group of groups) {
      assert.equal((group.inputs.subnetIds as string[]).length, 3, "a node group spans all three zones");
      assert.ok(isPrivate(group.inputs.subnetIds));
    }
  });

  it("uses API authentication with an access entry per admin, creator access for the deployer", () => {
    const eks = ofType(admins, EKS)[0];
    assert.equal(eks.inputs.authenticationMode, "API");
    const entries = Object.values(
      eks.inputs.accessEntries as Record<
        string,
        { principalArn: string; accessPolicies: Record<string, { policyArn: string; accessScope: { type: string } }> }
      >,
    );
    assert.deepEqual(entries.map((e) => e.principalArn).sort(), [
      "arn:aws:iam::123456789012:role/PlatformAdmin",
      "arn:aws:iam::123456789012:user/alice",
    ]);
    for (const entry of entries) {
      const [policy] = Object.values(entry.accessPolicies);
      assert.equal(policy.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
      assert.equal(policy.accessScope.type, "cluster");
    }
    assert.deepEqual(ofType(dev, EKS)[0].inputs.accessEntries, {});
  });

  it("logs all five control-plane log types (checkov CKV_AWS_37); no default node group; private endpoint on, public one open to the configured CIDRs only (default: every address, as EKS's own default)", async () => {
    const eks = ofType(admins, EKS)[0];
    assert.deepEqual(eks.inputs.enabledClusterLogTypes, [
      "api",
      "audit",
      "authenticator",
      "controllerManager",
      "scheduler",
    ]);
    assert.equal(eks.inputs.skipDefaultNodeGroup, true);
    assert.equal(eks.inputs.endpointPrivateAccess, true);
    assert.deepEqual(eks.inputs.publicAccessCidrs, ["0.0.0.0/0"]);
    const limited = await later.limited;
    assert.deepEqual(ofType(limited, EKS)[0].inputs.publicAccessCidrs, ["203.0.113.0/24"]);
    assert.equal(eks.inputs.version, "1.34");
    assert.equal(ofType(dev, EKS)[0].inputs.version, "1.35");
  });

  it("leaves every add-on to this program: none bootstrapped or managed inside eks.Cluster", () => {
    const eks = ofType(dev, EKS)[0];
    assert.equal(eks.inputs.bootstrapSelfManagedAddons, false);
    assert.equal(eks.inputs.useDefaultVpcCni, true);
    assert.equal((eks.inputs.corednsAddonOptions as { enabled: boolean }).enabled, false);
    assert.equal((eks.inputs.kubeProxyAddonOptions as { enabled: boolean }).enabled, false);
    assert.deepEqual(
      ofType(dev, ADDON)
        .map((a) => a.inputs.addonName)
        .sort(),
      ["coredns", "eks-pod-identity-agent", "kube-proxy", "metrics-server", "vpc-cni"],
    );
  });

  it("node groups wait for the vpc-cni add-on (prefix delegation before the first node), and for no other add-on", () => {
    const groups = nodeGroups(dev);
    assert.equal(groups.length, 1, "one managed node group");
    for (const group of groups) {
      const waitsFor = transitiveDependencies(dev, group.urn);
      assert.ok(group.dependencies.includes(addon(dev, "vpc-cni").urn), `${group.name} does not wait for vpc-cni`);
      for (const name of ["kube-proxy", "eks-pod-identity-agent", "coredns", "metrics-server"]) {
        assert.ok(
          !waitsFor.has(addon(dev, name).urn),
          `${group.name} waits for ${name}, which nodes do not need to boot`,
        );
      }
    }
  });

  it("add-ons wait for the cluster; coredns waits for the node groups it runs on", () => {
    const eks = ofType(dev, EKS)[0];
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
      assert.ok(addon(dev, name).dependencies.includes(eks.urn), name);
    }
    const groups = nodeGroups(dev);
    assert.equal(groups.length, 1, "one managed node group");
    for (const group of groups) assert.ok(addon(dev, "coredns").dependencies.includes(group.urn));
    assert.ok(
      !transitiveDependencies(dev, addon(dev, "vpc-cni").urn).has(nodeGroups(dev)[0].urn),
      "vpc-cni must not wait for nodes",
    );
  });

  it("turns prefix delegation on exactly when configured, with network policy", () => {
    assert.deepEqual(cniEnv(m5WithPd), { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" });
    assert.deepEqual(cniEnv(m5WithoutPd), { ENABLE_PREFIX_DELEGATION: "false" });
    const values = JSON.parse(String(addon(dev, "vpc-cni").inputs.configurationValues)) as {
      enableNetworkPolicy: string;
    };
    assert.equal(values.enableNetworkPolicy, "true");
  });

  it("gives m5.large nodes the calculator's max pods: 110 with prefix delegation, 29 without, and matching kube-reserved memory", () => {
    assert.deepEqual(kubeletConfig(m5WithPd, nodeGroups(m5WithPd)[0]), {
      maxPods: 110,
      kubeReserved: { memory: "1465Mi" },
    });
    assert.deepEqual(kubeletConfig(m5WithoutPd, nodeGroups(m5WithoutPd)[0]), {
      maxPods: 29,
      kubeReserved: { memory: "574Mi" },
    });
  });

  it("applies a max-pods override to the kubelet and its reservation", async () => {
    const run = await later.override;
    assert.deepEqual(kubeletConfig(run, nodeGroups(run)[0]), { maxPods: 64, kubeReserved: { memory: "959Mi" } });
  });

  it("runs managed nodes of the configured shape on our launch template: IMDSv2 with one hop, an encrypted gp3 root", async () => {
    const run = await later.spot;
    const [group] = nodeGroups(run);
    assert.equal(group.inputs.capacityType, "SPOT");
    assert.deepEqual(group.inputs.scalingConfig, { desiredSize: 4, maxSize: 9, minSize: 3 });
    assert.deepEqual(group.inputs.instanceTypes, ["m7i.large"]);
    const template = launchTemplateOf(run, group).inputs;
    assert.deepEqual(template.metadataOptions, {
      httpEndpoint: "enabled",
      httpPutResponseHopLimit: 1,
      httpTokens: "required",
      instanceMetadataTags: "disabled",
    });
    assert.deepEqual(template.blockDeviceMappings, [
      {
        deviceName: "/dev/xvda",
        ebs: { deleteOnTermination: "true", encrypted: "true", volumeSize: 80, volumeType: "gp3" },
      },
    ]);
    // The node group points at the template's current version, so a template change rolls the nodes on purpose.
    assert.equal((group.inputs.launchTemplate as { version: string }).version, "1");
  });

  it("pins the node image: the configured amazon-eks-ami release's AL2023 AMI for the nodes' architecture, by exact name", async () => {
    const pinned = launchTemplateOf(dev, nodeGroups(dev)[0]).inputs;
    assert.match(String(pinned.description), /amazon-eks-node-al2023-x86_64-standard-1\.35-v20260714$/);
    // Another run (another key changed) resolves the same image: nothing but the release and version picks it.
    const again = await later.moreEcho;
    assert.equal(
      launchTemplateOf(again, nodeGroups(again)[0]).inputs.imageId,
      pinned.imageId,
      "the same image on every run",
    );
    const older = await later.olderImage;
    assert.notEqual(
      launchTemplateOf(older, nodeGroups(older)[0]).inputs.imageId,
      pinned.imageId,
      "a new release is a new image",
    );
    const arm = await ofInstanceType("m7g.large");
    assert.match(
      String(launchTemplateOf(arm, nodeGroups(arm)[0]).inputs.description),
      /al2023-arm64-standard-1\.35-v20260714$/,
    );
    assert.equal(dev.outputs.nodeImage, "amazon-eks-node-al2023-x86_64-standard-1.35-v20260714");
  });

  it("accelerated types get the AL2023 image with their drivers: NVIDIA for GPUs (x86_64 and arm64), Neuron for Inferentia and Trainium; a mix is refused", async () => {
    const cases = [
      ["g5.xlarge", "x86_64-nvidia"],
      ["g5g.xlarge", "arm64-nvidia"],
      ["inf2.xlarge", "x86_64-neuron"],
    ] as const;
    assert.equal(cases.length, 3);
    for (const [type, image] of cases) {
      const run = await ofInstanceType(type);
      assert.equal(run.outputs.nodeImage, `amazon-eks-node-al2023-${image}-1.35-v20260714`, type);
      assert.match(
        String(launchTemplateOf(run, nodeGroups(run)[0]).inputs.description),
        new RegExp(`al2023-${image}-1\\.35-v20260714$`),
        type,
      );
    }
    const mixed = await runProgram({ config: { nodeInstanceTypes: '["m7i.xlarge","g5.xlarge"]' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(mixed instanceof ProgramError);
    assert.match(
      mixed.message,
      /eks-platform:nodeInstanceTypes: expected instance types that run one node image, got m7i\.xlarge \(standard\), g5\.xlarge \(nvidia\)/,
    );
    // The table says which types carry GPUs (the autoscaler list's GPU count) and the family says Neuron.
    assert.deepEqual(
      ["g5.xlarge", "p5.48xlarge", "m7i.large", "inf2.xlarge"].map(
        (t) => offlineInstanceType(t)?.gpuses?.[0]?.count ?? 0,
      ),
      [1, 8, 0, 0],
    );
  });

  it("boots nodes with a NodeConfig naming the cluster (custom AMI: EKS merges nothing) and labelling the node group", () => {
    const [clusterDoc, kubeletDoc] = nodeConfigs(dev, nodeGroups(dev)[0]);
    assert.deepEqual(Object.keys(clusterDoc.spec.cluster ?? {}).sort(), [
      "apiServerEndpoint",
      "certificateAuthority",
      "cidr",
      "name",
    ]);
    assert.equal(clusterDoc.spec.cluster?.name, "eks-platform-dev");
    assert.equal(clusterDoc.spec.cluster?.cidr, "172.20.0.0/16");
    assert.deepEqual(kubeletDoc.spec.kubelet?.flags, ["--node-labels=eks-platform/node-group=general"]);
  });

  it("runs on any instance type of the offline table, with its architecture's image (not only a fixture's few), the newest families included", async () => {
    for (const [type, maxPods, arch] of [
      ["c8id.2xlarge", 110, "x86_64"],
      ["c9g.xlarge", 110, "arm64"],
      ["i4i.large", 110, "x86_64"],
      ["m5.24xlarge", 250, "x86_64"],
    ] as const) {
      const run = await ofInstanceType(type);
      assert.equal((run.outputs.nodeGroups as Record<string, { maxPods: number }>).general.maxPods, maxPods, type);
      assert.match(
        String(launchTemplateOf(run, nodeGroups(run)[0]).inputs.description),
        new RegExp(`al2023-${arch}-standard`),
        type,
      );
    }
  });

  it("outputs the cluster name, a secret kubeconfig and each node group's types and max pods", () => {
    assert.equal(m5WithoutPd.outputs.clusterName, "eks-platform-dev");
    assert.equal(m5WithoutPd.outputs.kubeconfig, "[secret]");
    assert.deepEqual(m5WithoutPd.outputs.nodeGroups, {
      general: { instanceTypes: ["m5.large"], maxPods: 29, kubeReservedMemory: "574Mi" },
    });
  });
});
