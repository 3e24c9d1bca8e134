/** The Pod Identity trust policy, as plain JSON. */
import type { PolicyDocument } from "../iam/policy-document";

/** The service principal EKS Pod Identity assumes roles as. https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

export interface PodIdentityTrustArgs {
  /** AWS partition of the account (aws, aws-cn, aws-us-gov), for ARNs. */
  readonly partition: string;
  /** The AWS account id, for ARNs. */
  readonly accountId: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** The EKS cluster's name. */
  readonly clusterName: string;
  /** The one service account, in its namespace, that may use the role. */
  readonly namespace: string;
  /** The Kubernetes service account, in `namespace`, the role is for. */
  readonly serviceAccount: string;
}

/**
 * Trust policy for a Pod Identity role: only EKS Pod Identity may assume it (AssumeRole, and TagSession
 * for the session tags it sets), and only for one service account of this cluster. The scope uses the
 * session tags Pod Identity puts on the AssumeRole request (`eks-cluster-arn`, `kubernetes-namespace`,
 * `kubernetes-service-account`), the keys AWS's Pod Identity guide conditions on; the cluster ARN names
 * account, region and cluster at once. https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html
 */
export function podIdentityTrustPolicy(args: PodIdentityTrustArgs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: POD_IDENTITY_PRINCIPAL },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:RequestTag/eks-cluster-arn": `arn:${args.partition}:eks:${args.region}:${args.accountId}:cluster/${args.clusterName}`,
            "aws:RequestTag/kubernetes-namespace": args.namespace,
            "aws:RequestTag/kubernetes-service-account": args.serviceAccount,
          },
        },
      },
    ],
  };
}
