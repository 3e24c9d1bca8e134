import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { COMPONENTS } from "../resource-types";
import { FlowLogs, type FlowLogsArgs } from "./flow-logs";
import { subnetLayout } from "./subnets";

/** Subnet tags the AWS Load Balancer Controller discovers subnets by. https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/deploy/subnet_discovery/ */
export const PUBLIC_SUBNET_ROLE_TAG = "kubernetes.io/role/elb";
export const PRIVATE_SUBNET_ROLE_TAG = "kubernetes.io/role/internal-elb";
/** NAT layouts: `perZone` (one per zone) or `single` (one, in the first zone). */
export const NAT_STRATEGIES = ["perZone", "single"] as const;
export type NatStrategy = (typeof NAT_STRATEGIES)[number];

export const clusterTagKey = (clusterName: string): string => `kubernetes.io/cluster/${clusterName}`;

export interface NetworkArgs {
  /** VPC CIDR, /16 to /20. Default in config: 10.0.0.0/16. */
  readonly cidrBlock: string;
  /** Exactly three availability zones; one public and one private subnet in each. */
  readonly availabilityZones: readonly [string, string, string];
  /** Cluster whose subnets these are: tags them `kubernetes.io/cluster/<name>=shared`. */
  readonly clusterName: string;
  /** `perZone` (default): one NAT gateway per zone, no cross-zone egress or single point of failure; `single`: one, cheaper. */
  readonly natGateways: NatStrategy;
  /** Tags the private subnets carry besides their own (Karpenter's discovery tag, when it runs). */
  readonly privateSubnetTags?: Readonly<Record<string, string>>;
  /** Where the VPC's flow logs go: the group (name, retention, key) and the account that writes them. */
  readonly flowLogs: Omit<FlowLogsArgs, "vpcId" | "tags">;
  /** Tags for every resource. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** A VPC across three zones: public subnets for load balancers and NAT, private subnets for nodes and pods. */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  public readonly publicSubnetIds: pulumi.Output<string>[];
  public readonly privateSubnetIds: pulumi.Output<string>[];
  public readonly natGatewayIds: pulumi.Output<string>[];
  /**
   * The private subnets' way out: NAT gateways, route tables and their associations. Whatever runs in
   * the private subnets depends on these (see ClusterArgs.nodeEgress), so nodes boot with egress and,
   * on destroy, these go only after everything that needed them to reach the AWS APIs.
   */
  public readonly privateEgress: pulumi.Resource[];
  /** The subnets' CIDRs, known before anything exists (the layout is pure arithmetic on the VPC's CIDR). */
  public readonly subnetCidrs: { readonly public: readonly string[]; readonly private: readonly string[] };

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.network, name, {}, opts);
    const parent = { parent: this };
    const tags = (extra: Record<string, string>): Record<string, string> => ({ ...args.tags, ...extra });
    const layout = subnetLayout(args.cidrBlock);
    const clusterTag = { [clusterTagKey(args.clusterName)]: "shared" };

    const vpc = new aws.ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: args.cidrBlock,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: tags({ Name: `${name}-vpc` }),
      },
      parent,
    );
    // The VPC's default security group allows nothing (checkov CKV2_AWS_12): adopting it revokes the rules AWS
    // gave it (all traffic among its members, all egress), and the explicit empty lists keep it so: ingress and
    // egress are Optional + Computed, so leaving them out would let a rule added later stay. Nothing here uses
    // the group: nodes and pods are in the cluster security group, load balancers in the controller's. Destroy
    // only forgets it. terraform-provider-aws internal/service/ec2/vpc_default_security_group.go
    // (commit 01f43111) L28 (Delete is a no-op), L127 (create revokes every rule), L41-L78 (schema).
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [], tags: tags({ Name: `${name}-default-closed` }) },
      parent,
    );
    new FlowLogs(`${name}-flow-logs`, { ...args.flowLogs, vpcId: vpc.id, tags: args.tags }, parent);
    const internetGateway = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: tags({ Name: `${name}-igw` }) },
      parent,
    );

    const publicRouteTable = new aws.ec2.RouteTable(
      `${name}-public`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: internetGateway.id }],
        tags: tags({ Name: `${name}-public` }),
      },
      parent,
    );

    const publicSubnets = args.availabilityZones.map((zone, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: layout.publicCidrs[i],
          // Only load balancers and NAT gateways live here; nothing needs a public IP by default.
          mapPublicIpOnLaunch: false,
          tags: tags({ Name: `${name}-public-${zone}`, [PUBLIC_SUBNET_ROLE_TAG]: "1", ...clusterTag }),
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${zone}`,
        { subnetId: subnet.id, routeTableId: publicRouteTable.id },
        parent,
      );
      return subnet;
    });

    // One NAT per zone keeps each zone's egress in the zone; "single" puts one in the first zone.
    const natZones = args.natGateways === "perZone" ? args.availabilityZones : args.availabilityZones.slice(0, 1);
    const natGateways = natZones.map((zone, i) => {
      const eip = new aws.ec2.Eip(
        `${name}-nat-${zone}`,
        { domain: "vpc", tags: tags({ Name: `${name}-nat-${zone}` }) },
        parent,
      );
      return new aws.ec2.NatGateway(
        `${name}-nat-${zone}`,
        { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: tags({ Name: `${name}-nat-${zone}` }) },
        // The NAT gateway needs the internet gateway attached before it can route. A replacement (its subnet
        // replaced) keeps the Elastic IP, which AWS lets one NAT gateway hold at a time (the new one fails with
        // Resource.AlreadyAssociated): the old one goes first, and the zone's egress stops until the new one is up.
        { parent: this, dependsOn: [internetGateway], deleteBeforeReplace: true },
      );
    });

    const privateEgress: pulumi.Resource[] = [...natGateways];
    const privateSubnets = args.availabilityZones.map((zone, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${zone}`,
        {
          vpcId: vpc.id,
          availabilityZone: zone,
          cidrBlock: layout.privateCidrs[i],
          tags: tags({
            Name: `${name}-private-${zone}`,
            [PRIVATE_SUBNET_ROLE_TAG]: "1",
            ...clusterTag,
            ...args.privateSubnetTags,
          }),
        },
        parent,
      );
      const nat = natGateways[Math.min(i, natGateways.length - 1)];
      const routeTable = new aws.ec2.RouteTable(
        `${name}-private-${zone}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: tags({ Name: `${name}-private-${zone}` }),
        },
        parent,
      );
      const association = new aws.ec2.RouteTableAssociation(
        `${name}-private-${zone}`,
        { subnetId: subnet.id, routeTableId: routeTable.id },
        parent,
      );
      privateEgress.push(routeTable, association);
      return subnet;
    });

    this.vpcId = vpc.id;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.natGatewayIds = natGateways.map((n) => n.id);
    this.privateEgress = privateEgress;
    this.subnetCidrs = { public: layout.publicCidrs, private: layout.privateCidrs };
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
      natGatewayIds: this.natGatewayIds,
    });
  }
}
