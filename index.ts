/**
 * eks-platform: composes the components in order and exports the stack outputs.
 * Everything computed lives in components/ and apps/; configuration is read once in config.ts.
 */
import { Cluster } from "./components/cluster";
import { Network } from "./components/network";
import { loadConfig } from "./config";

export = async () => {
  const config = await loadConfig();
  const tags = { "eks-platform/stack": `${config.project}-${config.stack}`, "managed-by": "pulumi" };

  const network = new Network("network", {
    cidrBlock: config.vpcCidr,
    availabilityZones: config.availabilityZones,
    clusterName: config.clusterName,
    natGateways: config.natGateways,
    tags,
  });

  const cluster = new Cluster("cluster", {
    clusterName: config.clusterName,
    kubernetesVersion: config.kubernetesVersion,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicAccessCidrs: config.publicAccessCidrs,
    adminPrincipalArns: config.adminPrincipalArns,
    prefixDelegation: config.prefixDelegation,
    nodeGroups: [
      {
        name: "general",
        instanceTypes: config.nodeInstanceTypes,
        instanceLimits: config.instanceLimits,
        minSize: config.nodeMinSize,
        desiredSize: config.nodeDesiredSize,
        maxSize: config.nodeMaxSize,
        capacityType: config.nodeCapacityType,
        diskSize: config.nodeDiskSize,
        maxPodsOverride: config.maxPodsOverride,
      },
    ],
    tags,
  });

  return {
    clusterName: cluster.clusterName,
    kubeconfig: cluster.kubeconfig,
    nodeGroups: cluster.nodeGroupSummaries,
  };
};
