/**
 * The IAM role VPC Flow Logs publishes to CloudWatch Logs with, as plain JSON: trusted by the flow-logs
 * service of this account alone (confused-deputy conditions), allowed to write to one log group only.
 * Amazon VPC user guide, "IAM role for publishing flow logs to CloudWatch Logs" (flow-logs-iam-role.html):
 * the trust policy with `aws:SourceAccount` / `aws:SourceArn`, and the permissions the service uses
 * (CreateLogStream, PutLogEvents, DescribeLogGroups, DescribeLogStreams; CreateLogGroup is left out: the
 * stack creates the group, with its retention and key, before the flow log).
 */
import type { PolicyDocument } from "../iam/policy-document";
import { logGroupArn } from "../logging/key-policy";

export const FLOW_LOGS_PRINCIPAL = "vpc-flow-logs.amazonaws.com";

/** What the service does with the group. */
export const FLOW_LOG_WRITE_ACTIONS = [
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "logs:DescribeLogGroups",
  "logs:DescribeLogStreams",
] as const;

/** The log group a cluster's VPC flow logs go to. */
export function flowLogGroupName(clusterName: string): string {
  return `/aws/vpc/${clusterName}/flow-logs`;
}

export interface FlowLogIamArgs {
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** The AWS account id, for ARNs. */
  readonly accountId: string;
  /** The flow logs' log group name. */
  readonly logGroupName: string;
}

export function flowLogTrustPolicy(args: FlowLogIamArgs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: FLOW_LOGS_PRINCIPAL },
        Action: "sts:AssumeRole",
        Condition: {
          StringEquals: { "aws:SourceAccount": args.accountId },
          ArnLike: { "aws:SourceArn": `arn:${args.partition}:ec2:${args.region}:${args.accountId}:vpc-flow-log/*` },
        },
      },
    ],
  };
}

export function flowLogWritePolicy(args: FlowLogIamArgs): PolicyDocument {
  const group = logGroupArn({ ...args, name: args.logGroupName });
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogsToOneGroup",
        Effect: "Allow",
        Action: [...FLOW_LOG_WRITE_ACTIONS],
        Resource: [group, `${group}:*`],
      },
    ],
  };
}
