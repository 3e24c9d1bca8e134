/**
 * What the stack records and keeps: VPC flow logs, the VPC's default security group, log groups encrypted
 * with a customer-managed key, and the control-plane log types.
 *
 * Flow logs and default security groups are tied to their VPC through the dependency graph (the resource
 * reads the VPC's id): ids are unknown during a first preview, dependencies never are.
 */
import {
  get,
  isEmpty,
  list,
  notApplicable,
  type PolicyInput,
  present,
  type StackInput,
  type StackViolation,
  str,
  type Verdict,
} from "./props";
import { AWS, PULUMI_EKS } from "./resource-types";

export const VPC_TYPE = AWS.vpc;
export const FLOW_LOG_TYPE = AWS.flowLog;
export const DEFAULT_SECURITY_GROUP_TYPE = AWS.defaultSecurityGroup;
export const LOG_GROUP_TYPE = AWS.logGroup;
/** The five control-plane log types EKS offers (EKS user guide, control-plane-logs.html). */
export const CONTROL_PLANE_LOG_TYPES: readonly string[] = [
  "api",
  "audit",
  "authenticator",
  "controllerManager",
  "scheduler",
];

/** Every VPC logs ALL traffic (accepted and rejected) somewhere. */
export function vpcFlowLogs(resources: readonly StackInput[]): StackViolation[] {
  const flowLogs = resources.filter((r) => r.type === FLOW_LOG_TYPE);
  return resources
    .filter((r) => r.type === VPC_TYPE)
    .flatMap((vpc) => {
      const own = flowLogs.filter((f) => f.dependencies.includes(vpc.urn));
      if (own.length === 0) return [{ urn: vpc.urn, message: `VPC ${vpc.name} has no flow log` }];
      return own.some((f) => str(f.props, "trafficType") === "ALL" && present(f.props, "logDestination"))
        ? []
        : [{ urn: vpc.urn, message: `VPC ${vpc.name}'s flow logs do not record ALL traffic to a destination` }];
    });
}

/** Every VPC's default security group is adopted with no rules: it allows nothing. */
export function defaultSecurityGroupClosed(resources: readonly StackInput[]): StackViolation[] {
  const groups = resources.filter((r) => r.type === DEFAULT_SECURITY_GROUP_TYPE);
  return resources
    .filter((r) => r.type === VPC_TYPE)
    .flatMap((vpc) => {
      const own = groups.filter((g) => g.dependencies.includes(vpc.urn));
      if (own.length === 0)
        return [
          {
            urn: vpc.urn,
            message: `VPC ${vpc.name}'s default security group is not adopted: it keeps AWS's rules (all traffic among members, all egress)`,
          },
        ];
      // Ingress and egress are Optional + Computed: left out, whatever rules exist stay. Only explicit empty lists close it.
      return own
        .filter(
          (g) =>
            !Array.isArray(get(g.props, "ingress")) ||
            !Array.isArray(get(g.props, "egress")) ||
            list(g.props, "ingress").length + list(g.props, "egress").length > 0,
        )
        .map((g) => ({
          urn: g.urn,
          message: `the default security group of VPC ${vpc.name} is not closed: give it ingress: [] and egress: []`,
        }));
    });
}

/** A log group is encrypted with a KMS key of ours (CloudWatch's own encryption otherwise). A key ARN unknown in a preview counts as set. */
export function logGroupEncrypted(resource: PolicyInput): Verdict {
  if (resource.type !== LOG_GROUP_TYPE) return notApplicable("not a CloudWatch log group");
  return present(resource.props, "kmsKeyId")
    ? []
    : [`log group ${str(resource.props, "name") ?? "?"} has no kmsKeyId: it is not encrypted with a key of ours`];
}

/** Advisory: the cluster sends fewer than all five control-plane log types (a documented choice may). */
export function controlPlaneLogs(resource: PolicyInput): Verdict {
  let types: readonly unknown[];
  if (resource.type === PULUMI_EKS.cluster) {
    if (isEmpty(resource.props))
      return notApplicable("the component's inputs are not visible: its aws:eks/cluster:Cluster is checked instead");
    types = list(resource.props, "enabledClusterLogTypes");
  } else if (resource.type === AWS.eksCluster) {
    types = list(resource.props, "enabledClusterLogTypes");
  } else return notApplicable("not an EKS cluster");
  const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => !types.includes(t));
  return missing.length === 0
    ? []
    : [`control-plane logs ${missing.join(", ")} are not sent to CloudWatch (config controlPlaneLogTypes)`];
}
