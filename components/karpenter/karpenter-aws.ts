import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";
import {
  INTERRUPTION_QUEUE_RETENTION_SECONDS,
  INTERRUPTION_RULES,
  interruptionQueuePolicy,
  KARPENTER_NODE_MANAGED_POLICIES,
  karpenterNodeTrustPolicy,
  urlSuffix,
} from "./iam-policy";

/** The tag Karpenter's node class finds the private subnets and the node security group by. */
export const KARPENTER_DISCOVERY_TAG = "karpenter.sh/discovery";

export interface KarpenterAwsArgs {
  /** The EKS cluster's name. */
  readonly clusterName: pulumi.Input<string>;
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** The EKS cluster security group the managed nodes run in: Karpenter's nodes join it (discovery tag). */
  readonly nodeSecurityGroupId: pulumi.Input<string>;
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * What Karpenter needs in AWS besides its controller's role (iam-policy.ts, from the v1.14.1 template): the
 * role its nodes run as, with an EC2_LINUX access entry so they may join; the interruption queue with the
 * EventBridge rules that feed it; the discovery tag on the node security group (the private subnets carry
 * theirs from the Network).
 */
export class KarpenterAws extends pulumi.ComponentResource {
  public readonly nodeRoleName: pulumi.Output<string>;
  public readonly nodeRoleArn: pulumi.Output<string>;
  public readonly queueName: pulumi.Output<string>;
  public readonly queueArn: pulumi.Output<string>;
  /** The controller and the node pools wait for these: nodes must be able to join, notices to arrive. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: KarpenterAwsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.karpenterAws, name, {}, opts);
    const parent = { parent: this };
    const nodeRole = new aws.iam.Role(
      `${name}-node-role`,
      {
        description: "Nodes Karpenter launches",
        assumeRolePolicy: JSON.stringify(karpenterNodeTrustPolicy(urlSuffix(args.partition))),
        tags: args.tags,
      },
      parent,
    );
    const attachments = KARPENTER_NODE_MANAGED_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: `arn:${args.partition}:iam::aws:policy/${policy}` },
          parent,
        ),
    );
    // EKS creates the access entry of a managed node group's role itself; Karpenter's nodes need ours.
    const access = new aws.eks.AccessEntry(
      `${name}-node-access`,
      { clusterName: args.clusterName, principalArn: nodeRole.arn, type: "EC2_LINUX", tags: args.tags },
      parent,
    );
    const queue = new aws.sqs.Queue(
      `${name}-interruption`,
      {
        name: args.clusterName,
        messageRetentionSeconds: INTERRUPTION_QUEUE_RETENTION_SECONDS,
        sqsManagedSseEnabled: true,
        tags: args.tags,
      },
      parent,
    );
    const rules = Object.entries(INTERRUPTION_RULES).map(
      ([ruleName, pattern]) =>
        [
          ruleName,
          new aws.cloudwatch.EventRule(
            `${name}-${ruleName}`,
            {
              description: `Karpenter interruption: ${pattern.detailType}`,
              eventPattern: JSON.stringify({ source: [pattern.source], "detail-type": [pattern.detailType] }),
              tags: args.tags,
            },
            parent,
          ),
        ] as const,
    );
    // The rules first, then the policy naming them, then the targets: no message arrives before it may.
    const queuePolicy = new aws.sqs.QueuePolicy(
      `${name}-interruption`,
      {
        queueUrl: queue.id,
        policy: pulumi
          .all([queue.arn, ...rules.map(([, rule]) => rule.arn)])
          .apply(([arn, ...ruleArns]) => JSON.stringify(interruptionQueuePolicy(arn, ruleArns))),
      },
      parent,
    );
    const targets = rules.map(
      ([ruleName, rule]) =>
        new aws.cloudwatch.EventTarget(
          `${name}-${ruleName}`,
          { rule: rule.name, targetId: "KarpenterInterruptionQueueTarget", arn: queue.arn },
          { parent: this, dependsOn: [queuePolicy] },
        ),
    );
    const sgTag = new aws.ec2.Tag(
      `${name}-sg-discovery`,
      { resourceId: args.nodeSecurityGroupId, key: KARPENTER_DISCOVERY_TAG, value: args.clusterName },
      parent,
    );
    this.nodeRoleName = nodeRole.name;
    this.nodeRoleArn = nodeRole.arn;
    this.queueName = queue.name;
    this.queueArn = queue.arn;
    this.ready = [...attachments, access, queuePolicy, ...targets, sgTag];
    this.registerOutputs({ nodeRoleArn: this.nodeRoleArn, queueArn: this.queueArn });
  }
}
