import type { PolicyDocument } from "../iam/policy-document";

/**
 * ExternalDNS's documented Route 53 policy, narrowed: record changes and record/tag reads only on the
 * configured hosted zone (the docs grant every zone); listing zones needs "*".
 * https://github.com/kubernetes-sigs/external-dns/blob/master/docs/tutorials/aws.md
 */
export function externalDnsPolicy(partition: string, hostedZoneId: string): PolicyDocument {
  const zoneArn = `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets", "route53:ListResourceRecordSets", "route53:ListTagsForResources"],
        Resource: [zoneArn],
      },
      { Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: ["*"] },
    ],
  };
}
