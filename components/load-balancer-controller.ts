import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadBalancerControllerPolicy } from "./load-balancer-controller-policy";
import {
  LOAD_BALANCER_CONTROLLER_CHART,
  LOAD_BALANCER_CONTROLLER_NAMESPACE,
  LOAD_BALANCER_CONTROLLER_RELEASE,
  LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  loadBalancerControllerValues,
} from "./load-balancer-controller-values";
import { PodIdentity } from "./pod-identity";

/** How long Helm may wait for the controller to become ready. */
const RELEASE_TIMEOUT_SECONDS = 600;

export interface LoadBalancerControllerArgs {
  /** The cluster's name as an output of the cluster, so the Pod Identity association waits for it. */
  readonly clusterName: pulumi.Input<string>;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly partition: string;
  readonly accountId: string;
  /** Kubernetes provider of the cluster. */
  readonly provider: k8s.Provider;
  /** What must be ready before the controller can be: the node groups it runs on. */
  readonly readyNodes: readonly pulumi.Resource[];
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The AWS Load Balancer Controller from its official chart, pinned, with the official IAM policy on a
 * Pod Identity role. The release waits until the controller is ready, so no Service or Ingress meets
 * a webhook without endpoints.
 */
export class LoadBalancerController extends pulumi.ComponentResource {
  /** Every object that makes a load balancer depends on this, so destroy removes them while it still runs. */
  public readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: LoadBalancerControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("eks-platform:platform:LoadBalancerController", name, {}, opts);
    const identity = new PodIdentity(
      `${name}-identity`,
      {
        clusterName: args.clusterName,
        namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
        serviceAccount: LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
        policy: loadBalancerControllerPolicy(args.partition),
        partition: args.partition,
        accountId: args.accountId,
        region: args.region,
        tags: args.tags,
      },
      { parent: this },
    );
    this.release = new k8s.helm.v3.Release(
      `${name}-release`,
      {
        name: LOAD_BALANCER_CONTROLLER_RELEASE,
        namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
        chart: LOAD_BALANCER_CONTROLLER_CHART.chart,
        version: LOAD_BALANCER_CONTROLLER_CHART.version,
        repositoryOpts: { repo: LOAD_BALANCER_CONTROLLER_CHART.repository },
        values: pulumi
          .all([args.clusterName, args.vpcId])
          .apply(([clusterName, vpcId]) => loadBalancerControllerValues({ clusterName, region: args.region, vpcId })),
        // Wait for the Deployment to be ready: its webhooks must answer before the first Service or Ingress.
        skipAwait: false,
        timeout: RELEASE_TIMEOUT_SECONDS,
        atomic: true,
      },
      { parent: this, provider: args.provider, dependsOn: [identity, ...args.readyNodes] },
    );
    this.registerOutputs({ releaseStatus: this.release.status });
  }
}
