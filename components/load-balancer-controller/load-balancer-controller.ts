import * as k8s from "@pulumi/kubernetes";
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

/** A shared ALB (an IngressGroup) and the namespaces whose Ingresses alone may join it. */
export interface FencedIngressGroup {
  readonly name: string;
  readonly namespaces: readonly string[];
}

export interface LoadBalancerControllerArgs extends ControllerContext {
  /** The VPC the cluster runs in. */
  readonly vpcId: pulumi.Input<string>;
  /** Shared ALBs, each with an IngressClass of its own name that only its namespaces may use. */
  readonly ingressGroups?: readonly FencedIngressGroup[];
}

/**
 * The IngressClassParams that fences an IngressGroup: every Ingress of its class joins the group, and only
 * Ingresses in the named namespaces may use the class; the controller's webhook refuses any other
 * (aws-load-balancer-controller v3.5.0, docs/guide/ingress/ingress_class.md L257-269, pkg/ingress/class_loader.go
 * L115-149). With the group.name annotation disabled (values.ts), no Ingress joins a group any other way, so
 * no other namespace can put rules on the shared ALB, take its certificate or drop its web ACL.
 */
export function fencedGroupParams(group: FencedIngressGroup): Record<string, unknown> {
  return {
    group: { name: group.name },
    namespaceSelector: {
      matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: [...group.namespaces].sort() }],
    },
  };
}

/**
 * The AWS Load Balancer Controller from its official chart, pinned, with the official IAM policy on a
 * Pod Identity role. The release waits until the controller is ready, so no Service or Ingress meets
 * a webhook without endpoints.
 */
export class LoadBalancerController extends ControllerRelease {
  /** Each fenced IngressGroup's IngressClass, by group name. */
  public readonly ingressClasses: Readonly<Record<string, k8s.networking.v1.IngressClass>>;

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
    const classes: Record<string, k8s.networking.v1.IngressClass> = {};
    for (const group of args.ingressGroups ?? []) {
      const options = { parent: this, provider: args.provider, dependsOn: [this.release] };
      const params = new k8s.apiextensions.CustomResource(
        `${name}-${group.name}-class-params`,
        {
          apiVersion: "elbv2.k8s.aws/v1beta1",
          kind: "IngressClassParams",
          metadata: { name: group.name },
          spec: fencedGroupParams(group),
        },
        options,
      );
      classes[group.name] = new k8s.networking.v1.IngressClass(
        `${name}-${group.name}-class`,
        {
          metadata: { name: group.name },
          spec: {
            controller: ALB_CONTROLLER,
            parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: group.name },
          },
        },
        { ...options, dependsOn: [this.release, params] },
      );
    }
    this.ingressClasses = classes;
  }
}

/** The controller name an IngressClass of the AWS Load Balancer Controller names (its chart's own class does). */
export const ALB_CONTROLLER = "ingress.k8s.aws/alb";
