/**
 * Zone-local routing: echo's ClusterIP Service (`trafficDistribution: PreferSameZone`, apps/workload-spec.ts)
 * gets zone hints on its EndpointSlices, and kube-proxy then sends each caller only to endpoints in the
 * caller's own zone. https://kubernetes.io/docs/concepts/services-networking/service/#traffic-distribution
 */
import type { V1EndpointSlice, V1Node, V1Pod, V1Service } from "@kubernetes/client-node";
import { ZONE_LABEL } from "./nodes";
import { type CheckId, type CheckResult, fail, fromLines, line } from "./result";

export const ZONE_HINTS: CheckId = {
  id: "zone-hints",
  title: "echo's EndpointSlices carry each endpoint's own zone as its hint",
};
export const ZONE_LOCAL: CheckId = {
  id: "zone-local",
  title: "requests from each zone's netshoot pod reach echo only in that zone",
};

export const ECHO_SERVICE = { namespace: "echo", name: "echo", podSelector: "app.kubernetes.io/name=echo" } as const;
/** The URL netshoot pods call: echo's ClusterIP Service by its cluster DNS name. */
export const ECHO_CLUSTER_URL = "http://echo.echo.svc.cluster.local/";
/** EndpointSlices name their Service in this label. https://kubernetes.io/docs/concepts/services-networking/endpoint-slices/#ownership */
export const SERVICE_NAME_LABEL = "kubernetes.io/service-name";

export function checkZoneHints(service: V1Service | undefined, slices: readonly V1EndpointSlice[]): CheckResult {
  if (!service) return fail(ZONE_HINTS, `Service ${ECHO_SERVICE.namespace}/${ECHO_SERVICE.name} not found`);
  const distribution = service.spec?.trafficDistribution ?? "unset";
  const lines = slices.flatMap((slice) =>
    (slice.endpoints ?? [])
      .filter((e) => e.conditions?.ready !== false)
      .map((e) => {
        const who = `${slice.metadata?.name}: ${e.addresses.join(",")} (${e.targetRef?.name ?? "no pod"}, ${e.zone ?? "no zone"})`;
        const hinted = (e.hints?.forZones ?? []).map((z) => z.name);
        const ok = e.zone !== undefined && hinted.includes(e.zone);
        return line(ok, `${who}: hints.forZones [${hinted.join(", ")}]`);
      }),
  );
  return fromLines(
    ZONE_HINTS,
    `Service ${ECHO_SERVICE.namespace}/${ECHO_SERVICE.name} trafficDistribution=${distribution}, ${slices.length} EndpointSlice(s)`,
    lines,
  );
}

/** Each pod's zone, through the node it runs on. */
export function podZones(pods: readonly V1Pod[], nodes: readonly V1Node[]): Map<string, string | undefined> {
  const nodeZone = new Map(nodes.map((n) => [n.metadata?.name ?? "", n.metadata?.labels?.[ZONE_LABEL]]));
  return new Map(
    pods.map((p) => [p.metadata?.name ?? "", p.spec?.nodeName ? nodeZone.get(p.spec.nodeName) : undefined]),
  );
}

/** One netshoot pod's burst of requests to echo: which echo pods answered (echoserver's Hostname lines). */
export interface ZoneSample {
  readonly caller: string;
  readonly callerZone?: string;
  readonly hostnames?: readonly string[];
  /** curl's complaints, if any (stderr). */
  readonly stderr?: string;
  readonly error?: string;
}

export function checkZoneLocal(
  samples: readonly ZoneSample[],
  echoZones: ReadonlyMap<string, string | undefined>,
  requests: number,
): CheckResult {
  const lines = samples.map((s) => {
    const who = `${s.caller} (${s.callerZone ?? "zone unknown"})`;
    if (s.error !== undefined) return line(false, `${who}: ${s.error}`);
    const hostnames = s.hostnames ?? [];
    const counts = new Map<string, number>();
    for (const h of hostnames) counts.set(h, (counts.get(h) ?? 0) + 1);
    const elsewhere = [...counts.keys()].filter(
      (h) => echoZones.get(h) === undefined || echoZones.get(h) !== s.callerZone,
    );
    const served = [...counts.entries()]
      .map(([h, n]) => `${h} (${echoZones.get(h) ?? "unknown zone"}) x${n}`)
      .join(", ");
    const complaints = s.stderr?.trim() ? `; curl: ${s.stderr.trim().split("\n")[0]}` : "";
    const ok = s.callerZone !== undefined && hostnames.length === requests && elsewhere.length === 0;
    return line(ok, `${who}: ${hostnames.length}/${requests} answered by ${served || "no echo pod"}${complaints}`);
  });
  return fromLines(
    ZONE_LOCAL,
    `${samples.length} netshoot pod(s), ${requests} requests each to ${ECHO_CLUSTER_URL}`,
    lines,
  );
}
