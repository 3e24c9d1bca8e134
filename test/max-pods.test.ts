import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type InstanceNetworkLimits,
  kubeReservedMemoryMiB,
  limitsFromEc2,
  maxPods,
  maxPodsCeiling,
  nodeGroupMaxPods,
} from "../components/cluster/max-pods";
import table from "./fixtures/eni-max-pods-sample.json";
import ec2 from "./fixtures/instance-types.json";

const limitsOf = (type: keyof typeof ec2.instanceTypes): InstanceNetworkLimits =>
  limitsFromEc2(ec2.instanceTypes[type]);

describe("maxPods reproduces AWS's max-pods calculator", () => {
  it(`matches every sampled row of eni-max-pods.txt uncapped without prefix delegation (${table.rows.length} rows)`, () => {
    for (const row of table.rows) {
      const limits = { maxEnis: row.maxEnis, ipv4PerEni: row.ipv4PerEni, vcpus: row.vcpus ?? 0, nitro: row.nitro };
      assert.equal(maxPods(limits, { prefixDelegation: false, cap: false }), row.expected, row.instanceType);
    }
  });

  // Cases the calculator's documentation gives (EKS user guide, cni-increase-ip-addresses and choosing-instance-type).
  const cases: Array<[string, keyof typeof ec2.instanceTypes, Parameters<typeof maxPods>[1], number]> = [
    ["m5.large without prefix delegation is 29", "m5.large", { prefixDelegation: false }, 29],
    ["m5.large with prefix delegation is 110 (capped)", "m5.large", { prefixDelegation: true }, 110],
    [
      "m5.large with prefix delegation uncapped is 3 × (9 × 16) + 2 = 434",
      "m5.large",
      { prefixDelegation: true, cap: false },
      434,
    ],
    ["m5.large with custom networking is 20", "m5.large", { prefixDelegation: false, customNetworking: true }, 20],
    [
      "m5.large with custom networking and prefix delegation uncapped is 290",
      "m5.large",
      { prefixDelegation: true, customNetworking: true, cap: false },
      290,
    ],
    [
      "m5.large limited to 1 ENI with prefix delegation is 1 × 144 + 2 = 146, capped 110",
      "m5.large",
      { prefixDelegation: true, maxEnis: 1 },
      110,
    ],
    [
      "m5.large limited to 1 ENI without prefix delegation is 11",
      "m5.large",
      { prefixDelegation: false, maxEnis: 1 },
      11,
    ],
    ["maxEnis above the instance's ENIs changes nothing", "m5.large", { prefixDelegation: false, maxEnis: 10 }, 29],
    ["t3.medium with prefix delegation is 110 (242 uncapped)", "t3.medium", { prefixDelegation: true }, 110],
    ["t3.medium without prefix delegation is 17", "t3.medium", { prefixDelegation: false }, 17],
    ["m5.24xlarge (96 vCPUs) is capped at 250, not 110", "m5.24xlarge", { prefixDelegation: true }, 250],
    [
      "m5.24xlarge without prefix delegation uncapped is 737",
      "m5.24xlarge",
      { prefixDelegation: false, cap: false },
      737,
    ],
    ["t2.micro (Xen) ignores prefix delegation: 4", "t2.micro", { prefixDelegation: true }, 4],
    [
      "m5.metal (no hypervisor reported) ignores prefix delegation: 737 uncapped",
      "m5.metal",
      { prefixDelegation: true, cap: false },
      737,
    ],
    ["c6g.medium (1 vCPU) with prefix delegation is 98", "c6g.medium", { prefixDelegation: true }, 98],
  ];
  for (const [title, type, options, expected] of cases) {
    it(title, () => assert.equal(maxPods(limitsOf(type), options), expected));
  }

  it("reads the default network card, not the instance-wide interface count", () => {
    const limits = limitsFromEc2({
      defaultNetworkCardIndex: 0,
      networkCards: [
        { index: 0, maximumInterfaces: 5 },
        { index: 1, maximumInterfaces: 5 },
      ],
      maximumNetworkInterfaces: 10,
      maximumIpv4AddressesPerInterface: 50,
      defaultVcpus: 128,
      hypervisor: "nitro",
    });
    assert.equal(limits.maxEnis, 5);
    // trn1.32xlarge in eni-max-pods.txt: 247 = 5 × 49 + 2.
    assert.equal(maxPods(limits, { prefixDelegation: false, cap: false }), 247);
  });
});

describe("node group max pods", () => {
  it("takes the smallest value over the group's instance types", () => {
    assert.equal(nodeGroupMaxPods([limitsOf("m5.xlarge"), limitsOf("t2.micro")], { prefixDelegation: false }), 4);
    assert.equal(nodeGroupMaxPods([limitsOf("m5.xlarge"), limitsOf("m5.large")], { prefixDelegation: false }), 29);
  });
  it("uses an override in place of the calculated value", () => {
    assert.equal(nodeGroupMaxPods([limitsOf("m5.large")], { prefixDelegation: true }, 64), 64);
  });
  it("bounds overrides by the uncapped value of the smallest type", () => {
    assert.equal(maxPodsCeiling([limitsOf("m5.large"), limitsOf("m5.xlarge")], { prefixDelegation: true }), 434);
    assert.equal(maxPodsCeiling([limitsOf("m5.large")], { prefixDelegation: false }), 29);
  });
  it("kube-reserved memory follows AWS's 11 × maxPods + 255 MiB", () => {
    assert.equal(kubeReservedMemoryMiB(29), 574);
    assert.equal(kubeReservedMemoryMiB(110), 1465);
  });
});
