/**
 * What Karpenter needs from AWS, as plain JSON, transcribed from the getting-started CloudFormation template of
 * the pinned release (aws/karpenter-provider-aws v1.14.1 bde00654,
 * website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml; a copy is
 * test/fixtures/karpenter/cloudformation-v1.14.1.yaml, and a test holds these documents to it):
 * - the controller's permissions, the template's six managed policies (node lifecycle, IAM integration, EKS
 *   integration, interruption, zonal shift, resource discovery), scoped as they are there: to this cluster's
 *   tags, this region, this account, the node role and the interruption queue;
 * - the node role's trust and managed policies;
 * - the interruption queue's policy and the EventBridge rules that feed it.
 */
import type { PolicyDocument, PolicyStatement } from "../iam/policy-document";

export interface KarpenterAwsArgs {
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** The AWS account id, for ARNs. */
  readonly accountId: string;
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The role Karpenter's nodes run as (it may pass this one only). */
  readonly nodeRoleArn: string;
  /** The interruption queue it reads. */
  readonly queueArn: string;
}

/** The template's managed policies, by their names there (without the `-<cluster>` suffix). */
export type KarpenterPolicyName =
  | "KarpenterControllerNodeLifecyclePolicy"
  | "KarpenterControllerIAMIntegrationPolicy"
  | "KarpenterControllerEKSIntegrationPolicy"
  | "KarpenterControllerInterruptionPolicy"
  | "KarpenterControllerZonalShiftPolicy"
  | "KarpenterControllerResourceDiscoveryPolicy";

/**
 * The instances Karpenter may terminate, as its CloudFormation template's AllowScopedDeletion scopes them: tagged
 * as this cluster's (`kubernetes.io/cluster/<name>: owned`) and by a NodePool. The deploy role's delete-time
 * instance check (ci-roles/policies.ts) is held to the same scope.
 */
export function karpenterInstanceScope(clusterName: string): Record<string, Record<string, string>> {
  return {
    StringEquals: { [`aws:ResourceTag/kubernetes.io/cluster/${clusterName}`]: "owned" },
    StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
  };
}

export function karpenterControllerPolicies(a: KarpenterAwsArgs): Record<KarpenterPolicyName, PolicyDocument> {
  const ec2 = (resource: string, account = "*") => `arn:${a.partition}:ec2:${a.region}:${account}:${resource}`;
  const owned = { [`aws:ResourceTag/kubernetes.io/cluster/${a.clusterName}`]: "owned" };
  const requestOwned = {
    [`aws:RequestTag/kubernetes.io/cluster/${a.clusterName}`]: "owned",
    "aws:RequestTag/eks:eks-cluster-name": a.clusterName,
  };
  const nodepool = { "aws:ResourceTag/karpenter.sh/nodepool": "*" };
  const requestNodepool = { "aws:RequestTag/karpenter.sh/nodepool": "*" };
  const launched = [
    "fleet/*",
    "instance/*",
    "volume/*",
    "network-interface/*",
    "launch-template/*",
    "spot-instances-request/*",
  ].map((r) => ec2(r));
  const profiles = `arn:${a.partition}:iam::${a.accountId}:instance-profile/*`;
  const clusterArn = `arn:${a.partition}:eks:${a.region}:${a.accountId}:cluster/${a.clusterName}`;
  const doc = (statements: PolicyStatement[]): PolicyDocument => ({ Version: "2012-10-17", Statement: statements });
  return {
    KarpenterControllerNodeLifecyclePolicy: doc([
      {
        Sid: "AllowScopedEC2InstanceAccessActions",
        Effect: "Allow",
        Resource: [
          ec2("image/*", ""),
          ec2("snapshot/*", ""),
          ec2("security-group/*"),
          ec2("subnet/*"),
          ec2("capacity-reservation/*"),
          ec2("placement-group/*"),
        ],
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
      },
      {
        Sid: "AllowScopedEC2LaunchTemplateAccessActions",
        Effect: "Allow",
        Resource: ec2("launch-template/*"),
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Condition: { StringEquals: owned, StringLike: nodepool },
      },
      {
        Sid: "AllowScopedEC2InstanceActionsWithTags",
        Effect: "Allow",
        Resource: launched,
        Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
        Condition: { StringEquals: requestOwned, StringLike: requestNodepool },
      },
      {
        Sid: "AllowScopedResourceCreationTagging",
        Effect: "Allow",
        Resource: launched,
        Action: "ec2:CreateTags",
        Condition: {
          StringEquals: {
            ...requestOwned,
            "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"],
          },
          StringLike: requestNodepool,
        },
      },
      {
        Sid: "AllowScopedResourceTagging",
        Effect: "Allow",
        Resource: ec2("instance/*"),
        Action: "ec2:CreateTags",
        Condition: {
          StringEquals: owned,
          StringLike: nodepool,
          StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": a.clusterName },
          "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
        },
      },
      {
        Sid: "AllowScopedDeletion",
        Effect: "Allow",
        Resource: [ec2("instance/*"), ec2("launch-template/*")],
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Condition: karpenterInstanceScope(a.clusterName),
      },
    ]),
    KarpenterControllerIAMIntegrationPolicy: doc([
      {
        Sid: "AllowPassingInstanceRole",
        Effect: "Allow",
        Resource: a.nodeRoleArn,
        Action: "iam:PassRole",
        Condition: { StringEquals: { "iam:PassedToService": ["ec2.amazonaws.com", "ec2.amazonaws.com.cn"] } },
      },
      {
        Sid: "AllowScopedInstanceProfileCreationActions",
        Effect: "Allow",
        Resource: profiles,
        Action: ["iam:CreateInstanceProfile"],
        Condition: {
          StringEquals: { ...requestOwned, "aws:RequestTag/topology.kubernetes.io/region": a.region },
          StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileTagActions",
        Effect: "Allow",
        Resource: profiles,
        Action: ["iam:TagInstanceProfile"],
        Condition: {
          StringEquals: {
            ...owned,
            "aws:ResourceTag/topology.kubernetes.io/region": a.region,
            ...requestOwned,
            "aws:RequestTag/topology.kubernetes.io/region": a.region,
          },
          StringLike: {
            "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*",
            "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*",
          },
        },
      },
      {
        Sid: "AllowScopedInstanceProfileActions",
        Effect: "Allow",
        Resource: profiles,
        Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"],
        Condition: {
          StringEquals: { ...owned, "aws:ResourceTag/topology.kubernetes.io/region": a.region },
          StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
    ]),
    KarpenterControllerEKSIntegrationPolicy: doc([
      { Sid: "AllowAPIServerEndpointDiscovery", Effect: "Allow", Resource: clusterArn, Action: "eks:DescribeCluster" },
    ]),
    KarpenterControllerInterruptionPolicy: doc([
      {
        Sid: "AllowInterruptionQueueActions",
        Effect: "Allow",
        Resource: a.queueArn,
        Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"],
      },
    ]),
    KarpenterControllerZonalShiftPolicy: doc([
      {
        Sid: "AllowZonalShiftStatusReadOnly",
        Effect: "Allow",
        Resource: "*",
        Action: ["arc-zonal-shift:GetManagedResource"],
        Condition: { StringEquals: { "arc-zonal-shift:ResourceIdentifier": clusterArn } },
      },
    ]),
    KarpenterControllerResourceDiscoveryPolicy: doc([
      {
        Sid: "AllowRegionalReadActions",
        Effect: "Allow",
        Resource: "*",
        Action: [
          "ec2:DescribeCapacityReservations",
          "ec2:DescribeImages",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceStatus",
          "ec2:DescribeInstanceTypeOfferings",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribePlacementGroups",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSpotPriceHistory",
          "ec2:DescribeSubnets",
        ],
        Condition: { StringEquals: { "aws:RequestedRegion": a.region } },
      },
      {
        Sid: "AllowSSMReadActions",
        Effect: "Allow",
        Resource: `arn:${a.partition}:ssm:${a.region}::parameter/aws/service/*`,
        Action: "ssm:GetParameter",
      },
      { Sid: "AllowPricingReadActions", Effect: "Allow", Resource: "*", Action: "pricing:GetProducts" },
      {
        Sid: "AllowUnscopedInstanceProfileListAction",
        Effect: "Allow",
        Resource: "*",
        Action: "iam:ListInstanceProfiles",
      },
      { Sid: "AllowInstanceProfileReadActions", Effect: "Allow", Resource: profiles, Action: "iam:GetInstanceProfile" },
    ]),
  };
}

/**
 * The node role's managed policies (the template's KarpenterNodeRole). AmazonSSMManagedInstanceCore stays, as
 * upstream has it: Session Manager is the way onto a node with no SSH key and no open port (EKS Best Practices,
 * security/hosts: "Use SSM Session Manager instead of SSH"), and pods cannot reach the role (IMDSv2, one hop).
 */
export const KARPENTER_NODE_MANAGED_POLICIES = [
  "AmazonEKS_CNI_Policy",
  "AmazonEKSWorkerNodePolicy",
  "AmazonEC2ContainerRegistryPullOnly",
  "AmazonSSMManagedInstanceCore",
] as const;

/** The node role's trust: EC2 (the template's `ec2.${AWS::URLSuffix}`). */
export function karpenterNodeTrustPolicy(urlSuffix: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: `ec2.${urlSuffix}` }, Action: ["sts:AssumeRole"] }],
  };
}

/** `AWS::URLSuffix` for a partition: amazonaws.com.cn in the China regions, amazonaws.com elsewhere (CloudFormation pseudo parameters). */
export function urlSuffix(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/**
 * The interruption queue's policy: the template's (v1.14.1 cloudformation.yaml KarpenterInterruptionQueuePolicy:
 * https://github.com/aws/karpenter-provider-aws/blob/bde00654cd316fddb3dccfba3f5ac07039865429/website/content/en/docs/getting-started/getting-started-with-karpenter/cloudformation.yaml#L387-L409),
 * narrowed as the EventBridge user guide writes an SQS target's policy: EventBridge may send only for our own
 * rules (`aws:SourceArn`, eb-use-resource-based.html#eb-sqs-permissions), where the template lets any rule of
 * any account send, and as `sqs.amazonaws.com`, which the template also names and no rule uses. Nothing over
 * plain HTTP, as in the template.
 */
export function interruptionQueuePolicy(
  queueArn: string,
  ruleArns: readonly string[],
): PolicyDocument & { readonly Id: string } {
  return {
    Id: "EC2InterruptionPolicy",
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OurRulesOnly",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnEquals: { "aws:SourceArn": [...ruleArns].sort() } },
      },
      {
        Sid: "DenyHTTP",
        Effect: "Deny",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
        Principal: { AWS: "*" },
      },
    ],
  };
}

/** The queue's message retention (seconds), as the template sets it: interruption notices are only useful for minutes. */
export const INTERRUPTION_QUEUE_RETENTION_SECONDS = 300;

/** The EventBridge rules that feed the queue, by the template's resource names: their event patterns. */
export const INTERRUPTION_RULES: Readonly<Record<string, { readonly source: string; readonly detailType: string }>> = {
  ScheduledChangeRule: { source: "aws.health", detailType: "AWS Health Event" },
  SpotInterruptionRule: { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  RebalanceRule: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  InstanceStateChangeRule: { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  CapacityReservationInterruptionRule: {
    source: "aws.ec2",
    detailType: "EC2 Capacity Reservation Instance Interruption Warning",
  },
};
