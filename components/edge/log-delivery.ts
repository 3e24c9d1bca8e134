/**
 * Who writes the load balancers' access logs into the stack's bucket, as plain JSON, and the bucket's name.
 *
 * - Application Load Balancers: in Regions available before August 2022, Elastic Load Balancing's own
 *   account of the Region; in later ones, the service principal `logdelivery.elasticloadbalancing.amazonaws.com`.
 *   ELB user guide, "Enable access logs for your Application Load Balancer", step "Attach a policy to your
 *   S3 bucket" (application/enable-access-logs.html). The account table below is that page's; the provider's
 *   own copy is aws.elb.getServiceAccount (terraform-provider-aws internal/service/elb/service_account_data_source.go).
 *   Both statements go in: in an older Region the service principal statement is unused, never wider.
 * - Network Load Balancers (TLS listeners only): the log delivery service `delivery.logs.amazonaws.com`,
 *   with the confused-deputy conditions and the bucket-owner-full-control ACL (network/enable-access-logs.html).
 *
 * Objects land under `<prefix>/AWSLogs/<account>/...` (a prefix must not contain `AWSLogs`), so every grant
 * is for this account's logs only. SSE-S3 is the only bucket encryption ALB delivery supports (same page).
 */
import { createHash } from "node:crypto";
import type { PolicyDocument } from "../iam/policy-document";

/** Elastic Load Balancing's account per Region available before August 2022 (the ELB guide's table). */
export const ELB_ACCOUNT_BY_REGION: Readonly<Record<string, string>> = {
  "us-east-1": "127311923021",
  "us-east-2": "033677994240",
  "us-west-1": "027434742980",
  "us-west-2": "797873946194",
  "af-south-1": "098369216593",
  "ap-east-1": "754344448648",
  "ap-southeast-3": "589379963580",
  "ap-south-1": "718504428378",
  "ap-northeast-3": "383597477331",
  "ap-northeast-2": "600734575887",
  "ap-southeast-1": "114774131450",
  "ap-southeast-2": "783225319266",
  "ap-northeast-1": "582318560864",
  "ca-central-1": "985666609251",
  "eu-central-1": "054676820928",
  "eu-west-1": "156460612806",
  "eu-west-2": "652711504416",
  "eu-south-1": "635631232127",
  "eu-west-3": "009996457667",
  "eu-north-1": "897822967062",
  "me-south-1": "076674570225",
  "sa-east-1": "507241528517",
  "us-gov-west-1": "048591011584",
  "us-gov-east-1": "190560391635",
  "cn-north-1": "638102146993",
  "cn-northwest-1": "037604701340",
};

export const ALB_LOG_DELIVERY_PRINCIPAL = "logdelivery.elasticloadbalancing.amazonaws.com";
export const NLB_LOG_DELIVERY_PRINCIPAL = "delivery.logs.amazonaws.com";

export interface LogBucketPolicyArgs {
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** The AWS account id, for ARNs. */
  readonly accountId: string;
  /** The access-log bucket's name. */
  readonly bucketName: string;
}

export function accessLogBucketPolicy(args: LogBucketPolicyArgs): PolicyDocument {
  const bucketArn = `arn:${args.partition}:s3:::${args.bucketName}`;
  const ourLogs = `${bucketArn}/*/AWSLogs/${args.accountId}/*`;
  const elbAccount = ELB_ACCOUNT_BY_REGION[args.region];
  const fromOurAccount = {
    StringEquals: { "aws:SourceAccount": args.accountId },
    ArnLike: { "aws:SourceArn": `arn:${args.partition}:logs:${args.region}:${args.accountId}:*` },
  };
  return {
    Version: "2012-10-17",
    Statement: [
      ...(elbAccount
        ? [
            {
              Sid: "AlbLogDeliveryByRegionAccount",
              Effect: "Allow" as const,
              Principal: { AWS: `arn:${args.partition}:iam::${elbAccount}:root` },
              Action: "s3:PutObject",
              Resource: ourLogs,
            },
          ]
        : []),
      {
        Sid: "AlbLogDelivery",
        Effect: "Allow",
        Principal: { Service: ALB_LOG_DELIVERY_PRINCIPAL },
        Action: "s3:PutObject",
        Resource: ourLogs,
      },
      {
        Sid: "NlbLogDelivery",
        Effect: "Allow",
        Principal: { Service: NLB_LOG_DELIVERY_PRINCIPAL },
        Action: "s3:PutObject",
        Resource: ourLogs,
        Condition: {
          ...fromOurAccount,
          StringEquals: { ...fromOurAccount.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" },
        },
      },
      {
        Sid: "NlbLogDeliveryAclCheck",
        Effect: "Allow",
        Principal: { Service: NLB_LOG_DELIVERY_PRINCIPAL },
        Action: "s3:GetBucketAcl",
        Resource: bucketArn,
        Condition: fromOurAccount,
      },
      {
        Sid: "TlsOnly",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/** S3 bucket names: 3-63 characters of lowercase letters, digits, hyphens (and dots, not used here). */
export const MAX_BUCKET_NAME_LENGTH = 63;

/**
 * The log bucket's name: the cluster's, the account's and the Region's, so two stacks never collide
 * (bucket names are global). A cluster name that is too long or not a valid bucket-name part is cut
 * and suffixed with a hash of the whole, so the name stays unique and stable.
 */
export function accessLogBucketName(args: { clusterName: string; accountId: string; region: string }): string {
  const suffix = `-lb-logs-${args.accountId}-${args.region}`;
  const cleaned = args.clusterName
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/-+/g, "-")
    .replace(/^-|-$/g, "");
  const fits = cleaned.length > 0 && cleaned.length + suffix.length <= MAX_BUCKET_NAME_LENGTH;
  if (fits && cleaned === args.clusterName) return `${cleaned}${suffix}`;
  const hash = createHash("sha256").update(args.clusterName).digest("hex").slice(0, 8);
  const room = MAX_BUCKET_NAME_LENGTH - suffix.length - hash.length - 1;
  const head = cleaned.slice(0, room).replace(/-$/, "");
  return `${head === "" ? "" : `${head}-`}${hash}${suffix}`;
}

/** Where one load balancer's logs go in the bucket: by kind and name (never containing "AWSLogs"). */
export function accessLogPrefix(kind: "alb" | "nlb", name: string): string {
  return `${kind}/${name}`;
}
