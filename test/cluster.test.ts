import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { ofType, type ProgramRun, type RecordedResource, resource, runProgram, transitiveDependencies } from "./harness";

const EKS = "eks:index:Cluster";
const NODE_GROUP = "eks:index:ManagedNodeGroup";
const ADDON = "aws:eks/addon:Addon";

const addon = (run: ProgramRun, name: string) => resource(run, ADDON, `cluster-${name}`);
const nodeGroups = (run: ProgramRun) => ofType(run, NODE_GROUP);

interface KubeletConfig {
  maxPods: number;
  kubeReserved: { memory: string };
}
function kubeletConfig(group: RecordedResource): KubeletConfig {
  const sections = group.inputs.nodeadmExtraOptions as Array<{ contentType: string; content: string }>;
  const nodeConfig = sections.find((s) => s.contentType === "application/node.eks.aws");
  assert.ok(nodeConfig, "no nodeadm NodeConfig section");
  const doc = parseYaml(nodeConfig.content) as { kind: string; spec: { kubelet: { config: KubeletConfig } } };
  assert.equal(doc.kind, "NodeConfig");
  return doc.spec.kubelet.config;
}
function cniEnv(run: ProgramRun): Record<string, string> {
  const values = JSON.parse(String(addon(run, "vpc-cni").inputs.configurationValues)) as { env: Record<string, string> };
  return values.env;
}

describe("cluster", async () => {
  const dev = await runProgram();
  const m5WithPd = await runProgram({ config: { nodeInstanceTypes: '["m5.large"]' } });
  const m5WithoutPd = await runProgram({ config: { nodeInstanceTypes: '["m5.large"]', prefixDelegation: "false" } });
  const admins = await runProgram({
    config: { adminPrincipalArns: '["arn:aws:iam::123456789012:role/PlatformAdmin","arn:aws:iam::123456789012:user/alice"]', kubernetesVersion: "1.34" },
  });

  it("puts the control plane and every node only on private subnets", () => {
    const eks = ofType(dev, EKS)[0];
    const isPrivate = (ids: unknown) => (ids as string[]).every((id) => /^network-private-ap-northeast-2[abc]-id$/.test(id));
    assert.equal((eks.inputs.privateSubnetIds as string[]).length, 3);
    assert.ok(isPrivate(eks.inputs.privateSubnetIds));
    assert.equal(eks.inputs.publicSubnetIds, undefined);
    assert.equal(eks.inputs.subnetIds, undefined);
    for (const group of nodeGroups(dev)) {
      assert.equal((group.inputs.subnetIds as string[]).length, 3, "a node group spans all three zones");
      assert.ok(isPrivate(group.inputs.subnetIds));
    }
  });

  it("uses API authentication with an access entry per admin, creator access for the deployer", () => {
    const eks = ofType(admins, EKS)[0];
    assert.equal(eks.inputs.authenticationMode, "API");
    const entries = Object.values(eks.inputs.accessEntries as Record<string, { principalArn: string; accessPolicies: Record<string, { policyArn: string; accessScope: { type: string } }> }>);
    assert.deepEqual(entries.map((e) => e.principalArn).sort(), ["arn:aws:iam::123456789012:role/PlatformAdmin", "arn:aws:iam::123456789012:user/alice"]);
    for (const entry of entries) {
      const [policy] = Object.values(entry.accessPolicies);
      assert.equal(policy.policyArn, "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy");
      assert.equal(policy.accessScope.type, "cluster");
    }
    assert.deepEqual(ofType(dev, EKS)[0].inputs.accessEntries, {});
  });

  it("logs api, audit and authenticator; no default node group; private endpoint on, public one limited", () => {
    const eks = ofType(admins, EKS)[0];
    assert.deepEqual(eks.inputs.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
    assert.equal(eks.inputs.skipDefaultNodeGroup, true);
    assert.equal(eks.inputs.endpointPrivateAccess, true);
    assert.deepEqual(eks.inputs.publicAccessCidrs, ["0.0.0.0/0"]);
    assert.equal(eks.inputs.version, "1.34");
    assert.equal(ofType(dev, EKS)[0].inputs.version, "1.35");
  });

  it("leaves every add-on to this program: none bootstrapped or managed inside eks.Cluster", () => {
    const eks = ofType(dev, EKS)[0];
    assert.equal(eks.inputs.bootstrapSelfManagedAddons, false);
    assert.equal(eks.inputs.useDefaultVpcCni, true);
    assert.equal((eks.inputs.corednsAddonOptions as { enabled: boolean }).enabled, false);
    assert.equal((eks.inputs.kubeProxyAddonOptions as { enabled: boolean }).enabled, false);
    assert.deepEqual(ofType(dev, ADDON).map((a) => a.inputs.addonName).sort(), ["coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
  });

  it("node groups wait for the vpc-cni add-on (and kube-proxy, Pod Identity agent)", () => {
    for (const group of nodeGroups(dev)) {
      for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
        assert.ok(group.dependencies.includes(addon(dev, name).urn), `${group.name} does not wait for ${name}`);
      }
    }
  });

  it("add-ons wait for the cluster; coredns waits for the node groups it runs on", () => {
    const eks = ofType(dev, EKS)[0];
    for (const name of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) {
      assert.ok(addon(dev, name).dependencies.includes(eks.urn), name);
    }
    for (const group of nodeGroups(dev)) assert.ok(addon(dev, "coredns").dependencies.includes(group.urn));
    assert.ok(!transitiveDependencies(dev, addon(dev, "vpc-cni").urn).has(nodeGroups(dev)[0].urn), "vpc-cni must not wait for nodes");
  });

  it("turns prefix delegation on exactly when configured, with network policy", () => {
    assert.deepEqual(cniEnv(m5WithPd), { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" });
    assert.deepEqual(cniEnv(m5WithoutPd), { ENABLE_PREFIX_DELEGATION: "false" });
    const values = JSON.parse(String(addon(dev, "vpc-cni").inputs.configurationValues)) as { enableNetworkPolicy: string };
    assert.equal(values.enableNetworkPolicy, "true");
  });

  it("gives m5.large nodes the calculator's max pods: 110 with prefix delegation, 29 without, and matching kube-reserved memory", () => {
    assert.deepEqual(kubeletConfig(nodeGroups(m5WithPd)[0]), { maxPods: 110, kubeReserved: { memory: "1465Mi" } });
    assert.deepEqual(kubeletConfig(nodeGroups(m5WithoutPd)[0]), { maxPods: 29, kubeReserved: { memory: "574Mi" } });
  });

  it("applies a max-pods override to the kubelet and its reservation", async () => {
    const run = await runProgram({ config: { nodeInstanceTypes: '["m5.large"]', maxPodsOverride: "64" } });
    assert.deepEqual(kubeletConfig(nodeGroups(run)[0]), { maxPods: 64, kubeReserved: { memory: "959Mi" } });
  });

  it("runs AL2023 managed nodes with IMDSv2 and the configured shape", async () => {
    const run = await runProgram({ config: { nodeCapacityType: "SPOT", nodeDiskSize: "80", nodeMinSize: "3", nodeDesiredSize: "4", nodeMaxSize: "9" } });
    const [group] = nodeGroups(run);
    assert.equal(group.inputs.operatingSystem, "AL2023");
    assert.equal(group.inputs.enableIMDSv2, true);
    assert.equal(group.inputs.capacityType, "SPOT");
    assert.equal(group.inputs.diskSize, 80);
    assert.deepEqual(group.inputs.scalingConfig, { desiredSize: 4, maxSize: 9, minSize: 3 });
    assert.deepEqual(group.inputs.instanceTypes, ["m7i.large"]);
  });

  it("outputs the cluster name, a secret kubeconfig and each node group's types and max pods", () => {
    assert.equal(m5WithoutPd.outputs.clusterName, "eks-platform-dev");
    assert.equal(m5WithoutPd.outputs.kubeconfig, "[secret]");
    assert.deepEqual(m5WithoutPd.outputs.nodeGroups, { general: { instanceTypes: ["m5.large"], maxPods: 29, kubeReservedMemory: "574Mi" } });
  });
});
