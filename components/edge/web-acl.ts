import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";

/**
 * The AWS managed rule groups the web ACL runs, in priority order: the baseline (OWASP-style) set, known
 * bad inputs (Log4j and the like), and Amazon's IP reputation list. AWS WAF developer guide, "AWS Managed
 * Rules rule groups list" (aws-managed-rule-groups-list.html): each is billed as one rule group per month.
 */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesAmazonIpReputationList",
] as const;

/**
 * The log group the web ACL logs to: WAF delivers only to groups whose name starts with `aws-waf-logs-`
 * (AWS WAF developer guide, logging-cw-logs.html).
 */
export function wafLogGroupName(clusterName: string): string {
  return `aws-waf-logs-${clusterName}`;
}

export interface WebAclArgs {
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Where the ACL logs every request it sees: a group of ours, encrypted with the logs key. */
  readonly logging: {
    readonly logGroupName: string;
    readonly retentionDays: number;
    /** The logs key: its policy must name this group (components/logging/key-policy.ts). */
    readonly kmsKeyArn: pulumi.Input<string>;
  };
}

/**
 * A regional WAFv2 web ACL for the internet-facing ALBs (checkov CKV2_AWS_28): allow by default, block what
 * the managed rule groups match, with CloudWatch metrics and sampled requests. The load balancer controller
 * associates it with each ALB through the `wafv2-acl-arn` annotation (its IAM policy allows
 * wafv2:AssociateWebACL).
 */
export class WebAcl extends pulumi.ComponentResource {
  public readonly arn: pulumi.Output<string>;
  /** The ALBs wait for it. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.webAcl, name, {}, opts);
    const visibility = (metricName: string) => ({
      cloudwatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    const acl = new aws.wafv2.WebAcl(
      `${name}-acl`,
      {
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: MANAGED_RULE_GROUPS.map((group, priority) => ({
          name: group,
          priority,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
          visibilityConfig: visibility(group),
        })),
        visibilityConfig: visibility(name),
        tags: args.tags,
      },
      { parent: this },
    );
    // Every request the ACL sees, logged to our encrypted group: WAF adds the group's resource policy for its
    // log delivery itself (AWS WAF API reference, LoggingConfiguration).
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: args.logging.logGroupName,
        retentionInDays: args.logging.retentionDays,
        kmsKeyId: args.logging.kmsKeyArn,
        tags: args.tags,
      },
      { parent: this },
    );
    const logging = new aws.wafv2.WebAclLoggingConfiguration(
      `${name}-logging`,
      { resourceArn: acl.arn, logDestinationConfigs: [logGroup.arn] },
      { parent: this },
    );
    this.arn = acl.arn;
    this.ready = [acl, logging];
    this.registerOutputs({ arn: this.arn });
  }
}
