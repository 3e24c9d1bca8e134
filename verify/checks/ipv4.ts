/** IPv4 addresses and CIDR blocks, for "is the client address inside the VPC". */

/** The address as a 32-bit unsigned number, or undefined when it is not a dotted-quad IPv4 address. */
export function ipv4ToNumber(address: string): number | undefined {
  const parts = address.trim().split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const octet = Number(part);
    if (octet > 255) return undefined;
    value = value * 256 + octet;
  }
  return value;
}

export interface Ipv4Cidr {
  readonly network: number;
  readonly prefix: number;
}

export function parseCidr(cidr: string): Ipv4Cidr | undefined {
  const [address, prefixText, ...rest] = cidr.trim().split("/");
  if (rest.length > 0 || prefixText === undefined || !/^\d{1,2}$/.test(prefixText)) return undefined;
  const base = ipv4ToNumber(address);
  const prefix = Number(prefixText);
  if (base === undefined || prefix > 32) return undefined;
  return { network: base - (base % 2 ** (32 - prefix)), prefix };
}

export function cidrContains(cidr: Ipv4Cidr, address: string): boolean {
  const value = ipv4ToNumber(address);
  if (value === undefined) return false;
  return value - (value % 2 ** (32 - cidr.prefix)) === cidr.network;
}
