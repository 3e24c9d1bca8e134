/**
 * Values `pulumi up` accepts but that are likely not what was meant: said as warnings, one line each, naming
 * the keys (the deploy goes on; the offline render prints them).
 */
import { parseCidr } from "../components/network/subnets";
import { CONFIG_DEFAULTS, keyName } from "./keys";
import type { ConfigValues } from "./schema";

/** The keys that only shape Karpenter's NodePools and limits: with karpenter=false nothing reads them. */
export const KARPENTER_ONLY_KEYS = (Object.keys(CONFIG_DEFAULTS) as Array<keyof typeof CONFIG_DEFAULTS>).filter(
  (key) => key.startsWith("karpenter") && key !== "karpenter",
);

/**
 * The private IPv4 ranges: RFC 1918's three, and RFC 6598's shared address space, which AWS also accepts for
 * a VPC (VPC user guide, vpc-cidr-blocks.html).
 */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] as const;

/** Whether a CIDR lies wholly inside one of the private ranges. */
export function isPrivateCidr(cidr: string): boolean {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") return false;
  return PRIVATE_RANGES.some((range) => {
    const block = parseCidr(range);
    if (typeof block === "string") return false;
    const size = 2 ** (32 - block.prefix);
    return parsed.prefix >= block.prefix && Math.floor(parsed.address / size) === Math.floor(block.address / size);
  });
}

/** The warnings for values that parse and resolve, but that are likely not what was meant. */
export function configWarnings(values: ConfigValues): string[] {
  const warnings: string[] = [];
  if (!values.karpenter) {
    // Set means "not the default": a key restated at its default does nothing either way.
    const set = KARPENTER_ONLY_KEYS.filter(
      (key) => JSON.stringify(values[key]) !== JSON.stringify(CONFIG_DEFAULTS[key]),
    );
    if (set.length > 0)
      warnings.push(
        `${set.map(keyName).join(", ")}: no effect with ${keyName("karpenter")} false (${set.length === 1 ? "it shapes" : "they shape"} the NodePools Karpenter would run): remove ${set.length === 1 ? "it" : "them"}, or turn karpenter on`,
      );
  }
  if (!isPrivateCidr(values.vpcCidr))
    warnings.push(
      `${keyName("vpcCidr")}: ${values.vpcCidr} is not a private range (RFC 1918: 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16; RFC 6598: 100.64.0.0/10): the internet's hosts at those addresses become unreachable from the cluster, whose traffic to them stays in the VPC`,
    );
  return warnings;
}
