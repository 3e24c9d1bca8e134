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

export interface WebAclArgs {
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
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
    this.arn = acl.arn;
    this.ready = [acl];
    this.registerOutputs({ arn: this.arn });
  }
}
