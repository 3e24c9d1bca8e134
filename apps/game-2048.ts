import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AppArgs, type AppContext, loadBalancerDependencies, loadBalancerHostname } from "./app";
import { appHostnames } from "./hostnames";
import { ALB_DEREGISTRATION_DELAY_SECONDS, ALB_INGRESS_CLASS, albIngressAnnotations } from "./load-balancing";
import { loadBalancerSources } from "./network-policy";
import { Workload } from "./workload";
import type { ImageSecurityProfile } from "./workload-spec";

/**
 * docker-2048: the AWS Load Balancer Controller's docs replaced alexwhen/docker-2048 with this ECR copy; that
 * Dockerfile is `FROM alpine` (2015: Alpine 3.2, nginx 1.8) with no USER, whose nginx.conf leaves `user`
 * commented out and listens on 80. Its paths (Alpine's nginx package of then): pid /var/run/nginx/nginx.pid,
 * temp dirs /var/lib/nginx/tmp/* under a root-only (0700) /var/lib/nginx, logs as files in /var/log/nginx.
 * So it runs restricted as a high non-root UID: an emptyDir replaces /var/lib/nginx (a deeper one alone
 * could not be reached through the 0700 parent) with a second at /var/lib/nginx/tmp, since nginx's mkdir is
 * not recursive; /var/tmp/nginx covers the Alpine 3.4-3.6 layout should the copy be newer; port 80 through
 * the namespaced sysctl (NET_BIND_SERVICE does nothing for a non-root process). The ECR copy itself is
 * checked where it runs: `npm run verify` and the rollout's readiness probes.
 */
export const GAME_2048_SECURITY: ImageSecurityProfile = {
  level: "restricted",
  runAsUser: 10101,
  writablePaths: ["/var/lib/nginx", "/var/lib/nginx/tmp", "/var/tmp/nginx", "/var/log/nginx", "/var/run/nginx", "/tmp"],
  bindsLowPortAsNonRoot: true,
  why: "non-root nginx (10101) on port 80, writing only its temp, log and pid directories",
};

/** What each 2048 pod asks for (and may use). */
export const GAME_2048_RESOURCES = {
  requests: { cpu: "25m", memory: "32Mi" },
  limits: { cpu: "200m", memory: "64Mi" },
} as const;

/** 2048 on its own internet-facing ALB with IP targets; with a domain, HTTPS at 2048.<domain>. */
export function deployGame2048(context: AppContext, args: AppArgs): pulumi.Output<string> {
  const workload = new Workload("game-2048", {
    app: "game-2048",
    image: args.image,
    architectures: args.architectures,
    port: 80,
    autoscaling: { ...context.autoscaling, minReplicas: args.replicas },
    probePath: "/",
    resources: GAME_2048_RESOURCES,
    security: GAME_2048_SECURITY,
    deregistrationDelaySeconds: ALB_DEREGISTRATION_DELAY_SECONDS,
    kubernetesVersion: context.kubernetesVersion,
    provider: context.provider,
    nodes: context.nodes,
    loadBalancerSources: loadBalancerSources({
      publicSubnetCidrs: context.subnetCidrs.public,
      privateSubnetCidrs: context.subnetCidrs.private,
      behindNlbPreservingClientIp: false,
    }),
  });
  const host = context.dns ? appHostnames(context.dns.domain).game2048 : undefined;
  const ingress = new k8s.networking.v1.Ingress(
    "game-2048-alb",
    {
      metadata: {
        name: "game-2048",
        namespace: workload.namespace,
        annotations: albIngressAnnotations({
          name: "game-2048",
          healthCheckPath: "/",
          edge: context.edge,
          tls: context.dns ? { certificateArn: context.dns.certificateArn } : undefined,
        }),
      },
      spec: {
        ingressClassName: ALB_INGRESS_CLASS,
        rules: [
          {
            ...(host ? { host } : {}),
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: workload.serviceName, port: { number: workload.servicePort } } },
                },
              ],
            },
          },
        ],
      },
    },
    workload.frontingOptions(loadBalancerDependencies(context, host !== undefined)),
  );
  return host ? pulumi.output(`https://${host}/`) : pulumi.interpolate`http://${loadBalancerHostname(ingress.status)}/`;
}
