/**
 * Advisory: fewer public zonal NAT gateways than the zones the stack's subnets span (natGateways:
 * single). "If you have resources in multiple Availability Zones and they share one NAT gateway, and
 * if the NAT gateway's Availability Zone is down, resources in the other Availability Zones lose
 * internet access. To improve resiliency, create a NAT gateway in each Availability Zone" (Amazon VPC
 * user guide, NAT gateway basics: https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html);
 * the traffic from the other zones also pays cross-zone data transfer. A team may choose it to save
 * the hourly cost of two gateways. A regional NAT gateway (availabilityMode: regional) spans zones
 * itself, and a private one (connectivityType: private) is not an internet exit: neither is counted.
 */
import { type StackInput, type StackViolation, str } from "./props";
import { AWS } from "./resource-types";

export const NAT_GATEWAY_TYPE = AWS.natGateway;
export const SUBNET_TYPE = AWS.subnet;

export function natGatewayPerZone(resources: readonly StackInput[]): StackViolation[] {
  const gateways = resources.filter(
    (r) => r.type === NAT_GATEWAY_TYPE && str(r.props, "connectivityType") !== "private",
  );
  if (gateways.some((g) => str(g.props, "availabilityMode") === "regional")) return [];
  const zonal = gateways.length;
  if (zonal === 0) return [];
  const zones = new Set(
    resources
      .filter((r) => r.type === SUBNET_TYPE)
      .map((r) => str(r.props, "availabilityZone") ?? str(r.props, "availabilityZoneId"))
      .filter((z): z is string => z !== undefined),
  );
  // Without known zones, one gateway is the case to flag (natGateways: single).
  const needed = zones.size > 0 ? zones.size : 2;
  return zonal < needed
    ? [
        {
          message: `${zonal} NAT gateway(s) for subnets in ${zones.size > 0 ? `${zones.size} zones` : "several zones"}: one zone's outage cuts the others' egress (natGateways: perZone gives each zone its own)`,
        },
      ]
    : [];
}
