/**
 * The load-balancer attributes the stack sets through the controller's `load-balancer-attributes`
 * annotations, as the `key=value,...` string the controller reads (its stringMap form, v3.5.0 docs).
 * Only attribute keys the ELBv2 API documents for that load balancer type (API reference,
 * LoadBalancerAttribute: "attributes supported by all load balancers", "... by Application Load
 * Balancers", "... by Network Load Balancers"); a test holds the builders to these tables.
 */

/** Attribute keys every ELBv2 load balancer type supports that the stack may set. */
const COMMON_ATTRIBUTE_KEYS = ["deletion_protection.enabled", "load_balancing.cross_zone.enabled"] as const;
/** ALB attribute keys (API reference, LoadBalancerAttribute), the ones this stack may set. */
export const ALB_ATTRIBUTE_KEYS = [
  ...COMMON_ATTRIBUTE_KEYS,
  "access_logs.s3.enabled",
  "access_logs.s3.bucket",
  "access_logs.s3.prefix",
  "routing.http.drop_invalid_header_fields.enabled",
] as const;
/** NLB attribute keys (same reference): access logs too (written for TLS listeners only). */
export const NLB_ATTRIBUTE_KEYS = [
  ...COMMON_ATTRIBUTE_KEYS,
  "access_logs.s3.enabled",
  "access_logs.s3.bucket",
  "access_logs.s3.prefix",
] as const;

export interface EdgeAttributeArgs {
  /** The stack's access-log bucket and this load balancer's prefix in it. */
  readonly accessLogs: { readonly bucket: string; readonly prefix: string };
  /** deletion_protection.enabled (config loadBalancerDeletionProtection). */
  readonly deletionProtection: boolean;
}

function attributeString(attributes: Readonly<Record<string, string | boolean>>): string {
  return Object.entries(attributes)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(",");
}

function accessLogAttributes(args: EdgeAttributeArgs): Record<string, string | boolean> {
  return {
    "access_logs.s3.enabled": true,
    "access_logs.s3.bucket": args.accessLogs.bucket,
    "access_logs.s3.prefix": args.accessLogs.prefix,
  };
}

/**
 * An ALB's attributes: invalid HTTP header fields dropped before they reach the pods (checkov
 * CKV_AWS_131), access logs to the stack's bucket (CKV_AWS_91), deletion protection as configured (CKV_AWS_150).
 */
export function albAttributes(args: EdgeAttributeArgs): string {
  return attributeString({
    "routing.http.drop_invalid_header_fields.enabled": true,
    ...accessLogAttributes(args),
    "deletion_protection.enabled": args.deletionProtection,
  });
}

/** An NLB's attributes: cross-zone as configured, access logs, deletion protection as configured. */
export function nlbAttributes(args: EdgeAttributeArgs & { readonly crossZone: boolean }): string {
  return attributeString({
    "load_balancing.cross_zone.enabled": args.crossZone,
    ...accessLogAttributes(args),
    "deletion_protection.enabled": args.deletionProtection,
  });
}

/** The attributes of a `key=value,...` string, for readers (the policy pack, the summary, the tests). */
export function parseAttributes(value: string): Record<string, string> {
  return Object.fromEntries(
    value
      .split(",")
      .filter((pair) => pair.includes("="))
      .map((pair) => [pair.slice(0, pair.indexOf("=")).trim(), pair.slice(pair.indexOf("=") + 1).trim()]),
  );
}
