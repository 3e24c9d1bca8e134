import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDocument } from "../iam/policy-document";
import { COMPONENTS } from "../resource-types";
import { podIdentityTrustPolicy } from "./iam";

export interface PodIdentityArgs {
  /** Cluster whose pods assume the role (its name scopes the trust policy); an output of the cluster, so the association waits for it. */
  readonly clusterName: pulumi.Input<string>;
  /** Where the role is used: the service account, in its namespace. */
  readonly namespace: string;
  /** The Kubernetes service account, in `namespace`, the role is for. */
  readonly serviceAccount: string;
  /** The role's permissions. */
  readonly policy: pulumi.Input<PolicyDocument>;
  /** AWS facts the trust policy names. */
  readonly partition: string;
  /** The AWS account id, for ARNs. */
  readonly accountId: string;
  /** The AWS region the stack runs in. */
  readonly region: string;
  /** Tags for every AWS resource it makes (default: none). */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * A least-privilege IAM role bound to one Kubernetes service account through EKS Pod Identity:
 * role (trusted by pods.eks.amazonaws.com for this one service account of this cluster only), its inline policy, and the association.
 */
export class PodIdentity extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;
  /** Pods may start once this exists: the Pod Identity agent hands out credentials from it. */
  public readonly association: aws.eks.PodIdentityAssociation;

  constructor(name: string, args: PodIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super(COMPONENTS.podIdentity, name, {}, opts);
    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: `EKS Pod Identity role for ${args.namespace}/${args.serviceAccount}`,
        assumeRolePolicy: pulumi.output(args.clusterName).apply((clusterName) =>
          JSON.stringify(
            podIdentityTrustPolicy({
              partition: args.partition,
              accountId: args.accountId,
              region: args.region,
              clusterName,
              namespace: args.namespace,
              serviceAccount: args.serviceAccount,
            }),
          ),
        ),
        tags: args.tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-policy`,
      { role: role.name, policy: pulumi.output(args.policy).apply((policy) => JSON.stringify(policy)) },
      { parent: this },
    );
    this.association = new aws.eks.PodIdentityAssociation(
      `${name}-association`,
      {
        clusterName: args.clusterName,
        namespace: args.namespace,
        serviceAccount: args.serviceAccount,
        roleArn: role.arn,
        tags: args.tags,
      },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
