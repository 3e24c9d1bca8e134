import { parseFamiliarName } from "@swimlane/docker-reference";
import type { ImagePlatforms } from "../../apps/images";
import { ARCHITECTURE_LABEL } from "../../apps/workload-spec";
import { KUBERNETES } from "../../components/resource-types";
import type { ProgramRun } from "../harness";
import { type KubeObject, metaOf, type PodSpecLike, podSpec, WORKLOAD_KINDS } from "../kube";
import { autoscaledWorkloads } from "./autoscaling";
import type { SummarySectionBuilder } from "./context";
import { table } from "./markdown";

/** An image reference's repository, tag and digest: `[registry/]repository[:tag][@digest]`. */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string; invalid?: string } {
  // The distribution/reference grammar (as config/schema.ts validates it); the repository stays as written.
  try {
    const reference = parseFamiliarName(image);
    const { tag, digest } = reference;
    let repository = image;
    if (digest) repository = repository.slice(0, repository.length - digest.length - 1);
    if (tag) repository = repository.slice(0, repository.length - tag.length - 1);
    return { repository, tag, digest };
  } catch (error) {
    return { repository: image, invalid: error instanceof Error ? error.message : String(error) };
  }
}

/** Why an image is not pinned, or undefined when it is (a tag other than latest, or a digest). */
export function unpinnedReason(image: string): string | undefined {
  const { tag, digest, invalid } = parseImage(image);
  if (invalid) return `NOT A VALID REFERENCE: ${invalid}`;
  if (digest) return undefined;
  if (tag === undefined) return "UNPINNED: no tag (pulls latest)";
  if (tag === "latest") return "UNPINNED: latest";
  return undefined;
}

/**
 * How firmly an image is pinned: by digest (what runs cannot change), by tag only (whoever controls the
 * registry can move the tag: checkov CKV_K8S_43), or not at all.
 */
export function pinning(image: string): string {
  const unpinned = unpinnedReason(image);
  if (unpinned) return unpinned;
  return parseImage(image).digest ? "by digest" : "tag only";
}

/** The architectures a pod's required node affinity allows (every term pins them), or undefined where it allows any. */
export function pinnedArchitectures(spec: PodSpecLike | undefined): string[] | undefined {
  const terms = (
    spec as
      | {
          affinity?: {
            nodeAffinity?: {
              requiredDuringSchedulingIgnoredDuringExecution?: {
                nodeSelectorTerms?: Array<{
                  matchExpressions?: Array<{ key?: string; operator?: string; values?: string[] }>;
                }>;
              };
            };
          };
        }
      | undefined
  )?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms || terms.length === 0) return undefined;
  const pinned = terms.map(
    (t) => t.matchExpressions?.find((e) => e.key === ARCHITECTURE_LABEL && e.operator === "In")?.values,
  );
  if (pinned.some((v) => v === undefined)) return undefined;
  return [...new Set(pinned.flat() as string[])].sort();
}

/** Why each app runs where it does, as the program decided it (its `appArchitectures` output). */
function appArchitectureLines(run: ProgramRun): string[] {
  const platforms = (run.outputs.appArchitectures ?? {}) as Record<string, ImagePlatforms>;
  return Object.entries(platforms).map(
    ([app, { architectures, why }]) => `- ${app}: ${architectures.join(", ")}: ${why}.`,
  );
}

export const imagesSection: SummarySectionBuilder = ({ run, charts }) => {
  const objects: Array<{ object: KubeObject; origin: string }> = [
    ...run.resources
      .filter((r) => r.custom && r.type.startsWith("kubernetes:") && r.type !== KUBERNETES.helmRelease)
      .map((r) => ({ object: r.inputs, origin: "program" })),
    ...("expanded" in charts
      ? charts.expanded.flatMap((e) => e.objects.map(({ object }) => ({ object, origin: `release ${e.release}` })))
      : []),
  ];
  // An autoscaled Deployment's count is its autoscaler's range, whatever it declares.
  const ranges = new Map(
    autoscaledWorkloads(run).map((w) => [`Deployment ${w.workload}`, `${w.minReplicas} to ${w.maxReplicas} (HPA)`]),
  );
  const workloads = objects.filter(
    ({ object }) => WORKLOAD_KINDS.has(String(object.kind)) || (object.kind === undefined && podSpec(object)),
  );
  const rows: string[][] = [];
  for (const { object, origin } of workloads) {
    const spec = object.kind === "Pod" ? (object.spec as PodSpecLike) : podSpec(object);
    const meta = metaOf(object);
    // How many pods run it: a DaemonSet one per node; an autoscaled one, its autoscaler's range; a workload
    // without replicas, Kubernetes's default of one.
    const replicas =
      object.kind === "DaemonSet"
        ? "one per node"
        : object.kind === "Pod"
          ? "1"
          : (ranges.get(`${String(object.kind)} ${meta.namespace ?? "?"}/${meta.name ?? "?"}`) ??
            String((object.spec as { replicas?: number } | undefined)?.replicas ?? "1 (default)"));
    for (const c of [...(spec?.initContainers ?? []), ...(spec?.containers ?? [])]) {
      const image = String(c.image ?? "");
      const { repository, tag, digest } = parseImage(image);
      rows.push([
        `${String(object.kind)} ${meta.namespace ?? "?"}/${meta.name ?? "?"}`,
        replicas,
        origin,
        String(c.name ?? ""),
        `\`${repository}\``,
        digest ? `\`${digest}\`` : tag ? `\`${tag}\`` : "(none)",
        pinning(image),
        pinnedArchitectures(spec)?.join(", ") ?? "any",
      ]);
    }
  }
  rows.sort((a, b) => (a.join("|") < b.join("|") ? -1 : 1));
  const unpinned = rows.filter((r) => r[6] !== "by digest" && r[6] !== "tag only").length;
  const tagOnly = rows.filter((r) => r[6] === "tag only").length;
  return {
    title: "Images",
    body: [
      rows.length === 0
        ? "None."
        : table(["workload", "replicas", "from", "container", "image", "tag or digest", "pinned", "runs on"], rows),
      [
        "Each app's pods run only on nodes of the architectures its image is known to run on (a required node affinity on `kubernetes.io/arch`): an image started on another architecture crash-loops with `exec format error`. Karpenter launches only types a pending pod's affinity allows. The charts' images are multi-architecture and go anywhere (\"any\").",
        ...appArchitectureLines(run),
      ].join("\n"),
      ...(unpinned > 0
        ? [
            `${unpinned} container${unpinned === 1 ? "" : "s"} run an unpinned image: what runs can change without a change here.`,
          ]
        : []),
      ...(tagOnly > 0
        ? [
            `${tagOnly} container${tagOnly === 1 ? "" : "s"} run an image by tag only: the registry can move a tag (checkov CKV_K8S_43). The apps' images take a digest in configuration (\`echoImage\`, \`game2048Image\`, \`tetrisImage\`, \`marioImage\`: \`repo:tag@sha256:...\`); the charts' and the lab's are pinned by tag with their chart and code.`,
          ]
        : []),
      ...("notExpanded" in charts ? ["Images of the Helm charts are not listed: the charts were not expanded."] : []),
    ].join("\n\n"),
  };
};
