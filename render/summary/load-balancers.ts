import { PENDING_LOAD_BALANCER_HOSTNAME } from "../../apps/app";
import { NLB_LOAD_BALANCER_CLASS } from "../../apps/load-balancing";
import { EXTERNAL_DNS_HOSTNAME_ANNOTATION } from "../../components/external-dns/values";
import { AWS, KUBERNETES } from "../../components/resource-types";
import { ofType, type ResourceGraph } from "../harness";
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
  /** Its listeners: port and protocol, and an HTTP listener's redirect. */
  readonly listeners: string;
  /** The TLS policy of its TLS listeners, or "-" where it has none. */
  readonly tlsPolicy: string;
  /** Objects with the same key share one load balancer (an ALB's Ingress group). */
  readonly key: string;
}

/**
 * The IngressGroup (one shared ALB) an Ingress joins: its IngressClass's parameters' group, where the stack
 * fences one (they take priority over the annotation: aws-load-balancer-controller v3.5.0
 * pkg/ingress/group_loader.go L233-251), else its group.name annotation; undefined for an ALB of its own.
 */
export function ingressGroupOf(
  run: ResourceGraph,
  ingress: { readonly inputs: Record<string, unknown> },
): string | undefined {
  const className = (ingress.inputs.spec as { ingressClassName?: string } | undefined)?.ingressClassName;
  const ingressClass = ofType(run, KUBERNETES.ingressClass).find((c) => metaOf(c.inputs).name === className);
  const paramsName = (ingressClass?.inputs.spec as { parameters?: { name?: string } } | undefined)?.parameters?.name;
  const params = ofType(run, KUBERNETES.ingressClassParams).find((p) => metaOf(p.inputs).name === paramsName);
  const fenced = (params?.inputs.spec as { group?: { name?: string } } | undefined)?.group?.name;
  return fenced ?? metaOf(ingress.inputs).annotations?.["alb.ingress.kubernetes.io/group.name"];
}

/** Every load balancer the controller will create: LoadBalancer Services (NLB) and Ingresses (ALB, grouped). */
export function loadBalancers(run: ResourceGraph): LoadBalancerRow[] {
  const rows: LoadBalancerRow[] = [];
  for (const r of run.resources) {
    const metadata = metaOf(r.inputs);
    const object = `${metadata.namespace ?? "default"}/${metadata.name ?? r.name}`;
    const a: Annotations = metadata.annotations ?? {};
    if (r.type === KUBERNETES.service && (r.inputs.spec as { type?: string } | undefined)?.type === "LoadBalancer") {
      const spec = r.inputs.spec as { loadBalancerClass?: string; ports?: Array<{ name?: string; port: number }> };
      // An NLB listens on each Service port, with TLS on those the ssl-ports annotation names (by name or number).
      const tlsPorts = (a["service.beta.kubernetes.io/aws-load-balancer-ssl-ports"] ?? "").split(",").filter(Boolean);
      const isTls = (p: { name?: string; port: number }) =>
        tlsPorts.includes(String(p.port)) || (p.name !== undefined && tlsPorts.includes(p.name));
      rows.push({
        object: `Service ${object}`,
        kind:
          spec.loadBalancerClass === NLB_LOAD_BALANCER_CLASS ? "NLB" : `? (${spec.loadBalancerClass ?? "no class"})`,
        scheme: a["service.beta.kubernetes.io/aws-load-balancer-scheme"] ?? "internal (default)",
        targetType: a["service.beta.kubernetes.io/aws-load-balancer-nlb-target-type"] ?? "instance (default)",
        // The key the pinned ExternalDNS reads: the one the apps write.
        hostnames: a[EXTERNAL_DNS_HOSTNAME_ANNOTATION] ?? "(load balancer's own)",
        listeners: (spec.ports ?? []).map((p) => `${isTls(p) ? "TLS" : "TCP"} ${p.port}`).join(", ") || "none",
        tlsPolicy: (spec.ports ?? []).some(isTls)
          ? (a["service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy"] ?? "(controller default)")
          : "-",
        key: `Service ${object}`,
      });
    }
    if (r.type === KUBERNETES.ingress) {
      const spec = r.inputs.spec as { rules?: Array<{ host?: string }> };
      const hosts = (spec.rules ?? []).map((rule) => rule.host).filter((h): h is string => Boolean(h));
      const group = ingressGroupOf(run, r);
      const listenPorts = JSON.parse(a["alb.ingress.kubernetes.io/listen-ports"] ?? '[{"HTTP":80}]') as Array<
        Record<string, number>
      >;
      const redirect = a["alb.ingress.kubernetes.io/ssl-redirect"];
      const listeners = listenPorts.flatMap((l) =>
        Object.entries(l).map(([protocol, port]) =>
          protocol === "HTTP" && redirect ? `HTTP ${port} (redirects to ${redirect})` : `${protocol} ${port}`,
        ),
      );
      rows.push({
        object: `Ingress ${object}`,
        kind: group ? `ALB (group ${group})` : "ALB",
        scheme: a["alb.ingress.kubernetes.io/scheme"] ?? "internal (default)",
        targetType: a["alb.ingress.kubernetes.io/target-type"] ?? "instance (default)",
        hostnames: hosts.join(", ") || "(load balancer's own)",
        listeners: listeners.join(", "),
        tlsPolicy: listenPorts.some((l) => "HTTPS" in l)
          ? (a["alb.ingress.kubernetes.io/ssl-policy"] ?? "(controller default)")
          : "-",
        key: group ? `ALB group ${group}` : `Ingress ${object}`,
      });
    }
  }
  return rows;
}

export const loadBalancersSection: SummarySectionBuilder = ({ run }) => {
  const rows = loadBalancers(run);
  const [certificate] = ofType(run, AWS.acmCertificate);
  const names = certificate
    ? [
        String(certificate.inputs.domainName),
        ...((certificate.inputs.subjectAlternativeNames as string[] | undefined) ?? []),
      ]
    : [];
  return {
    title: "Load balancers",
    body: [
      rows.length === 0
        ? "None."
        : table(
            ["object", "kind", "scheme", "target type", "hostnames", "listeners", "TLS policy"],
            rows.map((r) => [r.object, r.kind, r.scheme, r.targetType, r.hostnames, r.listeners, r.tlsPolicy]),
          ),
      certificate
        ? `TLS listeners use the ACM certificate for ${names.map((n) => `\`${n}\``).join(", ")} (${String(certificate.inputs.validationMethod ?? "?")} validation).`
        : "No certificate: without a domain the load balancers serve plain HTTP on their own hostnames.",
    ].join("\n\n"),
  };
};

export const urlsSection: SummarySectionBuilder = ({ run }) => {
  const urls = (run.outputs.urls ?? {}) as Record<string, string>;
  // A load balancer's hostname exists only once the controller has made it: the offline URL says so.
  const shown = Object.entries(urls).map(([app, url]) => [
    app,
    url.replace(PENDING_LOAD_BALANCER_HOSTNAME, "<load balancer hostname, known after pulumi up>"),
  ]);
  return { title: "App URLs", body: shown.length === 0 ? "None." : table(["app", "URL"], shown) };
};
