import { NLB_LOAD_BALANCER_CLASS } from "../../apps/load-balancing";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from "../../components/external-dns/values";
import type { ProgramRun } from "../harness";
import { metaOf } from "../kube";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

type Annotations = Record<string, string>;

export interface LoadBalancerRow {
  readonly object: string;
  readonly kind: string;
  readonly scheme: string;
  readonly targetType: string;
  readonly hostnames: string;
  /** Objects with the same key share one load balancer (an ALB's Ingress group). */
  readonly key: string;
}

/** Every load balancer the controller will create: LoadBalancer Services (NLB) and Ingresses (ALB, grouped). */
export function loadBalancers(run: ProgramRun): LoadBalancerRow[] {
  const rows: LoadBalancerRow[] = [];
  for (const r of run.resources) {
    const metadata = metaOf(r.inputs);
    const object = `${metadata.namespace ?? "default"}/${metadata.name ?? r.name}`;
    const a: Annotations = metadata.annotations ?? {};
    if (r.type === "kubernetes:core/v1:Service" && (r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer") {
      const spec = r.inputs.spec as { loadBalancerClass?: string };
      rows.push({
        object: `Service ${object}`,
        kind: spec.loadBalancerClass === NLB_LOAD_BALANCER_CLASS ? "NLB" : `? (${spec.loadBalancerClass ?? "no class"})`,
        scheme: a["service.beta.kubernetes.io/aws-load-balancer-scheme"] ?? "internal (default)",
        targetType: a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] ?? "instance (default)",
        // The key the pinned ExternalDNS reads: the one the apps write.
        hostnames: a[EXTERNAL_DNS_HOSTNAME_ANNOTATION] ?? "(load balancer's own)",
        key: `Service ${object}`,
      });
    }
    if (r.type === "kubernetes:networking.k8s.io/v1:Ingress") {
      const spec = r.inputs.spec as { rules?: Array<{ host?: string }> };
      const hosts = (spec.rules ?? []).map((rule) => rule.host).filter((h): h is string => Boolean(h));
      const group = a["alb.ingress.kubernetes.io/group.name"];
      rows.push({
        object: `Ingress ${object}`,
        kind: group ? `ALB (group ${group})` : "ALB",
        scheme: a["alb.ingress.kubernetes.io/scheme"] ?? "internal (default)",
        targetType: a["alb.ingress.kubernetes.io/target-type"] ?? "instance (default)",
        hostnames: hosts.join(", ") || "(load balancer's own)",
        key: group ? `ALB group ${group}` : `Ingress ${object}`,
      });
    }
  }
  return rows;
}

export const loadBalancersSection: SummarySectionBuilder = ({ run }) => {
  const rows = loadBalancers(run);
  return {
    title: "Load balancers",
    body:
      rows.length === 0
        ? "None."
        : table(["object", "kind", "scheme", "target type", "hostnames"], rows.map((r) => [r.object, r.kind, r.scheme, r.targetType, r.hostnames])),
  };
};

export const urlsSection: SummarySectionBuilder = ({ run }) => {
  const urls = (run.outputs.urls ?? {}) as Record<string, string>;
  return { title: "App URLs", body: Object.keys(urls).length === 0 ? "None." : table(["app", "URL"], Object.entries(urls)) };
};
