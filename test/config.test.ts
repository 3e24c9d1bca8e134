import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { parse as parseYaml } from "yaml";
import { CONFIG_DEFAULTS, ConfigError } from "../config";
import { PROJECT_ROOT, ProgramError, runProgram } from "./harness";

/** Runs the program with bad configuration; returns the problem lines. Fails if anything was registered. */
async function problemsFor(config: Record<string, string>): Promise<string[]> {
  try {
    await runProgram({ config });
  } catch (error) {
    assert.ok(error instanceof ProgramError, String(error));
    assert.ok(error.error instanceof ConfigError, `expected a ConfigError, got ${String(error.error)}`);
    assert.deepEqual(error.resources, [], "bad configuration must fail before any resource is registered");
    return [...error.error.problems];
  }
  assert.fail("the program accepted bad configuration");
}

describe("configuration", () => {
  it("Pulumi.yaml declares every key, with type, description and the same default as config.ts", () => {
    const project = parseYaml(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as {
      config: Record<string, { type: string; description: string; default: unknown }>;
    };
    assert.deepEqual(Object.keys(project.config).sort(), Object.keys(CONFIG_DEFAULTS).sort());
    for (const [key, decl] of Object.entries(project.config)) {
      assert.ok(decl.type && decl.description, `${key} lacks a type or description`);
      assert.deepEqual(decl.default, CONFIG_DEFAULTS[key as keyof typeof CONFIG_DEFAULTS], `default of ${key}`);
    }
  });

  it("the dev stack is in ap-northeast-2 and picks the region's first three zones", async () => {
    const run = await runProgram();
    const zones = run.resources.filter((r) => r.type === "aws:ec2/subnet:Subnet").map((r) => r.inputs.availabilityZone);
    assert.deepEqual([...new Set(zones)].sort(), ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"]);
  });

  const badCases: Array<[string, Record<string, string>, string, RegExp]> = [
    ["a malformed CIDR", { vpcCidr: "10.0.0/16" }, "vpcCidr", /IPv4 CIDR/],
    ["a CIDR with host bits", { vpcCidr: "10.0.0.1/16" }, "vpcCidr", /host bits/],
    ["a VPC prefix too small for the layout", { vpcCidr: "10.0.0.0/24" }, "vpcCidr", /\/16 to \/20/],
    ["two zones", { availabilityZones: '["ap-northeast-2a","ap-northeast-2b"]' }, "availabilityZones", /exactly three/],
    ["zones of another region", { availabilityZones: '["us-east-1a","us-east-1b","us-east-1c"]' }, "availabilityZones", /zones of region ap-northeast-2.*us-east-1a/],
    ["a repeated zone", { availabilityZones: '["ap-northeast-2a","ap-northeast-2a","ap-northeast-2b"]' }, "availabilityZones", /different/],
    ["an unknown NAT strategy", { natGateways: "double" }, "natGateways", /"perZone", "single"/],
    ["an unknown capacity type", { nodeCapacityType: "RESERVED" }, "nodeCapacityType", /"ON_DEMAND", "SPOT"/],
    ["fewer than three nodes", { nodeMinSize: "2" }, "nodeMinSize", /at least 3/],
    ["desired below min", { nodeMinSize: "4", nodeDesiredSize: "3" }, "nodeDesiredSize", /nodeMinSize <= nodeDesiredSize <= nodeMaxSize/],
    ["max below desired", { nodeDesiredSize: "7", nodeMaxSize: "6" }, "nodeDesiredSize", /got 3 \/ 7 \/ 6/],
    ["a size that is not a number", { nodeMaxSize: "many" }, "nodeMaxSize", /whole number/],
    ["a max-pods override above what m5.large addresses without prefix delegation", { nodeInstanceTypes: '["m5.large"]', prefixDelegation: "false", maxPodsOverride: "30" }, "maxPodsOverride", /at most 29/],
    ["a max-pods override above what m5.large addresses with prefix delegation", { nodeInstanceTypes: '["m5.large"]', maxPodsOverride: "435" }, "maxPodsOverride", /at most 434/],
    ["an STS session as admin", { adminPrincipalArns: '["arn:aws:sts::123456789012:assumed-role/Admin/me"]' }, "adminPrincipalArns", /IAM role or user ARNs/],
    ["an admin that is not an ARN", { adminPrincipalArns: '["alice"]' }, "adminPrincipalArns", /IAM role or user ARNs/],
    ["an empty instance-type list", { nodeInstanceTypes: "[]" }, "nodeInstanceTypes", /at least one instance type/],
    ["instance types that are not a list", { nodeInstanceTypes: "m5.large" }, "nodeInstanceTypes", /JSON list/],
    ["an instance type EC2 does not offer", { nodeInstanceTypes: '["m5.huge"]' }, "nodeInstanceTypes", /does not offer m5\.huge/],
    ["instance types of two architectures", { nodeInstanceTypes: '["m7i.large","m7g.large"]' }, "nodeInstanceTypes", /one CPU architecture/],
    ["a Kubernetes version EKS no longer runs", { kubernetesVersion: "1.29" }, "kubernetesVersion", /1\.33 or newer/],
    ["a malformed Kubernetes version", { kubernetesVersion: "v1.35.0" }, "kubernetesVersion", /minor version/],
    ["a prefix delegation flag that is not a boolean", { prefixDelegation: "yes" }, "prefixDelegation", /true or false/],
    ["a malformed public access CIDR", { publicAccessCidrs: '["203.0.113.7"]' }, "publicAccessCidrs", /IPv4 CIDR/],
    ["a malformed domain", { domain: "Not A Domain" }, "domain", /DNS domain/],
    ["a domain with no public hosted zone", { domain: "shop.example.invalid" }, "domain", /public Route 53 hosted zone named shop\.example\.invalid/],
    ["replicas that are not a multiple of three", { echoReplicas: "4" }, "echoReplicas", /multiple of 3/],
    ["fewer than three replicas", { marioReplicas: "1" }, "marioReplicas", /multiple of 3/],
    ["a malformed image reference", { tetrisImage: "Tetris Image!" }, "tetrisImage", /image reference/],
    ["a cross-zone flag that is not a boolean", { nlbCrossZoneLoadBalancing: "maybe" }, "nlbCrossZoneLoadBalancing", /true or false/],
  ];
  for (const [what, config, key, expected] of badCases) {
    it(`rejects ${what}, naming eks-platform:${key}`, async () => {
      const problems = await problemsFor(config);
      const line = problems.find((p) => p.startsWith(`eks-platform:${key}:`));
      assert.ok(line, `no line for ${key} in:\n${problems.join("\n")}`);
      assert.match(line, expected);
    });
  }

  it("reports every bad key at once, one line each", async () => {
    const problems = await problemsFor({ vpcCidr: "banana", natGateways: "none", nodeMinSize: "1", adminPrincipalArns: '["bob"]' });
    assert.deepEqual(
      problems.map((p) => p.split(":")[1]).sort(),
      ["adminPrincipalArns", "natGateways", "nodeMinSize", "vpcCidr"],
    );
  });
});
