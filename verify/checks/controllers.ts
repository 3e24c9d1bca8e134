/** The platform controllers are rolled out and ready: the AWS Load Balancer Controller and ExternalDNS. */
import type { V1Deployment } from "@kubernetes/client-node";
import { EXTERNAL_DNS_NAMESPACE, EXTERNAL_DNS_RELEASE } from "../../components/external-dns/values";
import { KARPENTER_NAMESPACE, KARPENTER_RELEASE } from "../../components/karpenter/values";
import {
  LOAD_BALANCER_CONTROLLER_NAMESPACE,
  LOAD_BALANCER_CONTROLLER_RELEASE,
} from "../../components/load-balancer-controller/values";
import { type CheckId, type CheckResult, fail } from "./result";

export const LB_CONTROLLER: CheckId = { id: "lb-controller", title: "the AWS Load Balancer Controller is ready" };
export const EXTERNAL_DNS: CheckId = { id: "external-dns", title: "ExternalDNS is ready" };
export const KARPENTER: CheckId = { id: "karpenter", title: "Karpenter is ready" };

export interface ObjectRef {
  readonly namespace: string;
  readonly name: string;
}

/**
 * Where the charts put them: the release's namespace, and a Deployment named after the release (both
 * charts' fullname when the release name contains the chart name), read from the program's own pins.
 */
export const LB_CONTROLLER_DEPLOYMENT: ObjectRef = {
  namespace: LOAD_BALANCER_CONTROLLER_NAMESPACE,
  name: LOAD_BALANCER_CONTROLLER_RELEASE,
};
export const EXTERNAL_DNS_DEPLOYMENT: ObjectRef = { namespace: EXTERNAL_DNS_NAMESPACE, name: EXTERNAL_DNS_RELEASE };
export const KARPENTER_DEPLOYMENT: ObjectRef = { namespace: KARPENTER_NAMESPACE, name: KARPENTER_RELEASE };

/**
 * Ready as `kubectl rollout status` judges it: the controller has seen the latest spec, and every
 * desired replica is updated, ready and available.
 * https://kubernetes.io/docs/concepts/workloads/controllers/deployment/#complete-deployment
 */
export function checkDeploymentReady(
  check: CheckId,
  ref: ObjectRef,
  deployment: V1Deployment | undefined,
): CheckResult {
  const where = `${ref.namespace}/${ref.name}`;
  if (!deployment) return fail(check, `Deployment ${where} not found`);
  const desired = deployment.spec?.replicas ?? 1;
  const s = deployment.status ?? {};
  const observed = (s.observedGeneration ?? 0) >= (deployment.metadata?.generation ?? 0);
  const ready = s.readyReplicas ?? 0;
  const updated = s.updatedReplicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const ok = desired > 0 && observed && ready === desired && updated === desired && available === desired;
  const images = (deployment.spec?.template.spec?.containers ?? []).map((c) => c.image).join(", ");
  const evidence =
    `Deployment ${where}: ${ready}/${desired} ready, ${updated} updated, ${available} available` +
    `${observed ? "" : ", latest spec not yet observed"}${desired === 0 ? ", scaled to zero" : ""}; ${images}`;
  return { ...check, status: ok ? "pass" : "fail", evidence };
}
