import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";
import { accessLogBucketPolicy, type LogBucketPolicyArgs } from "./log-delivery";

export interface AccessLogBucketArgs extends LogBucketPolicyArgs {
  /** Days an access log stays before S3 expires it (config accessLogRetentionDays). */
  readonly retentionDays: number;
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The S3 bucket every ALB and NLB of the stack writes its access logs to (checkov CKV_AWS_91): private
 * (public access blocked, ACLs off), encrypted with SSE-S3 (the only encryption ALB log delivery supports,
 * ELB guide application/enable-access-logs.html), TLS-only, expiring logs after the configured days, and
 * emptied on `pulumi destroy` (forceDestroy) so teardown never strands it.
 *
 * Load balancers wait for `ready` (the delivery policy): ELB checks that it may write when access logs are
 * turned on. On destroy the order reverses: the load balancers go first, then the policy (no more
 * deliveries), then the bucket with whatever the last deliveries left.
 */
export class AccessLogBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  /** What a load balancer writing here waits for. */
  public readonly ready: pulumi.Resource[];

  constructor(name: string, args: AccessLogBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.accessLogBucket, name, {}, opts);
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: args.bucketName, forceDestroy: true, tags: args.tags },
      parent,
    );
    const ownership = new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-expiry`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: {},
            expiration: { days: args.retentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      parent,
    );
    // After the public-access block (S3 answers OperationAborted to concurrent bucket-level writes).
    const policy = new aws.s3.BucketPolicy(
      `${name}-delivery`,
      { bucket: bucket.id, policy: JSON.stringify(accessLogBucketPolicy(args)) },
      { parent: this, dependsOn: [publicAccess, ownership, encryption] },
    );
    this.bucketName = bucket.bucket;
    this.ready = [policy];
    this.registerOutputs({ bucketName: this.bucketName });
  }
}
