import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseCidr, subnetLayout } from "../components/network/subnets";

function range(cidr: string): [number, number] {
  const parsed = parseCidr(cidr);
  if (typeof parsed === "string") throw new Error(parsed);
  return [parsed.address, parsed.address + 2 ** (32 - parsed.prefix) - 1];
}

describe("subnet layout", () => {
  it("gives a /16 three /18 private and three /22 public subnets", () => {
    assert.deepEqual(subnetLayout("10.0.0.0/16"), {
      privateCidrs: ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18"],
      publicCidrs: ["10.0.192.0/22", "10.0.196.0/22", "10.0.200.0/22"],
    });
  });

  for (const vpc of ["10.0.0.0/16", "172.20.0.0/17", "192.168.16.0/20"]) {
    it(`keeps every subnet of ${vpc} inside the VPC, disjoint, private 16× the public size`, () => {
      const layout = subnetLayout(vpc);
      const [vpcStart, vpcEnd] = range(vpc);
      const all = [...layout.privateCidrs, ...layout.publicCidrs].map(range).sort((a, b) => a[0] - b[0]);
      for (const [start, end] of all) assert.ok(start >= vpcStart && end <= vpcEnd, `${start}-${end} outside ${vpc}`);
      for (let i = 1; i < all.length; i++) assert.ok(all[i][0] > all[i - 1][1], "subnets overlap");
      const size = (c: string) => range(c)[1] - range(c)[0] + 1;
      assert.equal(size(layout.privateCidrs[0]), 16 * size(layout.publicCidrs[0]));
    });
  }

  it("rejects malformed CIDRs with the reason", () => {
    assert.match(String(parseCidr("10.0.0.0")), /not an IPv4 CIDR/);
    assert.match(String(parseCidr("10.0.300.0/16")), /octet above 255/);
    assert.match(String(parseCidr("10.0.0.1/16")), /host bits set.*10\.0\.0\.0\/16/);
    assert.throws(() => subnetLayout("10.0.0.0/24"), /\/16 to \/20/);
  });
});
