/**
 * The two CI roles' IAM policies, derived from what the program declares: the preview role (pull requests)
 * may read what `pulumi preview` and `pulumi refresh` read and change nothing; the deploy role (main, behind
 * the production environment) may in addition make exactly the calls that create, update and delete the
 * resource types the program declares (every type of components/resource-types.ts AWS, so turning a feature
 * on needs no new policy), with IAM scoped to the stack's own tagged roles and the managed policies the
 * program attaches. The calls per type are aws-actions.json (terraform-provider-aws, with its source);
 * docs/ci-roles.md explains each statement. The render writes both for the stack it renders.
 */
import { CLUSTER_MANAGED_POLICY, NODE_MANAGED_POLICIES } from "../components/cluster/cluster";
import type { PolicyDocument, PolicyStatement } from "../components/iam/policy-document";
import { KARPENTER_NODE_MANAGED_POLICIES, karpenterInstanceScope } from "../components/karpenter/iam-policy";
import { SPOT_SERVICE } from "../components/karpenter/spot-role";
import { AWS, AWS_INVOKES } from "../components/resource-types";
import actionsData from "./aws-actions.json";

interface TypeActions {
  readonly read: readonly string[];
  readonly write: readonly string[];
}
const TYPES: Readonly<Record<string, TypeActions>> = actionsData.types;
const INVOKES: Readonly<Record<string, { readonly read: readonly string[] }>> = actionsData.invokes;

/**
 * Calls made beside the resources' own, by code the program runs: pulumi-eks's components look up subnets,
 * route tables, instance type offerings, images and SSM parameters
 * (https://github.com/pulumi/pulumi-eks/blob/0f5a544711cbcace44720e2d70f6702925a2ea4b/nodejs/eks/nodes/nodegroup.ts#L1587-L1605,
 * nodes/instances.ts, addons/cni-addon.ts); the delete-time DNS check lists the zone's records
 * (components/external-dns/records-gone.ts); the delete-time instance check lists Karpenter's instances
 * (components/karpenter/instances-gone.ts).
 */
export const PROGRAM_READS: readonly string[] = [
  "ec2:DescribeImages",
  "ec2:DescribeInstances",
  "ec2:DescribeInstanceTypeOfferings",
  "ec2:DescribeInstanceTypes",
  "ec2:DescribeRouteTables",
  "ec2:DescribeSubnets",
  "ec2:DescribeVpcs",
  "eks:DescribeAddonVersions",
  "route53:ListResourceRecordSets",
  "ssm:GetParameter",
];

/**
 * Services whose service-linked role a deploy may create: EKS's, on a first cluster and node group (EKS user
 * guide, using-service-linked-roles.html), and EC2 Spot's, which the program makes for Karpenter's Spot
 * launches (components/karpenter/spot-role.ts).
 */
export const SERVICE_LINKED_ROLES = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", SPOT_SERVICE] as const;

/** The services the program hands its roles to: EKS (cluster), EC2 (nodes), Pod Identity, VPC flow logs. */
export const PASSED_TO_SERVICES = [
  "ec2.amazonaws.com",
  "eks.amazonaws.com",
  "pods.eks.amazonaws.com",
  "vpc-flow-logs.amazonaws.com",
] as const;

/** IAM actions on a role that exists: allowed on the stack's own roles only (by their tag). */
const ROLE_ACTIONS_ON_EXISTING = new Set([
  "iam:AttachRolePolicy",
  "iam:DeleteRole",
  "iam:DeleteRolePolicy",
  "iam:DetachRolePolicy",
  "iam:ListInstanceProfilesForRole",
  "iam:PutRolePolicy",
  "iam:RemoveRoleFromInstanceProfile",
  "iam:TagRole",
  "iam:UntagRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:UpdateRole",
  "iam:UpdateRoleDescription",
]);

/** What a policy is made for: the stack's tag on every resource, its account and partition. */
export interface CiRoleContext {
  readonly partition: string;
  readonly accountId: string;
  /** The tag every resource of the stack carries (index.ts), and its value. */
  readonly stackTag: { readonly key: string; readonly value: string };
}

/** Every resource type the program may declare: what both policies cover. */
export const PROGRAM_AWS_TYPES: readonly string[] = Object.values(AWS);

/** The AWS managed policies the program may attach to its roles (the cluster's, the nodes', Karpenter's nodes'). */
export function attachablePolicyArns(partition: string): string[] {
  return [...new Set([CLUSTER_MANAGED_POLICY, ...NODE_MANAGED_POLICIES, ...KARPENTER_NODE_MANAGED_POLICIES])]
    .sort()
    .map((name) => `arn:${partition}:iam::aws:policy/${name}`);
}

/** The types of a render that need IAM actions, with any the table lacks named (the policies are then incomplete). */
export function actionsFor(types: readonly string[]): { read: string[]; write: string[]; unknown: string[] } {
  const aws = [...new Set(types)].filter((t) => t.startsWith("aws:")).sort();
  const unknown = aws.filter((t) => !TYPES[t]);
  const known = aws.filter((t) => TYPES[t]);
  const sorted = (actions: Iterable<string>) => [...new Set(actions)].sort();
  return {
    read: sorted(known.flatMap((t) => TYPES[t].read)),
    write: sorted(known.flatMap((t) => TYPES[t].write)),
    unknown,
  };
}

/** Every read the program's invokes make (all it may call: components/resource-types.ts AWS_INVOKES). */
export function invokeReads(): string[] {
  const missing = Object.values(AWS_INVOKES).filter((token) => !INVOKES[token]);
  if (missing.length > 0) throw new Error(`ci-roles/aws-actions.json has no calls for ${missing.join(", ")}`);
  return [...new Set(Object.values(AWS_INVOKES).flatMap((token) => INVOKES[token].read))].sort();
}

/** Whether an action only reads, by its name (what the preview policy is held to). */
export function isReadOnlyAction(action: string): boolean {
  const name = action.split(":")[1] ?? "";
  return /^(Describe|Get|List|Head)/.test(name);
}

/** The preview role: reads only, on anything (reads of a refresh name resources the program has not made yet). */
export function previewPolicy(types: readonly string[]): PolicyDocument {
  const { read, unknown } = actionsFor(types);
  if (unknown.length > 0) throw new Error(`ci-roles/aws-actions.json has no calls for ${unknown.join(", ")}`);
  const actions = [...new Set([...read, ...invokeReads(), ...PROGRAM_READS])]
    .filter((a) => a !== "sts:GetCallerIdentity")
    .sort();
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "ReadWhatThePreviewReads", Effect: "Allow", Action: actions, Resource: "*" }],
  };
}

/** The deploy role: the preview's reads, every write of the render's types, IAM scoped to the stack's roles. */
export function deployPolicy(types: readonly string[], context: CiRoleContext): PolicyDocument {
  const { write, unknown } = actionsFor(types);
  if (unknown.length > 0) throw new Error(`ci-roles/aws-actions.json has no calls for ${unknown.join(", ")}`);
  const roles = `arn:${context.partition}:iam::${context.accountId}:role/*`;
  const tag = { [`aws:ResourceTag/${context.stackTag.key}`]: context.stackTag.value };
  const iam = write.filter((a) => a.startsWith("iam:"));
  const other = write.filter((a) => !a.startsWith("iam:"));
  const unscoped = iam.filter(
    (a) => a !== "iam:CreateRole" && a !== "iam:PassRole" && !ROLE_ACTIONS_ON_EXISTING.has(a),
  );
  if (unscoped.length > 0) throw new Error(`no scope for IAM actions ${unscoped.join(", ")} (ci-roles/policies.ts)`);
  const onExisting = iam.filter((a) => ROLE_ACTIONS_ON_EXISTING.has(a) && a !== "iam:AttachRolePolicy");
  const statements: PolicyStatement[] = [
    ...(previewPolicy(types).Statement as PolicyStatement[]),
    { Sid: "ManageTheStacksResources", Effect: "Allow", Action: other, Resource: "*" },
    {
      Sid: "CreateRolesTaggedForTheStack",
      Effect: "Allow",
      Action: ["iam:CreateRole"],
      Resource: roles,
      Condition: { StringEquals: { [`aws:RequestTag/${context.stackTag.key}`]: context.stackTag.value } },
    },
    {
      Sid: "ManageTheStacksRoles",
      Effect: "Allow",
      Action: onExisting,
      Resource: roles,
      Condition: { StringEquals: tag },
    },
    {
      Sid: "AttachOnlyThePoliciesTheProgramAttaches",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy"],
      Resource: roles,
      Condition: {
        StringEquals: tag,
        ArnEquals: { "iam:PolicyARN": attachablePolicyArns(context.partition) },
      },
    },
    {
      Sid: "PassRolesToTheServicesThatRunThem",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: roles,
      Condition: { StringEquals: { "iam:PassedToService": [...PASSED_TO_SERVICES] } },
    },
    {
      // The delete-time instance check terminates what Karpenter left of this cluster: exactly the instances
      // Karpenter's own controller may terminate (instances-gone.ts; the stack tag's value is the cluster's name).
      Sid: "TerminateOnlyThisClustersKarpenterInstances",
      Effect: "Allow",
      Action: ["ec2:TerminateInstances"],
      Resource: `arn:${context.partition}:ec2:*:${context.accountId}:instance/*`,
      Condition: karpenterInstanceScope(context.stackTag.value),
    },
    {
      Sid: "CreateTheServiceLinkedRolesTheStackNeeds",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: `arn:${context.partition}:iam::${context.accountId}:role/aws-service-role/*`,
      Condition: { StringEquals: { "iam:AWSServiceName": [...SERVICE_LINKED_ROLES] } },
    },
  ];
  return { Version: "2012-10-17", Statement: statements };
}
