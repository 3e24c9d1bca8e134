/**
 * Subnet layout carved from the VPC CIDR: pure IPv4 arithmetic, no resources.
 *
 * The VPC is cut into four quarters. Quarters 0-2 are the private subnets, one per zone: pods take
 * their addresses from them, and with prefix delegation each node reserves whole /28 blocks, so they
 * get three quarters of the space. The last quarter holds the public subnets (load balancers and NAT
 * gateways only), each a sixteenth of it: a /16 VPC gives three /18 private and three /22 public subnets.
 */

export interface SubnetLayout {
  /** One CIDR per zone, in zone order. */
  readonly privateCidrs: readonly string[];
  readonly publicCidrs: readonly string[];
}

/** VPC prefixes the layout supports: /16 (AWS's largest) to /20 (public subnets stay at least /26). */
export const MIN_VPC_PREFIX = 16;
export const MAX_VPC_PREFIX = 20;
const ZONES = 3;

export interface ParsedCidr {
  readonly address: number;
  readonly prefix: number;
}

/** Parses `a.b.c.d/n`; returns a reason string when it is not an IPv4 network CIDR. */
export function parseCidr(cidr: string): ParsedCidr | string {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) {
    return `"${cidr}" is not an IPv4 CIDR of the form a.b.c.d/n`;
  }
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255)) {
    return `"${cidr}" has an octet above 255`;
  }
  if (prefix > 32) {
    return `"${cidr}" has a prefix above /32`;
  }
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - prefix;
  if (address % 2 ** hostBits !== 0) {
    return `"${cidr}" has host bits set (the network address is ${formatAddress(address - (address % 2 ** hostBits))}/${prefix})`;
  }
  return { address, prefix };
}

function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".");
}

function block(base: number, index: number, newPrefix: number): string {
  return `${formatAddress(base + index * 2 ** (32 - newPrefix))}/${newPrefix}`;
}

export function subnetLayout(vpcCidr: string): SubnetLayout {
  const parsed = parseCidr(vpcCidr);
  if (typeof parsed === "string") {
    throw new Error(`subnetLayout: ${parsed}`);
  }
  if (parsed.prefix < MIN_VPC_PREFIX || parsed.prefix > MAX_VPC_PREFIX) {
    throw new Error(`subnetLayout: VPC prefix must be /${MIN_VPC_PREFIX} to /${MAX_VPC_PREFIX}, got /${parsed.prefix}`);
  }
  const quarterPrefix = parsed.prefix + 2;
  const publicPrefix = parsed.prefix + 6;
  const publicBase = parsed.address + 3 * 2 ** (32 - quarterPrefix);
  const zones = Array.from({ length: ZONES }, (_, i) => i);
  return {
    privateCidrs: zones.map((i) => block(parsed.address, i, quarterPrefix)),
    publicCidrs: zones.map((i) => block(publicBase, i, publicPrefix)),
  };
}
