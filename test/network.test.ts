import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AWS } from "../components/resource-types";
import { ofType, type ProgramRun, type RecordedResource, runProgram } from "../render/harness";

// The tags the AWS Load Balancer Controller discovers subnets by (its docs, "Subnet auto-discovery"):
// kubernetes.io/role/elb for internet-facing load balancers, kubernetes.io/role/internal-elb for internal ones.
const PUBLIC_SUBNET_ROLE_TAG = "kubernetes.io/role/elb";
const PRIVATE_SUBNET_ROLE_TAG = "kubernetes.io/role/internal-elb";

const CLUSTER_TAG = "kubernetes.io/cluster/eks-platform-dev";

function subnets(run: ProgramRun, kind: "public" | "private"): RecordedResource[] {
  return ofType(run, AWS.subnet).filter((s) => s.name.startsWith(`network-${kind}-`));
}
const tags = (r: RecordedResource) => r.inputs.tags as Record<string, string>;

/** The NAT gateway a private subnet's default route leaves through, found by following the route table. */
function natOfPrivateSubnet(run: ProgramRun, subnet: RecordedResource): RecordedResource {
  const association = ofType(run, AWS.routeTableAssociation).find((a) => a.inputs.subnetId === `${subnet.name}-id`);
  assert.ok(association, `no route table for ${subnet.name}`);
  const table = ofType(run, AWS.routeTable).find((t) => `${t.name}-id` === association.inputs.routeTableId);
  assert.ok(table);
  const routes = table.inputs.routes as Array<Record<string, string>>;
  const defaultRoute = routes.find((r) => r.cidrBlock === "0.0.0.0/0");
  assert.ok(defaultRoute?.natGatewayId, `${subnet.name} has no default route through a NAT gateway`);
  const nat = ofType(run, AWS.natGateway).find((n) => `${n.name}-id` === defaultRoute.natGatewayId);
  assert.ok(nat);
  return nat;
}

function zoneOfNat(run: ProgramRun, nat: RecordedResource): string {
  const subnet = ofType(run, AWS.subnet).find((s) => `${s.name}-id` === nat.inputs.subnetId);
  assert.ok(subnet);
  return String(subnet.inputs.availabilityZone);
}

describe("network", async () => {
  const [perZone, single] = await Promise.all([runProgram(), runProgram({ config: { natGateways: "single" } })]);

  it("spans three zones, each with one public and one private subnet", () => {
    for (const kind of ["public", "private"] as const) {
      const zones = subnets(perZone, kind)
        .map((s) => s.inputs.availabilityZone)
        .sort();
      assert.deepEqual(zones, ["ap-northeast-2a", "ap-northeast-2b", "ap-northeast-2c"], kind);
    }
  });

  it("tags public subnets for internet-facing and private ones for internal load balancers, all shared with the cluster", () => {
    const publicSubnets = subnets(perZone, "public");
    assert.equal(publicSubnets.length, 3, "three public subnets, one per zone");
    for (const s of publicSubnets) {
      assert.equal(tags(s)[PUBLIC_SUBNET_ROLE_TAG], "1");
      assert.equal(tags(s)[PRIVATE_SUBNET_ROLE_TAG], undefined);
      assert.equal(tags(s)[CLUSTER_TAG], "shared");
    }
    const privateSubnets = subnets(perZone, "private");
    assert.equal(privateSubnets.length, 3, "three private subnets, one per zone");
    for (const s of privateSubnets) {
      assert.equal(tags(s)[PRIVATE_SUBNET_ROLE_TAG], "1");
      assert.equal(tags(s)[PUBLIC_SUBNET_ROLE_TAG], undefined);
      assert.equal(tags(s)[CLUSTER_TAG], "shared");
    }
  });

  it("enables DNS support and hostnames on the VPC", () => {
    const [vpc] = ofType(perZone, AWS.vpc);
    assert.equal(vpc.inputs.enableDnsSupport, true);
    assert.equal(vpc.inputs.enableDnsHostnames, true);
  });

  it("sizes private subnets for prefix delegation: much larger than public ones", () => {
    const prefix = (s: RecordedResource) => Number(String(s.inputs.cidrBlock).split("/")[1]);
    const privateSubnets = subnets(perZone, "private");
    const publicSubnets = subnets(perZone, "public");
    assert.equal(privateSubnets.length, 3, "three private subnets, one per zone");
    assert.equal(publicSubnets.length, 3, "three public subnets, one per zone");
    for (const s of privateSubnets) assert.equal(prefix(s), 18);
    for (const s of publicSubnets) assert.equal(prefix(s), 22);
  });

  it("with perZone, each private subnet leaves through the NAT gateway of its own zone", () => {
    assert.equal(ofType(perZone, AWS.natGateway).length, 3);
    const privateSubnets = subnets(perZone, "private");
    assert.equal(privateSubnets.length, 3, "three private subnets, one per zone");
    for (const s of privateSubnets) {
      assert.equal(zoneOfNat(perZone, natOfPrivateSubnet(perZone, s)), s.inputs.availabilityZone);
    }
  });

  it("with single, one NAT gateway in a public subnet serves every private subnet", () => {
    const nats = ofType(single, AWS.natGateway);
    assert.equal(nats.length, 1);
    const privateSubnets = subnets(single, "private");
    assert.equal(privateSubnets.length, 3, "three private subnets, one per zone");
    for (const s of privateSubnets) assert.equal(natOfPrivateSubnet(single, s).urn, nats[0].urn);
    assert.match(String(nats[0].inputs.subnetId), /network-public-/);
  });

  it("public subnets route to the internet gateway", () => {
    const publicTable = ofType(perZone, AWS.routeTable).find((t) => t.name === "network-public");
    assert.deepEqual(publicTable?.inputs.routes, [{ cidrBlock: "0.0.0.0/0", gatewayId: "network-igw-id" }]);
  });
});
