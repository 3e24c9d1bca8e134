import * as pulumi from "@pulumi/pulumi";
import { type ControllerContext, ControllerRelease } from "../controller-release/controller-release";
import { COMPONENTS } from "../resource-types";
import { loadBalancerControllerPolicy } from "./iam-policy";
import {
  LOAD_BALANCER_CONTROLLER_CHART,
  LOAD_BALANCER_CONTROLLER_NAMESPACE,
  LOAD_BALANCER_CONTROLLER_RELEASE,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  loadBalancerControllerValues,
} from "./values";

export interface LoadBalancerControllerArgs extends ControllerContext {
  /** The VPC the cluster runs in. */
  readonly vpcId: pulumi.Input<string>;
}

/**
 * The AWS Load Balancer Controller from its official chart, pinned, with the official IAM policy on a
 * Pod Identity role. The release waits until the controller is ready, so no Service or Ingress meets
 * a webhook without endpoints.
 */
export class LoadBalancerController extends ControllerRelease {
  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super(
      COMPONENTS.loadBalancerController,
      name,
      {
        ...args,
        chart: LOAD_BALANCER_CONTROLLER_CHART,
        releaseName: LOAD_BALANCER_CONTROLLER_RELEASE,
        namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
        serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
        policy: loadBalancerControllerPolicy(args.partition),
        values: pulumi
          .all([args.clusterName, args.vpcId])
          .apply(([clusterName, vpcId]) => loadBalancerControllerValues({ clusterName, region: args.region, vpcId })),
        timeoutSeconds: 600,
      },
      opts,
    );
  }
}
