/**
 * The pack's policies: the invariants this blueprint promises, stated over resources as Pulumi sees
 * them, so they travel with the stack and run in `pulumi preview --policy-pack policy`.
 *
 * Each policy's logic is a pure function in rules/ (tested on the recorded dev stack by
 * test/policy.test.ts); this file only names them, sets how hard each one bites, and says where the
 * rule comes from. Written on @pulumi/policy directly: @pulumi/awsguard depends on @pulumi/aws ^4 and
 * cannot check the v7 resources this program makes.
 *
 * Mandatory: a violation fails the preview. Advisory: printed, for what a team may choose to relax.
 */
import type { ResourceValidation, ResourceValidationPolicy, StackValidation, StackValidationPolicy } from "@pulumi/policy";
import { clusterEndpointOpen, clusterSecretsEncryption } from "./rules/cluster";
import { podIdentityTrust } from "./rules/iam";
import { albHttpsRedirect, loadBalancerIpTargets, tls13Policy } from "./rules/load-balancing";
import { natGatewayPerZone } from "./rules/network";
import { nodesRequireImdsv2 } from "./rules/nodes";
import type { PolicyInput, StackInput, StackViolation, Verdict } from "./rules/props";
import { workloadDisruptionBudgets, workloadProbes, workloadResources, workloadZoneSpread } from "./rules/workloads";

/** A resource rule as the engine calls it: not applicable, or each violation reported. */
function resourceRule(rule: (resource: PolicyInput) => Verdict): ResourceValidation {
  return (args, reportViolation) => {
    const verdict = rule({ type: args.type, props: args.props });
    if ("notApplicable" in verdict) return args.notApplicable(verdict.notApplicable);
    for (const message of verdict) reportViolation(message);
  };
}

/** A stack rule as the engine calls it, each violation reported against the resource at fault. */
function stackRule(rule: (resources: readonly StackInput[]) => StackViolation[]): StackValidation {
  return (args, reportViolation) => {
    const resources = args.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: r.props }));
    for (const violation of rule(resources)) reportViolation(violation.message, violation.urn);
  };
}

const EKS_BEST_PRACTICES = "https://docs.aws.amazon.com/eks/latest/best-practices";

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  {
    name: "lb-controller-ip-targets",
    description:
      "Internet-facing LoadBalancer Services and Ingresses are made by the AWS Load Balancer Controller (loadBalancerClass service.k8s.aws/nlb, ingressClassName alb) with IP targets.",
    // EKS best-practices guide, networking/load balancing: "Register Pods as targets using IP Target-Type";
    // cdk-nag AwsSolutions-ELB1 (no Classic Load Balancer for HTTP, what the in-tree provider makes);
    // the controller's annotation defaults (scheme internal, target type instance), v3.5.0 docs.
    url: `${EKS_BEST_PRACTICES}/load-balancing.html`,
    enforcementLevel: "mandatory",
    validateResource: resourceRule(loadBalancerIpTargets),
  },
  {
    name: "alb-https-redirect",
    description: "An ALB Ingress with a certificate serves HTTPS, and its HTTP listeners redirect to it (ssl-redirect).",
    // cdk-nag ALBHttpToHttpsRedirection (HIPAA.Security, NIST.800.53.R4/R5, PCI.DSS.321 packs) = AWS Config
    // alb-http-to-https-redirection-check; the controller's ssl-redirect and listen-ports annotations.
    url: "https://docs.aws.amazon.com/config/latest/developerguide/alb-http-to-https-redirection-check.html",
    enforcementLevel: "mandatory",
    validateResource: resourceRule(albHttpsRedirect),
  },
  {
    name: "elb-tls13-policy",
    description: "Every HTTPS/TLS listener (ALB ssl-policy, NLB ssl-negotiation-policy, aws.lb.Listener sslPolicy) uses a TLS 1.3 security policy with TLS 1.2 as its minimum.",
    // AWS ELB docs, security policies (TLS 1.3 policies; the API default ELBSecurityPolicy-2016-08 has none);
    // EKS best-practices guide, security/network: "Use encryption with AWS Elastic load balancers".
    // cdk-nag has no rule on ELBv2 security policies (its ELBTlsHttpsListenersOnly is for Classic LBs).
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    enforcementLevel: "mandatory",
    validateResource: resourceRule(tls13Policy),
  },
  {
    name: "workload-probes",
    description: "Every container of a Deployment or StatefulSet has a readiness probe, and a liveness probe if it serves a port.",
    // EKS best-practices guide, reliability/applications: "Use Liveness Probe ...", "Use Readiness Probe ...";
    // networking/load balancing: "Use readiness probes".
    url: `${EKS_BEST_PRACTICES}/application.html`,
    enforcementLevel: "mandatory",
    validateResource: resourceRule(workloadProbes),
  },
  {
    name: "workload-requests-limits",
    description: "Every container of a Deployment or StatefulSet requests CPU and memory and has a memory limit.",
    // EKS best-practices guide, reliability/data plane: "Configure and Size Resource Requests/Limits for all Workloads".
    url: `${EKS_BEST_PRACTICES}/data-plane.html`,
    enforcementLevel: "mandatory",
    validateResource: resourceRule(workloadResources),
  },
  {
    name: "workload-zone-spread",
    description: "Every Deployment and StatefulSet spreads its pods over zones (a topology spread constraint on topology.kubernetes.io/zone selecting its own pods).",
    // EKS best-practices guide, reliability/applications: "Using Pod topology spread constraints";
    // reliability/data plane: "Spread worker nodes and workloads across multiple AZs".
    url: `${EKS_BEST_PRACTICES}/application.html`,
    enforcementLevel: "mandatory",
    validateResource: resourceRule(workloadZoneSpread),
  },
  {
    name: "workload-pdb",
    description: "Every Deployment and StatefulSet has a PodDisruptionBudget in its namespace selecting its pods.",
    // EKS best-practices guide, reliability/applications: "Configure Pod Disruption Budgets";
    // networking/load balancing: "Use Pod disruption budget". A cross-resource rule: a stack policy.
    url: `${EKS_BEST_PRACTICES}/application.html`,
    enforcementLevel: "mandatory",
    validateStack: stackRule(workloadDisruptionBudgets),
  },
  {
    name: "pod-identity-trust",
    description:
      "A Pod Identity role trusts only pods.eks.amazonaws.com, for sts:AssumeRole and sts:TagSession, pinned to one cluster, namespace and service account by session tags.",
    // EKS user guide, pod-id-role; EKS best-practices guide, security/iam: "Working with IAM roles for EKS
    // Pod Identities", "ABAC and EKS Pod Identities". (cdk-nag's IAM rules judge permissions, not trust.)
    url: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html",
    enforcementLevel: "mandatory",
    validateResource: resourceRule(podIdentityTrust),
  },
  {
    name: "nodes-imdsv2",
    description: "Nodes boot from a launch template requiring IMDSv2 with hop limit 1; no node group falls back to EKS's or pulumi-eks's own template.",
    // EKS best-practices guide, security/iam: "Restrict access to the instance profile assigned to the worker
    // node"; cdk-nag EC2IMDSv2Enabled (HIPAA.Security, NIST.800.53.R4/R5 packs).
    url: `${EKS_BEST_PRACTICES}/identity-and-access-management.html`,
    enforcementLevel: "mandatory",
    validateResource: resourceRule(nodesRequireImdsv2),
  },
  {
    name: "cluster-secrets-encryption",
    description: "The EKS cluster envelope-encrypts Kubernetes secrets with a KMS key of ours.",
    // EKS best-practices guide, security/data: "Use AWS KMS for envelope encryption of Kubernetes secrets";
    // AWS Config eks-secrets-encrypted. (cdk-nag's EKS rules, EKS1 and EKS2, do not cover it.)
    url: `${EKS_BEST_PRACTICES}/data-encryption-and-secrets-management.html`,
    enforcementLevel: "mandatory",
    validateResource: resourceRule(clusterSecretsEncryption),
  },
  {
    name: "cluster-endpoint-open",
    description: "The cluster's public API endpoint is open to 0.0.0.0/0: a team may accept it, narrow publicAccessCidrs, or go private.",
    // cdk-nag AwsSolutions-EKS1 (EKSClusterNoEndpointPublicAccess); EKS best-practices guide, security/iam:
    // "Make the EKS Cluster Endpoint private".
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
    enforcementLevel: "advisory",
    validateResource: resourceRule(clusterEndpointOpen),
  },
  {
    name: "nat-gateway-per-zone",
    description: "Fewer NAT gateways than zones (natGateways: single): one zone's outage cuts the other zones' egress.",
    // Amazon VPC user guide, NAT gateway basics: "create a NAT gateway in each Availability Zone".
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",
    enforcementLevel: "advisory",
    validateStack: stackRule(natGatewayPerZone),
  },
];
