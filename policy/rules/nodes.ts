/**
 * Nodes boot from a launch template that requires IMDSv2 with a hop limit of 1: pods, one network hop
 * further than the node, cannot reach the instance metadata service and the node role's credentials;
 * they get AWS permissions through Pod Identity. AWS's EKS best-practices guide, security/iam:
 * "Restrict access to the instance profile assigned to the worker node" (IMDSv2 only, hop count 1,
 * in the node group's launch template; do not disable the metadata service); cdk-nag
 * EC2IMDSv2Enabled (HIPAA.Security, NIST.800.53.R4/R5 packs).
 *
 * Checked in every shape Pulumi sees nodes in:
 * - `aws:ec2/launchTemplate:LaunchTemplate`: any template in the stack, ours or one pulumi-eks makes
 *   (its own template sets hop limit 2: pulumi/pulumi-eks v4.3.0 nodejs/eks/nodes/nodegroup.ts
 *   L2234-2243, commit 0f5a5447);
 * - `eks:index:ManagedNodeGroup`, where its inputs are visible (under the project's mocks; see
 *   cluster.ts for why a real preview may show none): it must name a launch template and none of the
 *   inputs that make pulumi-eks build its own (nodegroup.ts L2128-2138);
 * - `aws:eks/nodeGroup:NodeGroup`, the node group pulumi-eks creates inside the component (or one a
 *   program declares directly): it must boot from a launch template, not EKS's default one.
 */
import { get, isEmpty, notApplicable, type PolicyInput, present, type Verdict } from "./props";
import { AWS, PULUMI_EKS } from "./resource-types";

export const LAUNCH_TEMPLATE_TYPE = AWS.launchTemplate;
export const MANAGED_NODE_GROUP_TYPE = PULUMI_EKS.managedNodeGroup;
export const NODE_GROUP_TYPE = AWS.eksNodeGroup;

/**
 * ManagedNodeGroup inputs that make pulumi-eks create a launch template of its own (its
 * customLaunchTemplateArgs, nodegroup.ts L2128-2134 @ v4.3.0): with one of them and no template of
 * ours, the nodes get pulumi-eks's (hop limit 2, or IMDSv1 with enableIMDSv2: false).
 */
export const PULUMI_EKS_TEMPLATE_INPUTS: readonly string[] = [
  "kubeletExtraArgs",
  "bootstrapExtraArgs",
  "bottlerocketSettings",
  "nodeadmExtraOptions",
  "enableIMDSv2",
  "userData",
  "amiId",
  "enableEfaSupport",
];

export function nodesRequireImdsv2(resource: PolicyInput): Verdict {
  const props = resource.props;
  if (resource.type === LAUNCH_TEMPLATE_TYPE) {
    const found: string[] = [];
    if (get(props, "metadataOptions", "httpTokens") !== "required") {
      found.push(
        `metadataOptions.httpTokens is ${String(get(props, "metadataOptions", "httpTokens") ?? "unset")}: IMDSv2 must be required`,
      );
    }
    if (get(props, "metadataOptions", "httpPutResponseHopLimit") !== 1) {
      found.push(
        `metadataOptions.httpPutResponseHopLimit is ${String(get(props, "metadataOptions", "httpPutResponseHopLimit") ?? "unset")}: 1 keeps pods from the node's credentials`,
      );
    }
    if (get(props, "metadataOptions", "httpEndpoint") === "disabled") {
      found.push(
        "metadataOptions.httpEndpoint is disabled: node agents need the metadata service (keep it, with IMDSv2 and hop limit 1)",
      );
    }
    return found;
  }
  if (resource.type === MANAGED_NODE_GROUP_TYPE) {
    if (isEmpty(props))
      return notApplicable(
        "the component's inputs are not visible: its aws:eks/nodeGroup:NodeGroup and launch template are checked instead",
      );
    const found: string[] = [];
    if (!present(props, "launchTemplate", "id") && !present(props, "launchTemplate", "name")) {
      found.push(
        "names no launch template of ours: the nodes would boot from EKS's default or pulumi-eks's own (hop limit 2)",
      );
    }
    const builds = PULUMI_EKS_TEMPLATE_INPUTS.filter((key) => present(props, key));
    if (builds.length > 0)
      found.push(
        `sets ${builds.join(", ")}: pulumi-eks then builds its own launch template (hop limit 2) instead of ours`,
      );
    if (get(props, "enableIMDSv2") === false) found.push("enableIMDSv2 is false: the nodes would accept IMDSv1");
    return found;
  }
  if (resource.type === NODE_GROUP_TYPE) {
    return present(props, "launchTemplate")
      ? []
      : ["boots from EKS's default launch template: IMDS settings are not ours (set launchTemplate)"];
  }
  return notApplicable("not a launch template or node group");
}
