/**
 * The customer-managed key the stack's CloudWatch Logs groups are encrypted with (checkov CKV_AWS_158), as
 * plain JSON: the account administers it, and CloudWatch Logs of this region may use it only for these log
 * groups, by the encryption context it sends. CloudWatch Logs user guide, "Encrypt log data in CloudWatch Logs
 * using AWS Key Management Service" (encrypt-log-data-kms.html): the key policy's logs statement and its
 * `kms:EncryptionContext:aws:logs:arn` condition.
 */
import { accountAdministersKey } from "../cluster/encryption";
import type { PolicyDocument } from "../iam/policy-document";

/** What CloudWatch Logs does with the key (the user guide's statement). */
export const LOGS_KEY_USE_ACTIONS = [
  "kms:Encrypt*",
  "kms:Decrypt*",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:Describe*",
] as const;

/** The ARN of a log group, as CloudWatch Logs puts it in the encryption context. */
export function logGroupArn(args: { partition: string; region: string; accountId: string; name: string }): string {
  return `arn:${args.partition}:logs:${args.region}:${args.accountId}:log-group:${args.name}`;
}

export function logsKeyPolicy(args: {
  partition: string;
  region: string;
  accountId: string;
  logGroupNames: readonly string[];
}): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      accountAdministersKey(args),
      {
        Sid: "CloudWatchLogsUsesTheKeyForOurLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${args.region}.amazonaws.com` },
        Action: [...LOGS_KEY_USE_ACTIONS],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": args.logGroupNames.map((name) => logGroupArn({ ...args, name })),
          },
        },
      },
    ],
  };
}
