import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";
import { type FlowLogIamArgs, flowLogTrustPolicy, flowLogWritePolicy } from "./flow-log-iam";

export interface FlowLogsArgs extends FlowLogIamArgs {
  /** The VPC whose traffic is logged. */
  readonly vpcId: pulumi.Input<string>;
  /** Days CloudWatch keeps the records (one of the periods CloudWatch Logs accepts). */
  readonly retentionDays: number;
  /** The customer-managed key the group is encrypted with (components/logging/logs-key.ts). */
  readonly kmsKeyArn: pulumi.Input<string>;
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * Every packet decision in the VPC (accepted and rejected, checkov CKV2_AWS_11) to an encrypted CloudWatch
 * Logs group the stack owns, with the stack's retention, through a role that may write to that group only.
 */
export class FlowLogs extends pulumi.ComponentResource {
  public readonly flowLogId: pulumi.Output<string>;
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: FlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.flowLogs, name, {}, opts);
    const parent = { parent: this };
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-group`,
      { name: args.logGroupName, retentionInDays: args.retentionDays, kmsKeyId: args.kmsKeyArn, tags: args.tags },
      parent,
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      { assumeRolePolicy: JSON.stringify(flowLogTrustPolicy(args)), tags: args.tags },
      parent,
    );
    const write = new aws.iam.RolePolicy(
      `${name}-write`,
      { role: role.id, policy: JSON.stringify(flowLogWritePolicy(args)) },
      parent,
    );
    const flowLog = new aws.ec2.FlowLog(
      `${name}-vpc`,
      {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: logGroup.arn,
        iamRoleArn: role.arn,
        tags: args.tags,
      },
      // The service checks that it may write when the flow log is created.
      { parent: this, dependsOn: [write] },
    );
    this.flowLogId = flowLog.id;
    this.logGroupName = logGroup.name;
    this.registerOutputs({ flowLogId: this.flowLogId, logGroupName: this.logGroupName });
  }
}
