/**
 * Envelope encryption of Kubernetes secrets with a customer-managed KMS key: the key's policy and the
 * cluster role's permission on it, as plain JSON.
 * https://docs.aws.amazon.com/eks/latest/userguide/enable-kms.html
 */
import type { PolicyDocument, PolicyStatement } from "../iam/policy-document";

/**
 * Key administration without use: the account (so IAM policies of its administrators apply) may manage,
 * rotate, tag and delete the key, but not encrypt or decrypt with it. CreateGrant stays with the account
 * (`kms:Create*`): EKS's creator needs it when the cluster is created with the key.
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
] as const;

/** What the EKS cluster role does with the key: the four actions EKS's guide (and terraform-aws-eks) grant it. */
export const CLUSTER_KEY_USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"] as const;

/** The statement every key of the stack starts with: the account (its IAM policies) administers the key, never uses it. */
export function accountAdministersKey(args: { partition: string; accountId: string }): PolicyStatement {
  return {
    Sid: "AccountAdministersTheKey",
    Effect: "Allow",
    Principal: { AWS: `arn:${args.partition}:iam::${args.accountId}:root` },
    Action: [...KEY_ADMIN_ACTIONS],
    Resource: "*",
  };
}

/** The key policy: the account administers, only the cluster role uses. */
export function secretsKeyPolicy(args: {
  partition: string;
  accountId: string;
  clusterRoleArn: string;
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      accountAdministersKey(args),
      {
        Sid: "ClusterRoleUsesTheKey",
        Effect: "Allow",
        Principal: { AWS: args.clusterRoleArn },
        Action: [...CLUSTER_KEY_USE_ACTIONS],
        Resource: "*",
      },
    ],
  };
}

/** CloudWatch Logs retention periods the API accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The log group EKS writes control-plane logs to: created first by us, so its retention is ours. */
export function controlPlaneLogGroupName(clusterName: string): string {
  return `/aws/eks/${clusterName}/cluster`;
}
