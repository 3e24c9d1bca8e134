/**
 * The input rules of the remote components we cross, mirrored so the mocks reject what the real
 * providers (and AWS behind them) would. Under mocks `eks.Cluster` and `eks.ManagedNodeGroup` register
 * as one resource each and their providers never run; these checks run in their place (render/harness.ts
 * calls them from the mocked newResource), so an input the first real `pulumi up` would fail on fails
 * `npm test` and `npm run render` too.
 *
 * Each rule names the source it mirrors: pulumi/pulumi-eks tag v4.3.0 = commit 0f5a544711cb (the
 * @pulumi/eks we pin), paths under nodejs/eks/, or the AWS API reference where pulumi-eks passes the
 * input through to EKS.
 */

import { PULUMI_EKS_TEMPLATE_INPUTS } from "../policy/rules/nodes";

export const PULUMI_EKS_COMMIT = "0f5a544711cbcace44720e2d70f6702925a2ea4b";

export interface RuleViolation {
  readonly rule: string;
  readonly source: string;
  readonly message: string;
}

type Inputs = Readonly<Record<string, unknown>>;

const set = (value: unknown): boolean => value !== undefined && value !== null;
const nonEmpty = (value: unknown): boolean =>
  Array.isArray(value)
    ? value.length > 0
    : value !== null && typeof value === "object"
      ? Object.keys(value).length > 0
      : set(value);

const AUTHENTICATION_MODES = ["CONFIG_MAP", "API_AND_CONFIG_MAP", "API"];
const supportsConfigMap = (mode: unknown) =>
  mode === undefined || mode === "CONFIG_MAP" || mode === "API_AND_CONFIG_MAP";
const supportsAccessEntries = (mode: unknown) => mode === "API" || mode === "API_AND_CONFIG_MAP";

/** eks.Cluster. `deployerArn`: the principal running the program (the cluster's creator). */
export function clusterViolations(inputs: Inputs, deployerArn: string): RuleViolation[] {
  const found: RuleViolation[] = [];
  const mode = inputs.authenticationMode;
  if (set(mode) && !AUTHENTICATION_MODES.includes(String(mode))) {
    found.push({
      rule: "authentication-mode-value",
      source: "cluster/authenticationMode.ts L27-35",
      message: `Invalid value for authenticationMode: ${String(mode)}. Allowed values are: ${AUTHENTICATION_MODES.join(", ")}.`,
    });
  }
  if (!supportsConfigMap(mode)) {
    for (const prop of ["roleMappings", "userMappings", "instanceRoles"]) {
      if (nonEmpty(inputs[prop])) {
        found.push({
          rule: "config-map-inputs-in-api-mode",
          source: "cluster/authenticationMode.ts L38-52",
          message: `The '${prop}' property does not support non-empty values when 'authenticationMode' is set to '${String(mode)}'.`,
        });
      }
    }
  }
  if (nonEmpty(inputs.accessEntries) && !supportsAccessEntries(mode)) {
    found.push({
      rule: "access-entries-need-api-mode",
      source: "cluster/authenticationMode.ts L54-67",
      message: `The 'accessEntries' property is not supported when 'authenticationMode' is ${set(mode) ? `set to '${String(mode)}'` : "not set"}.`,
    });
  }
  if (set(inputs.instanceRole) && set(inputs.instanceRoles)) {
    found.push({
      rule: "instance-role-xor-roles",
      source: "cluster/cluster.ts L426-430",
      message: "instanceRole and instanceRoles are mutually exclusive, and cannot both be set.",
    });
  }
  if (set(inputs.subnetIds) && (set(inputs.publicSubnetIds) || set(inputs.privateSubnetIds))) {
    found.push({
      rule: "subnet-ids-xor-public-private",
      source: "cluster/cluster.ts L432-436",
      message: "subnetIds, and the use of publicSubnetIds and/or privateSubnetIds are mutually exclusive.",
    });
  }
  if (set(inputs.publicAccessCidrs) && inputs.endpointPublicAccess === false) {
    found.push({
      rule: "public-cidrs-need-public-endpoint",
      source: "cluster/cluster.ts L712-716",
      message: "`publicAccessCidrs` can only be set when `endpointPublicAccess` is true",
    });
  }
  // pulumi-eks creates the cluster with bootstrapClusterCreatorAdminPermissions: true (cluster/cluster.ts
  // L739), so EKS itself gives the creator an access entry; an IAM principal can be in one access entry
  // only (EKS user guide, creating-access-entries), so CreateAccessEntry fails with ResourceInUseException.
  const entries = Object.values((inputs.accessEntries ?? {}) as Record<string, { principalArn?: unknown }>);
  if (entries.some((entry) => entry.principalArn === deployerArn)) {
    found.push({
      rule: "no-access-entry-for-the-creator",
      source: "cluster/cluster.ts L739; AWS CreateAccessEntry (ResourceInUseException)",
      message: `ResourceInUseException: an access entry for ${deployerArn} exists already (EKS made it for the cluster's creator)`,
    });
  }
  return found;
}

/**
 * The pulumi-eks inputs that make it build a launch template of its own (nodes/nodegroup.ts L2128-2134,
 * nodes/userdata.ts L135-140): the one list, kept with the policy pack that flags them too.
 */
export const CUSTOM_LAUNCH_TEMPLATE_ARGS = PULUMI_EKS_TEMPLATE_INPUTS;
const USER_DATA_ARGS = [
  "bootstrapExtraArgs",
  "kubeletExtraArgs",
  "bottlerocketSettings",
  "nodeadmExtraOptions",
] as const;

/** eks.ManagedNodeGroup. `launchTemplateInputs`: the inputs of the launch template it names, if we made it. */
export function managedNodeGroupViolations(inputs: Inputs, launchTemplateInputs?: Inputs): RuleViolation[] {
  const found: RuleViolation[] = [];
  if (set(inputs.nodeRole) && set(inputs.nodeRoleArn)) {
    found.push({
      rule: "node-role-xor-arn",
      source: "nodes/nodegroup.ts L1895-1900",
      message: "You cannot specify both nodeRole and nodeRoleArn when creating a managed node group.",
    });
  }
  if (!set(inputs.nodeRole) && !set(inputs.nodeRoleArn)) {
    found.push({
      rule: "node-role-required",
      source: "nodes/nodegroup.ts L1920-1928",
      message: "An IAM role, or role ARN must be provided to create a managed node group",
    });
  }
  for (const key of ["gpu", "amiType"]) {
    if (set(inputs.amiId) && set(inputs[key])) {
      found.push({
        rule: "ami-id-xor-ami-type",
        source: "nodes/nodegroup.ts L1902-1913",
        message: `You cannot specify both amiId and ${key} when creating a managed node group.`,
      });
    }
  }
  if (inputs.enableEfaSupport === true && !set(inputs.placementGroupAvailabilityZone)) {
    found.push({
      rule: "efa-needs-placement-zone",
      source: "nodes/nodegroup.ts L1990-1995",
      message: "You must specify placementGroupAvailabilityZone when enabling EFA support.",
    });
  }
  // `args[key] !== undefined` (nodegroup.ts L2137): even enableIMDSv2: false conflicts.
  const conflicting = CUSTOM_LAUNCH_TEMPLATE_ARGS.filter((key) => inputs[key] !== undefined);
  if (set(inputs.launchTemplate) && conflicting.length > 0) {
    found.push({
      rule: "own-launch-template-excludes-generated-one",
      source: "nodes/nodegroup.ts L2016-2023",
      message: `If you provide a custom launch template, you cannot provide any of ${CUSTOM_LAUNCH_TEMPLATE_ARGS.join(", ")} (got ${conflicting.join(", ")}).`,
    });
  }
  const userDataConflicts = USER_DATA_ARGS.filter((key) => inputs[key] !== undefined);
  if (set(inputs.userData) && userDataConflicts.length > 0) {
    found.push({
      rule: "user-data-excludes-user-data-args",
      source: "nodes/nodegroup.ts L2032-2039",
      message: `If you provide custom userData, you cannot provide any of ${USER_DATA_ARGS.join(", ")} (got ${userDataConflicts.join(", ")}).`,
    });
  }
  // pulumi-eks passes these through to aws.eks.NodeGroup (nodegroup.ts L2095-2117); EKS then applies
  // CreateNodegroup's rules: with a launch template, no diskSize or remoteAccess on the node group, and
  // with an image id in the template, no amiType, releaseVersion or version.
  // https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateNodegroup.html
  if (set(inputs.launchTemplate)) {
    for (const key of ["diskSize", "remoteAccess"]) {
      if (set(inputs[key])) {
        found.push({
          rule: "launch-template-excludes-disk-and-remote-access",
          source: "AWS CreateNodegroup (passed through by nodes/nodegroup.ts L2095-2117)",
          message: `InvalidParameterException: ${key} cannot be specified together with a launch template`,
        });
      }
    }
    if (launchTemplateInputs && set(launchTemplateInputs.imageId)) {
      for (const key of ["amiType", "releaseVersion", "version"]) {
        if (set(inputs[key])) {
          found.push({
            rule: "custom-ami-excludes-eks-image-choice",
            source: "AWS CreateNodegroup, launch template with an AMI (nodes/nodegroup.ts L2065-2067)",
            message: `InvalidParameterException: ${key} cannot be specified when the launch template names an image`,
          });
        }
      }
    }
  }
  return found;
}
