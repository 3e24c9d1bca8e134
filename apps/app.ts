import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/** What every app receives from the platform. */
export interface AppContext {
  readonly provider: k8s.Provider;
  readonly kubernetesVersion: string;
  /** Every object that makes a load balancer depends on it. */
  readonly loadBalancerController: pulumi.Resource;
  /** With a domain: TLS and DNS names. */
  readonly dns?: {
    readonly domain: string;
    readonly certificateArn: pulumi.Output<string>;
    /** Every object carrying a hostname depends on it. */
    readonly externalDns: pulumi.Resource;
  };
  readonly crossZoneLoadBalancing: boolean;
}

/** The load balancer controllers an object waits for: LB controller, and ExternalDNS when it carries a hostname. */
export function loadBalancerDependencies(context: AppContext, carriesHostname: boolean): pulumi.Resource[] {
  return carriesHostname && context.dns ? [context.loadBalancerController, context.dns.externalDns] : [context.loadBalancerController];
}

interface LoadBalancerStatus {
  loadBalancer?: { ingress?: Array<{ hostname?: string; ip?: string }> };
}

/** The hostname AWS gave a load balancer, once the controller has written it into the object's status. */
export function loadBalancerHostname(status: pulumi.Output<LoadBalancerStatus | undefined>): pulumi.Output<string> {
  return status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? "pending-load-balancer-hostname");
}
