/**
 * NetworkPolicies, as plain specs: a default deny for ingress and for egress in every app and lab
 * namespace, then exactly what each workload needs (the apps: cluster DNS alone; docs/network-policies.md). Enforced by the VPC CNI's network policy agent (vpc-cni add-on
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

/** Every pod of the namespace, no egress unless another policy allows it. */
export function defaultDenyEgress(): NetworkPolicySpec {
  return { podSelector: {}, policyTypes: ["Egress"] };
}

/**
 * Cluster DNS: CoreDNS's pods (kube-system, `k8s-app: kube-dns`, what the kube-dns Service selects) on 53, UDP
 * and TCP. With the VPC CNI's agent a selector reaches the Service's ClusterIP too: its controller adds the
 * ClusterIP of every Service whose selector the rule's podSelector satisfies, since the agent sees traffic
 * before kube-proxy's DNAT (aws/amazon-network-policy-controller-k8s @ ecc7e6a7 pkg/resolvers/endpoints.go
 * L451-455, L507-509).
 */
export function allowDns(): NetworkPolicySpec {
  return {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
        ],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ],
  };
}

/** Pods with these labels to pods of a namespace (with those labels), on one port: the egress half of allowPodsFrom. */
export function allowEgressToPods(args: {
  selector: Record<string, string>;
  toNamespace: string;
  toPods: Record<string, string>;
  port: number | string;
}): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { ...args.selector } },
    policyTypes: ["Egress"],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": args.toNamespace } },
            podSelector: { matchLabels: { ...args.toPods } },
          },
        ],
        ports: [{ protocol: "TCP", port: args.port }],
      },
    ],
  };
}

/**
 * Pods with these labels to the nodes' addresses (the private subnets), on these ports. A pod's own node is
 * always reachable; the others only through an ipBlock (the VPC CNI agent allows its own node's primary IP
 * alone: aws/aws-network-policy-agent @ f93c542b pkg/fwruleprocessor/fw_rule_processor.go L80-84).
 */
export function allowEgressToNodes(args: {
  selector: Record<string, string>;
  nodeCidrs: readonly string[];
  ports: readonly number[];
}): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: { ...args.selector } },
    policyTypes: ["Egress"],
    egress: [
      {
        to: args.nodeCidrs.map((cidr) => ({ ipBlock: { cidr } })),
        ports: args.ports.map((port) => ({ protocol: "TCP", port })),
      },
    ],
  };
}
