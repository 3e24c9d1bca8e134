/**
 * The apps scale: the metrics API answers, and each app's HorizontalPodAutoscaler reads its pods' CPU.
 *
 * - The EKS metrics-server add-on registers the APIService `v1beta1.metrics.k8s.io` (kubernetes-sigs/metrics-server
 *   @ 5ed5d3a manifests/base/apiservice.yaml L5); the aggregator sets its `Available` condition True once the
 *   API server reaches the pods (EKS user guide, metrics-server.html: `kubectl get apiservice`, then `kubectl top nodes`).
 * - An autoscaler that can read its metric has `ScalingActive=True` ("ValidMetricFound"); without metrics the
 *   controller sets it False ("FailedGetResourceMetric") and does not scale; with the target at 0 replicas False
 *   ("ScalingDisabled"). Kubernetes v1.28 pkg/controller/podautoscaler/horizontal.go L349, L661, L838, read in
 *   kevinhehc/k8s-1.28 @ 92a6bc5e (a copy of v1.28; the recorded answers' reasons and messages are from the
 *   same file, L973 ReadyForNewScale, L1228-1229 TooFewReplicas).
 */
import type { V1APIService, V2HorizontalPodAutoscaler } from "@kubernetes/client-node";
import { type CheckId, type CheckResult, fromLines, line } from "./result";

export const AUTOSCALING: CheckId = {
  id: "autoscaling",
  title: "the metrics API answers and every app's autoscaler reads its pods' CPU",
};

export const METRICS_API_SERVICE = "v1beta1.metrics.k8s.io";

/** One app's autoscaler as the program declares it: in the app's namespace, named and targeting its Deployment. */
export interface ExpectedAutoscaler {
  readonly namespace: string;
  readonly name: string;
}

function condition(
  conditions: ReadonlyArray<{ type?: string; status?: string; reason?: string; message?: string }> | undefined,
  type: string,
) {
  return conditions?.find((c) => c.type === type);
}

export function checkAutoscaling(
  apiService: V1APIService | undefined,
  autoscalers: readonly V2HorizontalPodAutoscaler[],
  expected: readonly ExpectedAutoscaler[],
): CheckResult {
  const available = condition(apiService?.status?.conditions, "Available");
  const metricsLine = !apiService
    ? line(false, `APIService ${METRICS_API_SERVICE} not found (is the metrics-server add-on installed?)`)
    : line(
        available?.status === "True",
        `APIService ${METRICS_API_SERVICE} ${available?.status === "True" ? "Available" : `not Available (${available ? `${available.reason ?? available.status}${available.message ? `: ${available.message}` : ""}` : "no condition yet"})`}`,
      );
  const appLines = expected.map(({ namespace, name }) => {
    const hpa = autoscalers.find((h) => h.metadata?.namespace === namespace && h.metadata?.name === name);
    if (!hpa) return line(false, `${namespace}/${name}: no HorizontalPodAutoscaler`);
    const target = hpa.spec?.scaleTargetRef;
    if (target?.kind !== "Deployment" || target.name !== name)
      return line(
        false,
        `${namespace}/${name}: scales ${target?.kind ?? "?"} ${target?.name ?? "?"}, not Deployment ${name}`,
      );
    const active = condition(hpa.status?.conditions, "ScalingActive");
    const cpu = hpa.status?.currentMetrics?.find((m) => m.type === "Resource" && m.resource?.name === "cpu")?.resource
      ?.current.averageUtilization;
    const wanted = hpa.spec?.metrics?.find((m) => m.type === "Resource" && m.resource?.name === "cpu")?.resource?.target
      .averageUtilization;
    const range = `${hpa.status?.currentReplicas ?? "?"} replicas (${hpa.spec?.minReplicas ?? 1} to ${hpa.spec?.maxReplicas ?? "?"})`;
    if (active?.status !== "True") {
      return line(
        false,
        `${namespace}/${name}: ${range}, not scaling: ScalingActive ${active ? `${active.status} (${active.reason ?? ""}${active.message ? `: ${active.message}` : ""})` : "not reported yet"}`,
      );
    }
    return line(true, `${namespace}/${name}: ${range}, CPU ${cpu ?? "?"}% of request (target ${wanted ?? "?"}%)`);
  });
  return fromLines(AUTOSCALING, `metrics API and ${expected.length} autoscalers`, [metricsLine, ...appLines]);
}
