/**
 * The pack's policies as data: each names the rules a reviewer knows it by (checkov IDs, kube-score checks,
 * the EKS Best Practices guide's section), how hard it bites, and the pure rule that decides it. policies.ts
 * turns this into CrossGuard policies; the offline render reads it for summary.md's review table. No
 * @pulumi/policy import here, so both can load it.
 *
 * Rule IDs as checkov and kube-score define them, read at bridgecrewio/checkov 03d5fdad
 * (checkov/terraform/checks/, checkov/kubernetes/checks/) and zegl/kube-score 06dedc9c (score/): e.g.
 * CKV_K8S_40 is `runAsUser >= 10000`, CKV_K8S_37 drop ALL and CKV_K8S_25 no added capability, CKV2_AWS_12
 * a declared default security group with no rules; the EKS guide by section title
 * (https://docs.aws.amazon.com/eks/latest/best-practices/).
 */

import {
  bucketPolicyHardened,
  iamPolicyLeastPrivilege,
  iamTrustNamed,
  kmsKeyHardened,
  nodesEncryptedRoot,
  securityGroupAdminPorts,
  sqsEncrypted,
} from "./rules/aws-resources";
import { clusterEndpointOpen, clusterSecretsEncryption } from "./rules/cluster";
import {
  imageDigest,
  namespacePodSecurity,
  workloadCapabilities,
  workloadHostIsolation,
  workloadNonRoot,
  workloadReadOnlyRoot,
} from "./rules/container-security";
import { podIdentityTrust } from "./rules/iam";
import {
  albDropInvalidHeaders,
  albHsts,
  albHttpsRedirect,
  albWebAcl,
  loadBalancerAccessLogs,
  loadBalancerDeletionProtection,
  loadBalancerIpTargets,
  tls13Policy,
} from "./rules/load-balancing";
import { controlPlaneLogs, defaultSecurityGroupClosed, logGroupEncrypted, vpcFlowLogs } from "./rules/logging";
import { natGatewayPerZone } from "./rules/network";
import { nodesRequireImdsv2 } from "./rules/nodes";
import type { PolicyInput, StackInput, StackViolation, Verdict } from "./rules/props";
import {
  workloadAutoscalers,
  workloadDisruptionBudgets,
  workloadProbes,
  workloadResources,
  workloadZoneSpread,
} from "./rules/workloads";

export type EnforcementLevel = "mandatory" | "advisory";

/** The rules a reviewer maps a policy to. */
export interface ReviewRules {
  readonly checkov: readonly string[];
  readonly kubeScore: readonly string[];
  /** The EKS Best Practices guide's section and recommendation. */
  readonly eksBestPractices?: string;
}

export interface CatalogPolicy {
  readonly name: string;
  readonly description: string;
  readonly url: string;
  readonly level: EnforcementLevel;
  readonly rules: ReviewRules;
  readonly check:
    | { readonly resource: (resource: PolicyInput) => Verdict }
    | { readonly stack: (resources: readonly StackInput[]) => StackViolation[] };
}

const EKS_BEST_PRACTICES = "https://docs.aws.amazon.com/eks/latest/best-practices";
const none: readonly string[] = [];

export const CATALOG: readonly CatalogPolicy[] = [
  {
    name: "lb-controller-ip-targets",
    description:
      "Internet-facing LoadBalancer Services and Ingresses are made by the AWS Load Balancer Controller (loadBalancerClass service.k8s.aws/nlb, ingressClassName alb) with IP targets.",
    // cdk-nag AwsSolutions-ELB1 (no Classic Load Balancer, what the in-tree provider makes); the controller's
    // annotation defaults (scheme internal, target type instance), v3.5.0 docs.
    url: `${EKS_BEST_PRACTICES}/load-balancing.html`,
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: none,
      eksBestPractices: "Networking, load balancing: Register Pods as targets using IP Target-Type",
    },
    check: { resource: loadBalancerIpTargets },
  },
  {
    name: "alb-https-redirect",
    description:
      "An ALB Ingress with a certificate serves HTTPS, and its HTTP listeners redirect to it (ssl-redirect).",
    // Also cdk-nag ALBHttpToHttpsRedirection = AWS Config alb-http-to-https-redirection-check.
    url: "https://docs.aws.amazon.com/config/latest/developerguide/alb-http-to-https-redirection-check.html",
    level: "mandatory",
    rules: {
      checkov: ["CKV2_AWS_20"],
      kubeScore: none,
      eksBestPractices: "Security, network: Use encryption with AWS Elastic load balancers",
    },
    check: { resource: albHttpsRedirect },
  },
  {
    name: "alb-hsts",
    description:
      "Every HTTPS listener of an ALB Ingress sends Strict-Transport-Security with a max-age of a year or more (listener-attributes.HTTPS-<port>).",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/header-modification.html",
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: none,
      eksBestPractices: "Security, network: Use encryption with AWS Elastic load balancers",
    },
    check: { resource: albHsts },
  },
  {
    name: "elb-tls13-policy",
    description:
      "Every HTTPS/TLS listener (ALB ssl-policy, NLB ssl-negotiation-policy, aws.lb.Listener sslPolicy) uses a TLS 1.3 security policy with TLS 1.2 as its minimum.",
    // AWS ELB docs, security policies (the API default ELBSecurityPolicy-2016-08 has no TLS 1.3).
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
    level: "mandatory",
    rules: {
      checkov: ["CKV_AWS_103"],
      kubeScore: none,
      eksBestPractices: "Security, network: Use encryption with AWS Elastic load balancers",
    },
    check: { resource: tls13Policy },
  },
  {
    name: "alb-drop-invalid-headers",
    description:
      "Every ALB drops invalid HTTP header fields (routing.http.drop_invalid_header_fields.enabled=true in its load-balancer-attributes).",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#load-balancer-attributes",
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_131"], kubeScore: none },
    check: { resource: albDropInvalidHeaders },
  },
  {
    name: "elb-access-logs",
    description:
      "Every ALB and NLB writes access logs to an S3 bucket (access_logs.s3.enabled and access_logs.s3.bucket in its load-balancer-attributes).",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logs.html",
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_91"], kubeScore: none },
    check: { resource: loadBalancerAccessLogs },
  },
  {
    name: "alb-waf",
    description:
      "An internet-facing ALB has a WAF web ACL (config webAcl): a team may rely on protection in front of it instead.",
    url: "https://docs.aws.amazon.com/waf/latest/developerguide/waf-chapter.html",
    level: "advisory",
    rules: { checkov: ["CKV2_AWS_28"], kubeScore: none },
    check: { resource: albWebAcl },
  },
  {
    name: "elb-deletion-protection",
    description:
      "A load balancer has deletion protection (config loadBalancerDeletionProtection): with it on, pulumi destroy needs it turned off first.",
    url: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#deletion-protection",
    level: "advisory",
    rules: { checkov: ["CKV_AWS_150"], kubeScore: none },
    check: { resource: loadBalancerDeletionProtection },
  },
  {
    name: "workload-probes",
    description:
      "Every container of a Deployment or StatefulSet has a readiness probe, and a liveness probe if it serves a port.",
    url: `${EKS_BEST_PRACTICES}/application.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_8", "CKV_K8S_9"],
      kubeScore: ["pod-probes"],
      eksBestPractices: "Reliability, applications: Use Liveness Probe / Use Readiness Probe",
    },
    check: { resource: workloadProbes },
  },
  {
    name: "workload-requests-limits",
    description:
      "Every container of a pod-bearing object (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod) requests CPU and memory and has a memory limit.",
    url: `${EKS_BEST_PRACTICES}/data-plane.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_10", "CKV_K8S_12", "CKV_K8S_13"],
      kubeScore: ["container-resources"],
      eksBestPractices: "Reliability, data plane: Configure and Size Resource Requests/Limits for all Workloads",
    },
    check: { resource: workloadResources },
  },
  {
    name: "workload-zone-spread",
    description:
      "Every Deployment and StatefulSet of two or more replicas spreads its pods over zones (a topology spread constraint on topology.kubernetes.io/zone selecting its own pods).",
    url: `${EKS_BEST_PRACTICES}/application.html`,
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: none,
      eksBestPractices: "Reliability, applications: Using Pod topology spread constraints",
    },
    check: { resource: workloadZoneSpread },
  },
  {
    name: "workload-pdb",
    description:
      "Every Deployment and StatefulSet of two or more replicas has a PodDisruptionBudget in its namespace selecting its pods.",
    url: `${EKS_BEST_PRACTICES}/application.html`,
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: ["deployment-has-poddisruptionbudget", "statefulset-has-poddisruptionbudget"],
      eksBestPractices: "Reliability, applications: Configure Pod Disruption Budgets",
    },
    check: { stack: workloadDisruptionBudgets },
  },
  {
    name: "workload-autoscaler",
    description:
      "Every HorizontalPodAutoscaler scales a Deployment or StatefulSet the stack declares in its namespace, from at least 2 replicas, and the workload it scales declares no replica count of its own.",
    url: `${EKS_BEST_PRACTICES}/application.html`,
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: [
        "horizontalpodautoscaler-has-target",
        "horizontalpodautoscaler-replicas",
        "deployment-targeted-by-hpa-does-not-have-replicas-configured",
      ],
      eksBestPractices: "Reliability, applications: Horizontal Pod Autoscaler (HPA)",
    },
    check: { stack: workloadAutoscalers },
  },
  {
    name: "workload-non-root",
    description:
      "Every container of a pod-bearing object runs as non-root, with a user and group of 10000 or above, unless its metadata waives the check with a reason.",
    url: `${EKS_BEST_PRACTICES}/pod-security.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_23", "CKV_K8S_40"],
      kubeScore: ["container-security-context-user-group-id"],
      eksBestPractices: "Security, pod security: Run your application as a non-root user",
    },
    check: { resource: workloadNonRoot },
  },
  {
    name: "workload-read-only-root",
    description:
      "Every container of a pod-bearing object has a read-only root filesystem, unless its metadata waives the check with a reason.",
    url: `${EKS_BEST_PRACTICES}/pod-security.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_22"],
      kubeScore: ["container-security-context-readonlyrootfilesystem"],
      eksBestPractices: "Security, pod security: Configure your images with a read-only root file system",
    },
    check: { resource: workloadReadOnlyRoot },
  },
  {
    name: "workload-capabilities",
    description:
      "Every container of a pod-bearing object drops ALL capabilities, adds none, cannot escalate privileges and is not privileged; a waiver with a reason excuses all but privileged.",
    url: `${EKS_BEST_PRACTICES}/pod-security.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_37", "CKV_K8S_25", "CKV_K8S_28", "CKV_K8S_20", "CKV_K8S_16"],
      kubeScore: ["container-security-context-privileged"],
      eksBestPractices: "Security, pod security: Restrict the use of privileged containers / Disable escalation",
    },
    check: { resource: workloadCapabilities },
  },
  {
    name: "workload-host-isolation",
    description:
      "No pod-bearing object shares the host's network, PID or IPC namespace or mounts a hostPath (no waiver excuses these), and each runs under the RuntimeDefault seccomp profile.",
    url: `${EKS_BEST_PRACTICES}/pod-security.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_19", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_31"],
      kubeScore: none,
      eksBestPractices:
        "Security, pod security: Restrict the use of hostPath / Pod Security Standards (baseline, restricted)",
    },
    check: { resource: workloadHostIsolation },
  },
  {
    name: "namespace-pod-security",
    description:
      "Every Namespace enforces the baseline or restricted Pod Security Standard (pod-security.kubernetes.io/enforce), so the API server refuses a pod that breaks it.",
    url: `${EKS_BEST_PRACTICES}/pod-security.html`,
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: none,
      eksBestPractices: "Security, pod security: Pod Security Standards (PSS) and Pod Security Admission (PSA)",
    },
    check: { resource: namespacePodSecurity },
  },
  {
    name: "image-digest",
    description:
      "Every container image is pinned by digest (a tag can be moved by whoever controls the registry), unless its workload gives a written reason (a checkov skip of CKV_K8S_43).",
    url: `${EKS_BEST_PRACTICES}/image-security.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_K8S_43"],
      kubeScore: ["container-image-tag"],
      eksBestPractices: "Security, image security: Use immutable tags",
    },
    check: { resource: imageDigest },
  },
  {
    name: "iam-least-privilege",
    description:
      "No IAM role policy allows every action, and none passes any role to any service (iam:PassRole on * without iam:PassedToService).",
    url: `${EKS_BEST_PRACTICES}/identity-and-access-management.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_AWS_62", "CKV_AWS_63", "CKV_AWS_286"],
      kubeScore: none,
      eksBestPractices: "Security, IAM: Employ least privileged access when creating IAM policies",
    },
    check: { resource: iamPolicyLeastPrivilege },
  },
  {
    name: "iam-trust-named",
    description: "Every IAM role's trust policy names who may assume it: no * principal.",
    url: `${EKS_BEST_PRACTICES}/identity-and-access-management.html`,
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_60"], kubeScore: none },
    check: { resource: iamTrustNamed },
  },
  {
    name: "kms-key-hardened",
    description: "Every KMS key rotates, and its key policy lets no * principal in without a condition.",
    url: "https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html",
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_7", "CKV_AWS_33"], kubeScore: none },
    check: { resource: kmsKeyHardened },
  },
  {
    name: "bucket-policy-hardened",
    description: "Every bucket policy lets no * principal in without a condition, and denies requests without TLS.",
    url: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html",
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_70"], kubeScore: none },
    check: { resource: bucketPolicyHardened },
  },
  {
    name: "sqs-encrypted",
    description: "Every SQS queue is encrypted (SQS-managed keys or a KMS key).",
    url: "https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-server-side-encryption.html",
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_27"], kubeScore: none },
    check: { resource: sqsEncrypted },
  },
  {
    name: "security-group-admin-ports",
    description: "No security group or rule opens SSH (22) or RDP (3389) to 0.0.0.0/0 or ::/0.",
    url: `${EKS_BEST_PRACTICES}/network-security.html`,
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_24", "CKV_AWS_25"], kubeScore: none },
    check: { resource: securityGroupAdminPorts },
  },
  {
    name: "nodes-encrypted-root",
    description:
      "Every node volume is encrypted: each block device of a launch template and of a Karpenter EC2NodeClass, whose nodes also require IMDSv2 with one hop.",
    url: `${EKS_BEST_PRACTICES}/data-encryption-and-secrets-management.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_AWS_8", "CKV_AWS_79"],
      kubeScore: none,
      eksBestPractices: "Security, data encryption: Encryption at rest (EBS)",
    },
    check: { resource: nodesEncryptedRoot },
  },
  {
    name: "pod-identity-trust",
    description:
      "A Pod Identity role trusts only pods.eks.amazonaws.com, for sts:AssumeRole and sts:TagSession, pinned to one cluster, namespace and service account by session tags.",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html",
    level: "mandatory",
    rules: {
      checkov: none,
      kubeScore: none,
      eksBestPractices: "Security, IAM: Working with IAM roles for EKS Pod Identities; ABAC and EKS Pod Identities",
    },
    check: { resource: podIdentityTrust },
  },
  {
    name: "nodes-imdsv2",
    description:
      "Nodes boot from a launch template requiring IMDSv2 with hop limit 1; no node group falls back to EKS's or pulumi-eks's own template.",
    url: `${EKS_BEST_PRACTICES}/identity-and-access-management.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_AWS_79", "CKV_AWS_341"],
      kubeScore: none,
      eksBestPractices: "Security, IAM: Restrict access to the instance profile assigned to the worker node",
    },
    check: { resource: nodesRequireImdsv2 },
  },
  {
    name: "cluster-secrets-encryption",
    description: "The EKS cluster envelope-encrypts Kubernetes secrets with a KMS key of ours.",
    url: `${EKS_BEST_PRACTICES}/data-encryption-and-secrets-management.html`,
    level: "mandatory",
    rules: {
      checkov: ["CKV_AWS_58"],
      kubeScore: none,
      eksBestPractices: "Security, data: Use AWS KMS for envelope encryption of Kubernetes secrets",
    },
    check: { resource: clusterSecretsEncryption },
  },
  {
    name: "control-plane-logs",
    description:
      "The EKS cluster sends all five control-plane log types to CloudWatch (config controlPlaneLogTypes may document fewer).",
    url: "https://docs.aws.amazon.com/eks/latest/userguide/control-plane-logs.html",
    level: "advisory",
    rules: {
      checkov: ["CKV_AWS_37"],
      kubeScore: none,
      eksBestPractices: "Security, detective controls: Enable audit logs",
    },
    check: { resource: controlPlaneLogs },
  },
  {
    name: "log-group-encrypted",
    description: "Every CloudWatch log group is encrypted with a KMS key of ours (kmsKeyId).",
    url: "https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    level: "mandatory",
    rules: { checkov: ["CKV_AWS_158"], kubeScore: none },
    check: { resource: logGroupEncrypted },
  },
  {
    name: "vpc-flow-logs",
    description: "Every VPC logs ALL traffic (a flow log depending on it, traffic type ALL, with a destination).",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs.html",
    level: "mandatory",
    rules: {
      checkov: ["CKV2_AWS_11"],
      kubeScore: none,
      eksBestPractices: "Security, detective controls / network: VPC Flow Logs",
    },
    check: { stack: vpcFlowLogs },
  },
  {
    name: "default-security-group-closed",
    description: "Every VPC's default security group is adopted with no rules (ingress: [] and egress: []).",
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html",
    level: "mandatory",
    rules: { checkov: ["CKV2_AWS_12"], kubeScore: none },
    check: { stack: defaultSecurityGroupClosed },
  },
  {
    name: "cluster-endpoint-open",
    description:
      "The cluster's public API endpoint is open to 0.0.0.0/0: a team may accept it, narrow publicAccessCidrs, or go private.",
    // Also cdk-nag AwsSolutions-EKS1 (EKSClusterNoEndpointPublicAccess).
    url: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
    level: "advisory",
    rules: {
      checkov: ["CKV_AWS_38", "CKV_AWS_39"],
      kubeScore: none,
      eksBestPractices: "Security, IAM: Make the EKS Cluster Endpoint private",
    },
    check: { resource: clusterEndpointOpen },
  },
  {
    name: "nat-gateway-per-zone",
    description: "Fewer NAT gateways than zones (natGateways: single): one zone's outage cuts the other zones' egress.",
    // Amazon VPC user guide, NAT gateway basics: "create a NAT gateway in each Availability Zone".
    url: "https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html",
    level: "advisory",
    rules: {
      checkov: none,
      kubeScore: none,
      eksBestPractices: "Reliability, data plane: Spread worker nodes and workloads across multiple AZs",
    },
    check: { stack: natGatewayPerZone },
  },
];

/** The rule IDs of a policy, as one line: "checkov CKV_AWS_58; kube-score ...; EKS BP: ...". */
export function ruleIdsText(rules: ReviewRules): string {
  return [
    rules.checkov.length > 0 ? `checkov ${rules.checkov.join(", ")}` : undefined,
    rules.kubeScore.length > 0 ? `kube-score ${rules.kubeScore.join(", ")}` : undefined,
    rules.eksBestPractices ? `EKS Best Practices: ${rules.eksBestPractices}` : undefined,
  ]
    .filter((part): part is string => part !== undefined)
    .join("; ");
}
