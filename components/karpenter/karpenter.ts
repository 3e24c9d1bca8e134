import * as pulumi from "@pulumi/pulumi";
import { type ControllerContext, ControllerRelease } from "../controller-release/controller-release";
import type { PolicyDocument } from "../iam/policy-document";
import { COMPONENTS } from "../resource-types";
import { karpenterControllerPolicies } from "./iam-policy";
import {
  KARPENTER_CHART,
  KARPENTER_NAMESPACE,
  KARPENTER_RELEASE,
  KARPENTER_SERVICE_ACCOUNT,
  karpenterValues,
} from "./values";

export interface KarpenterArgs extends ControllerContext {
  /** The role Karpenter's nodes run as (it may pass this one only) and the queue it reads: KarpenterAws's. */
  readonly nodeRoleArn: pulumi.Input<string>;
  /** The interruption queue Karpenter reads (KarpenterAws's). */
  readonly queueName: pulumi.Input<string>;
  /** The interruption queue's ARN, for the controller's policy. */
  readonly queueArn: pulumi.Input<string>;
}

/**
 * Karpenter from its chart, pinned (1.14.1), its CRDs applied by the program, with the release template's
 * controller permissions on a Pod Identity role. It runs on the managed node group (the chart keeps it off the
 * nodes it launches).
 */
export class Karpenter extends ControllerRelease {
  constructor(name: string, args: KarpenterArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      COMPONENTS.karpenter,
      name,
      {
        ...args,
        chart: KARPENTER_CHART,
        releaseName: KARPENTER_RELEASE,
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT,
        // The template's six managed policies as one inline policy (about 7 kB of IAM's 10 kB per role).
        policy: pulumi.all([args.clusterName, args.nodeRoleArn, args.queueArn]).apply(
          ([clusterName, nodeRoleArn, queueArn]): PolicyDocument => ({
            Version: "2012-10-17",
            Statement: Object.values(
              karpenterControllerPolicies({
                partition: args.partition,
                region: args.region,
                accountId: args.accountId,
                clusterName,
                nodeRoleArn,
                queueArn,
              }),
            ).flatMap((document) => document.Statement),
          }),
        ),
        values: pulumi
          .all([args.clusterName, args.queueName])
          .apply(([clusterName, interruptionQueue]) =>
            karpenterValues({ clusterName, interruptionQueue, region: args.region }),
          ),
        timeoutSeconds: 600,
      },
      opts,
    );
  }
}
