/**
 * NetworkPolicies, as plain specs: a default deny for ingress in every app and lab namespace, then
 * exactly what each workload needs. Enforced by the VPC CNI's network policy agent (vpc-cni add-on
 * `enableNetworkPolicy: "true"`). Traffic from the pod's own node, which is where kubelet probes come
 * from, is always allowed (Kubernetes docs, Network Policies: "traffic to and from the node where a Pod
 * is running is always allowed"), so probes need no rule.
 */
import type * as k8s from "@pulumi/kubernetes";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;

/** Every pod of the namespace, no ingress unless another policy allows it. */
export function defaultDenyIngress(): NetworkPolicySpec {
  return { podSelector: {}, policyTypes: ["Ingress"] };
}

/** An ipBlock peer: a CIDR, less the ranges it must not admit. */
export interface IpBlock {
  readonly cidr: string;
  readonly except?: readonly string[];
}

/**
 * Where a load balancer's traffic to IP targets comes from. Internet-facing load balancers have their
 * addresses in the public subnets (that is where the controller places them, by the subnets' role tag),
 * and an ALB connects, and every load balancer health-checks, from those addresses. An NLB with client
 * IP preservation (our NLBs' target group attribute `preserve_client_ip.enabled=true`) delivers the
 * client's own address, anywhere on the internet: that port is open to every address but the private
 * subnets, and the NLB's security group decides who reaches it. The private subnets are excluded in both
 * cases because, with the VPC CNI, every pod's address is in them: "from the VPC" would admit every pod.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#client-ip-preservation
 */
export function loadBalancerSources(args: {
  publicSubnetCidrs: readonly string[];
  privateSubnetCidrs: readonly string[];
  behindNlbPreservingClientIp: boolean;
}): IpBlock[] {
  return args.behindNlbPreservingClientIp
    ? [{ cidr: "0.0.0.0/0", except: [...args.privateSubnetCidrs] }]
    : args.publicSubnetCidrs.map((cidr) => ({ cidr }));
}

/** The load balancers' traffic (and health checks) to an app's container port, and nothing else. */
export function allowLoadBalancers(args: {
  selector: Record<string, string>;
  port: number;
  sources: readonly IpBlock[];
}): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { ...args.selector } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: args.sources.map((block) => ({
          ipBlock: { cidr: block.cidr, ...(block.except ? { except: [...block.except] } : {}) },
        })),
        ports: [{ protocol: "TCP", port: args.port }],
      },
    ],
  };
}

/** Pods of one namespace (with these labels) to pods of another, on one port. */
export function allowPodsFrom(args: {
  selector: Record<string, string>;
  port: number | string;
  fromNamespace: string;
  fromPods: Record<string, string>;
}): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { ...args.selector } },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.fromNamespace } },
            podSelector: { matchLabels: { ...args.fromPods } },
          },
        ],
        ports: [{ protocol: "TCP", port: args.port }],
      },
    ],
  };
}
