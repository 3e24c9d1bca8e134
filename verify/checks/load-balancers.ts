/**
 * Load balancers: every LoadBalancer Service and Ingress got an address from the AWS Load Balancer
 * Controller, and every target group it bound has healthy targets (elbv2 DescribeTargetHealth).
 */
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { V1Ingress, V1Service } from "@kubernetes/client-node";
import type { ObjectRef } from "./controllers";
import { type CheckId, type CheckResult, fromLines, line } from "./result";

export const LB_ADDRESSES: CheckId = {
  id: "lb-addresses",
  title: "every LoadBalancer Service and Ingress has an address",
};
export const TARGET_HEALTH: CheckId = {
  id: "target-health",
  title: "every target group has healthy targets and none unhealthy",
};

/** The objects the apps declare that make load balancers (apps/echo.ts, apps/game-2048.ts, apps/prefixed-game.ts). */
export const EXPECTED_INGRESSES: readonly ObjectRef[] = [
  { namespace: "game-2048", name: "game-2048" },
  { namespace: "tetris", name: "tetris" },
  { namespace: "mario", name: "mario" },
];
export const EXPECTED_LB_SERVICES: readonly ObjectRef[] = [
  { namespace: "echo", name: "echo-nlb" },
  { namespace: "tetris", name: "tetris-nlb" },
];

/**
 * The Services the controller binds target groups to: an NLB Service's own, and an Ingress's backend
 * Service (the ClusterIP Service each app's Workload makes).
 */
export const EXPECTED_TARGET_SERVICES: readonly ObjectRef[] = [
  ...EXPECTED_LB_SERVICES,
  { namespace: "game-2048", name: "game-2048" },
  { namespace: "tetris", name: "tetris" },
  { namespace: "mario", name: "mario" },
];

/** Namespaces whose TargetGroupBindings are read. */
export const APP_NAMESPACES = ["echo", "game-2048", "tetris", "mario"] as const;

/**
 * The fields verify reads of the controller's TargetGroupBinding (CRD elbv2.k8s.aws/v1beta1).
 * https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/targetgroupbinding/spec/
 */
export interface TargetGroupBinding {
  readonly metadata?: { readonly name?: string; readonly namespace?: string };
  readonly spec?: {
    readonly targetGroupARN?: string;
    readonly targetType?: string;
    readonly serviceRef?: { readonly name?: string; readonly port?: number | string };
  };
}

export const TARGET_GROUP_BINDING = {
  group: "elbv2.k8s.aws",
  version: "v1beta1",
  plural: "targetgroupbindings",
} as const;

const ref = (o: ObjectRef): string => `${o.namespace}/${o.name}`;

function address(ingress: ReadonlyArray<{ hostname?: string; ip?: string }> | undefined): string | undefined {
  const first = ingress?.find((i) => i.hostname || i.ip);
  return first?.hostname ?? first?.ip;
}

export function checkLoadBalancerAddresses(
  services: readonly V1Service[],
  ingresses: readonly V1Ingress[],
  expected: { ingresses: readonly ObjectRef[]; services: readonly ObjectRef[] },
): CheckResult {
  const lbServices = services.filter((s) => s.spec?.type === "LoadBalancer");
  const seen = (list: ReadonlyArray<V1Service | V1Ingress>, want: ObjectRef): boolean =>
    list.some((o) => o.metadata?.namespace === want.namespace && o.metadata?.name === want.name);
  const lines = [
    ...expected.services
      .filter((want) => !seen(lbServices, want))
      .map((want) => line(false, `Service ${ref(want)}: not found as a LoadBalancer Service`)),
    ...expected.ingresses
      .filter((want) => !seen(ingresses, want))
      .map((want) => line(false, `Ingress ${ref(want)}: not found`)),
    ...lbServices.map((s) => {
      const a = address(s.status?.loadBalancer?.ingress);
      return line(
        a !== undefined,
        `Service ${s.metadata?.namespace}/${s.metadata?.name}: ${a ?? "no address in status.loadBalancer"}`,
      );
    }),
    ...ingresses.map((i) => {
      const a = address(i.status?.loadBalancer?.ingress);
      return line(
        a !== undefined,
        `Ingress ${i.metadata?.namespace}/${i.metadata?.name}: ${a ?? "no address in status.loadBalancer"}`,
      );
    }),
  ];
  return fromLines(
    LB_ADDRESSES,
    `${lbServices.length} LoadBalancer Service(s), ${ingresses.length} Ingress(es)`,
    lines,
  );
}

/** One target group's health as DescribeTargetHealth answered, or the error it gave. */
export interface TargetGroupHealth {
  readonly binding: TargetGroupBinding;
  readonly targets?: readonly TargetHealthDescription[];
  readonly error?: string;
}

/** Target group name from its ARN: arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>. */
export function targetGroupName(arn: string): string {
  return arn.split(":targetgroup/")[1]?.split("/")[0] ?? arn;
}

/**
 * Pass when every expected Service has a binding, and every bound target group has at least one healthy
 * target and no unhealthy one. `initial` and `draining` targets are reported, not failed: they are a
 * rollout in progress, which the healthy ones still serve.
 * States: https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
 */
export function checkTargetHealth(
  groups: readonly TargetGroupHealth[],
  expectedServices: readonly ObjectRef[],
): CheckResult {
  const bound = (want: ObjectRef): boolean =>
    groups.some(
      (g) => g.binding.metadata?.namespace === want.namespace && g.binding.spec?.serviceRef?.name === want.name,
    );
  const lines = [
    ...expectedServices
      .filter((want) => !bound(want))
      .map((want) => line(false, `Service ${ref(want)}: no TargetGroupBinding`)),
    ...groups.map((g) => {
      const arn = g.binding.spec?.targetGroupARN ?? "";
      const who = `${g.binding.metadata?.namespace}/${g.binding.spec?.serviceRef?.name}:${g.binding.spec?.serviceRef?.port} -> ${targetGroupName(arn) || "(no targetGroupARN)"}`;
      if (g.error !== undefined || !arn)
        return line(false, `${who}: ${g.error ?? "binding has no spec.targetGroupARN"}`);
      const targets = g.targets ?? [];
      const byState = new Map<string, string[]>();
      for (const t of targets) {
        const state = t.TargetHealth?.State ?? "unknown";
        const reason = t.TargetHealth?.Reason ? ` (${t.TargetHealth.Reason})` : "";
        byState.set(state, [
          ...(byState.get(state) ?? []),
          `${t.Target?.Id}:${t.Target?.Port}${t.Target?.AvailabilityZone ? ` ${t.Target.AvailabilityZone}` : ""}${reason}`,
        ]);
      }
      const healthy = byState.get("healthy")?.length ?? 0;
      const unhealthy = byState.get("unhealthy")?.length ?? 0;
      const summary = [...byState.entries()]
        .map(([state, ids]) => `${ids.length} ${state} [${ids.join(", ")}]`)
        .join("; ");
      return line(healthy > 0 && unhealthy === 0, `${who}: ${summary || "no registered targets"}`);
    }),
  ];
  return fromLines(TARGET_HEALTH, `${groups.length} target group(s)`, lines);
}
