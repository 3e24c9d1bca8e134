import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";
import { KMS_KEY_DELETION_WINDOW_DAYS } from "./key-deletion";
import { logsKeyPolicy } from "./key-policy";

export interface LogsKeyArgs {
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** The AWS account id, for ARNs. */
  readonly accountId: string;
  /** The log groups the key is for: CloudWatch Logs may use it for these alone. */
  readonly logGroupNames: readonly string[];
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The KMS key the stack's log groups (control plane, VPC flow logs) are encrypted with: rotated yearly. */
export class LogsKey extends pulumi.ComponentResource {
  public readonly keyArn: pulumi.Output<string>;
  /** Log groups depend on this: CloudWatch Logs checks the key policy when a group is created with it. */
  public readonly key: aws.kms.Key;

  constructor(name: string, args: LogsKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.logsKey, name, {}, opts);
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `CloudWatch Logs encryption: ${args.logGroupNames.join(", ")}`,
        enableKeyRotation: true,
        deletionWindowInDays: KMS_KEY_DELETION_WINDOW_DAYS,
        policy: JSON.stringify(logsKeyPolicy(args)),
        tags: args.tags,
      },
      { parent: this },
    );
    this.keyArn = this.key.arn;
    this.registerOutputs({ keyArn: this.keyArn });
  }
}
