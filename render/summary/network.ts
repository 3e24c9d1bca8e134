import { AWS } from "../../components/resource-types";
import { ofType, type ResourceGraph } from "../harness";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

export interface SubnetFacts {
  readonly urn: string;
  readonly zone: string;
  readonly cidr: string;
  readonly public: boolean;
}

export function subnets(run: ResourceGraph): SubnetFacts[] {
  return ofType(run, AWS.subnet)
    .map((r) => {
      const tags = (r.inputs.tags ?? {}) as Record<string, string>;
      return {
        urn: r.urn,
        zone: String(r.inputs.availabilityZone),
        cidr: String(r.inputs.cidrBlock),
        public: "kubernetes.io/role/elb" in tags,
      };
    })
    .sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : Number(b.public) - Number(a.public)));
}

export const networkSection: SummarySectionBuilder = ({ run, config }) => {
  const vpc = ofType(run, AWS.vpc)[0];
  const all = subnets(run);
  const zones = [...new Set(all.map((s) => s.zone))];
  const byUrn = new Map(all.map((s) => [s.urn, s]));
  const natZones = ofType(run, AWS.natGateway).map(
    (nat) => nat.dependencies.map((urn) => byUrn.get(urn)?.zone).find((z): z is string => z !== undefined) ?? "?",
  );
  const nat =
    natZones.length === 0
      ? "none"
      : natZones.length === zones.length && new Set(natZones).size === zones.length
        ? `one NAT gateway per zone (${natZones.length}): each zone's egress stays in it`
        : `${natZones.length} NAT gateway${natZones.length > 1 ? "s" : ""} (in ${natZones.join(", ")}) for ${zones.length} zones: a zone's outage cuts the others' egress`;
  const cidrOf = (zone: string, isPublic: boolean) =>
    all.find((s) => s.zone === zone && s.public === isPublic)?.cidr ?? "-";
  return {
    title: "Network",
    body: [
      `Region \`${config["aws:region"] ?? "?"}\`, zones ${zones.map((z) => `\`${z}\``).join(", ")}; VPC \`${String(vpc?.inputs.cidrBlock ?? "?")}\`; NAT: ${nat}.`,
      table(
        ["zone", "public subnet", "private subnet"],
        zones.map((z) => [z, cidrOf(z, true), cidrOf(z, false)]),
      ),
    ].join("\n\n"),
  };
};
