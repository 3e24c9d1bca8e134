import { stringify } from "yaml";
import { kubeReservedMemoryMiB } from "./max-pods";

/** MIME type nodeadm reads a NodeConfig section under. https://awslabs.github.io/amazon-eks-ami/nodeadm/ */
export const NODEADM_CONTENT_TYPE = "application/node.eks.aws";

/**
 * The AL2023 nodeadm NodeConfig that sets the kubelet's pod density and the memory reserved for it.
 * nodeadm merges this over its own defaults; without it nodeadm derives maxPods from the ENI table,
 * which knows nothing of prefix delegation.
 */
export function kubeletNodeConfig(maxPods: number): string {
  return stringify({
    apiVersion: "node.eks.aws/v1alpha1",
    kind: "NodeConfig",
    spec: {
      kubelet: {
        config: {
          maxPods,
          kubeReserved: { memory: `${kubeReservedMemoryMiB(maxPods)}Mi` },
        },
      },
    },
  });
}

/** vpc-cni add-on configuration values (the add-on's JSON schema: `env`, `enableNetworkPolicy`). */
export function vpcCniConfiguration(prefixDelegation: boolean): string {
  return JSON.stringify({
    env: prefixDelegation
      ? // One spare /28 per node: pods start without waiting for an EC2 call, without hoarding addresses.
        { ENABLE_PREFIX_DELEGATION: "true", WARM_PREFIX_TARGET: "1" }
      : { ENABLE_PREFIX_DELEGATION: "false" },
    enableNetworkPolicy: "true",
  });
}
