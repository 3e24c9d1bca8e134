/** IAM policy document shapes and the Pod Identity trust policy, as plain JSON. */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** The service principal EKS Pod Identity assumes roles as. https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

export interface PodIdentityTrustArgs {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
  readonly clusterName: string;
}

/**
 * Trust policy for a Pod Identity role: only EKS Pod Identity may assume it (AssumeRole, and TagSession
 * for the session tags it sets), and only for this account's cluster, so no other cluster can use it.
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
          StringEquals: { "aws:SourceAccount": args.accountId },
          ArnEquals: { "aws:SourceArn": `arn:${args.partition}:eks:${args.region}:${args.accountId}:cluster/${args.clusterName}` },
        },
      },
    ],
  };
}
