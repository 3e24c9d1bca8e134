import type { PolicyDocument } from "../iam/policy-document";

/** The record types ExternalDNS writes here: its default managed types (A, AAAA, CNAME) and its TXT registry's. */
export const EXTERNAL_DNS_RECORD_TYPES = ["A", "AAAA", "CNAME", "TXT"] as const;

/**
 * ExternalDNS's documented Route 53 policy, narrowed: record reads only on the configured hosted zone (the docs
 * grant every zone), listing zones on "*", and record changes only on that zone, only below the domain (never
 * the apex, where a zone's MX, NS and SOA live) and only of the types it writes. Route 53 names each change's
 * records and types in condition keys, and ExternalDNS's own tutorial scopes its policy with them
 * (https://github.com/kubernetes-sigs/external-dns/blob/066a11e2158f87689a01f0ff39493037da958171/docs/tutorials/aws.md#L58-L63;
 * Route 53 developer guide, specifying-rrset-conditions.html: names lowercase, without the trailing dot).
 */
export function externalDnsPolicy(partition: string, hostedZoneId: string, domain: string): PolicyDocument {
  const zoneArn = `arn:${partition}:route53:::hostedzone/${hostedZoneId}`;
  const below = `*.${domain.toLowerCase().replace(/\.$/, "")}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Action: ["route53:ChangeResourceRecordSets"],
        Resource: [zoneArn],
        Condition: {
          "ForAllValues:StringLike": { "route53:ChangeResourceRecordSetsNormalizedRecordNames": [below] },
          "ForAllValues:StringEquals": {
            "route53:ChangeResourceRecordSetsRecordTypes": [...EXTERNAL_DNS_RECORD_TYPES],
          },
        },
      },
      {
        Effect: "Allow",
        Action: ["route53:ListResourceRecordSets", "route53:ListTagsForResources"],
        Resource: [zoneArn],
      },
      { Effect: "Allow", Action: ["route53:ListHostedZones"], Resource: ["*"] },
    ],
  };
}
