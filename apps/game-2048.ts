import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { type AppContext, loadBalancerDependencies, loadBalancerHostname } from "./app";
import { appHostnames } from "./hostnames";
import { ALB_DEREGISTRATION_DELAY_SECONDS, ALB_INGRESS_CLASS, albIngressAnnotations } from "./load-balancing";
import { loadBalancerSources } from "./network-policy";
import { Workload } from "./workload";
import type { ImageSecurityProfile } from "./workload-spec";

/** docker-2048: nginx as root on port 80 (binds a low port, switches worker user, chowns its cache). */
export const GAME_2048_SECURITY: ImageSecurityProfile = {
  level: "baseline",
  addCapabilities: ["CHOWN", "DAC_OVERRIDE", "FOWNER", "NET_BIND_SERVICE", "SETGID", "SETUID"],
  why: "nginx master runs as root on port 80, switches workers to another user and chowns its cache",
};

/** What each 2048 pod asks for (and may use). */
export const GAME_2048_RESOURCES = { requests: { cpu: "25m", memory: "32Mi" }, limits: { cpu: "200m", memory: "64Mi" } } as const;

/** 2048 on its own internet-facing ALB with IP targets; with a domain, HTTPS at 2048.<domain>. */
export function deployGame2048(context: AppContext, args: { image: string; replicas: number }): pulumi.Output<string> {
  const workload = new Workload("game-2048", {
    app: "game-2048",
    image: args.image,
    port: 80,
    replicas: args.replicas,
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
        annotations: albIngressAnnotations({ name: "game-2048", healthCheckPath: "/", edge: context.edge, tls: context.dns ? { certificateArn: context.dns.certificateArn } : undefined }),
      },
      spec: {
        ingressClassName: ALB_INGRESS_CLASS,
        rules: [
          {
            ...(host ? { host } : {}),
            http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: workload.serviceName, port: { number: workload.servicePort } } } }] },
          },
        ],
      },
    },
    workload.frontingOptions(loadBalancerDependencies(context, host !== undefined)),
  );
  return host ? pulumi.output(`https://${host}/`) : pulumi.interpolate`http://${loadBalancerHostname(ingress.status)}/`;
}
