/**
 * The EKS cluster: secrets envelope-encrypted with a KMS key of ours (mandatory), and who can reach
 * the public API endpoint (advisory).
 *
 * Two shapes, because what the policy engine is shown depends on where it runs:
 * - `eks:index:Cluster` is a pulumi-eks remote component. The engine analyzes a resource when its
 *   registration reaches the step generator (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 *   "Send the resource off to any Analyzers", with the registered inputs); a remote component's own
 *   registration goes to the provider's Construct instead (pkg/resource/deploy/source_eval.go,
 *   RegisterResource: `if remote { ... provider.Construct(...) }`), and the provider then registers the
 *   component from its own process. The eks provider v4.3.0 is built on @pulumi/pulumi 3.173.0
 *   (nodejs/eks/yarn.lock L1794-1797 @ 0f5a5447), and Node.js SDKs before 3.202.0 register a local
 *   component with empty inputs (pulumi/pulumi#20357, which began sending them; #10533 on policies
 *   not seeing component inputs). So in a real preview the policies see `eks:index:Cluster` with no
 *   properties, and see the `aws:eks/cluster:Cluster` it creates with its full inputs.
 * - Under the project's mocks (render/harness.ts) it is one resource with our inputs, and no child.
 * Each rule checks whichever shape carries the facts and marks an input-less component not applicable,
 * so the pack gives the same verdict either way.
 */
import { get, isEmpty, list, notApplicable, type PolicyInput, present, type Verdict } from "./props";
import { AWS, PULUMI_EKS } from "./resource-types";

export const EKS_COMPONENT_TYPE = PULUMI_EKS.cluster;
export const EKS_CLUSTER_TYPE = AWS.eksCluster;

const WORLD = ["0.0.0.0/0", "::/0"];

function componentWithoutInputs(resource: PolicyInput): Verdict | undefined {
  return resource.type === EKS_COMPONENT_TYPE && isEmpty(resource.props)
    ? notApplicable(`the component's inputs are not visible: its ${EKS_CLUSTER_TYPE} is checked instead`)
    : undefined;
}

/**
 * Kubernetes secrets are envelope-encrypted with a KMS key the account controls (rotation, key
 * policy). AWS's EKS best-practices guide, security/data: "Use AWS KMS for envelope encryption of
 * Kubernetes secrets"; AWS Config rule eks-secrets-encrypted. (cdk-nag's EKS rules cover the endpoint,
 * EKS1, and control-plane logs, EKS2, not this.) pulumi-eks turns encryptionConfigKeyArn into the
 * cluster's encryptionConfig {provider: {keyArn}, resources: ["secrets"]} (cluster/cluster.ts
 * L592-605 @ v4.3.0). A key ARN still unknown during preview counts as set.
 */
export function clusterSecretsEncryption(resource: PolicyInput): Verdict {
  const skip = componentWithoutInputs(resource);
  if (skip) return skip;
  if (resource.type === EKS_COMPONENT_TYPE) {
    return present(resource.props, "encryptionConfigKeyArn")
      ? []
      : ["encryptionConfigKeyArn is not set: Kubernetes secrets are not envelope-encrypted with a KMS key of ours"];
  }
  if (resource.type === EKS_CLUSTER_TYPE) {
    if (!present(resource.props, "encryptionConfig"))
      return ["encryptionConfig is not set: Kubernetes secrets are not envelope-encrypted with a KMS key of ours"];
    const found: string[] = [];
    if (!list(resource.props, "encryptionConfig", "resources").includes("secrets"))
      found.push('encryptionConfig.resources does not include "secrets"');
    if (!present(resource.props, "encryptionConfig", "provider", "keyArn"))
      found.push("encryptionConfig.provider.keyArn is not set");
    return found;
  }
  return notApplicable("not an EKS cluster");
}

/**
 * Advisory: the API endpoint is public and open to the whole internet. Requests still need IAM
 * authentication and RBAC, so a team may accept it, or narrow publicAccessCidrs, or go private.
 * cdk-nag AwsSolutions-EKS1 (EKSClusterNoEndpointPublicAccess, which flags any public endpoint);
 * AWS's EKS best-practices guide, security/iam: "Make the EKS Cluster Endpoint private" (or keep it
 * public for a set of CIDR blocks). EKS's defaults: public access on, CIDRs 0.0.0.0/0
 * (https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html).
 */
export function clusterEndpointOpen(resource: PolicyInput): Verdict {
  const skip = componentWithoutInputs(resource);
  if (skip) return skip;
  let publicAccess: unknown;
  let cidrs: readonly unknown[];
  if (resource.type === EKS_COMPONENT_TYPE) {
    publicAccess = get(resource.props, "endpointPublicAccess");
    cidrs = list(resource.props, "publicAccessCidrs");
  } else if (resource.type === EKS_CLUSTER_TYPE) {
    publicAccess = get(resource.props, "vpcConfig", "endpointPublicAccess");
    cidrs = list(resource.props, "vpcConfig", "publicAccessCidrs");
  } else {
    return notApplicable("not an EKS cluster");
  }
  if (publicAccess === false) return [];
  const open = cidrs.length === 0 ? ["0.0.0.0/0 (the default)"] : cidrs.map(String).filter((c) => WORLD.includes(c));
  return open.length === 0
    ? []
    : [
        `the public API endpoint is open to ${open.join(", ")}: narrow publicAccessCidrs, or turn endpointPublicAccess off`,
      ];
}
