/** manifests/: every Kubernetes object of a run, one YAML file each, at `<namespace or _cluster>/<Kind>-<name>.yaml`. */
import * as path from "node:path";
import { parseAllDocuments, stringify } from "yaml";
import { KUBERNETES } from "../components/resource-types";
import type { ChartExpansion } from "./charts";
import type { ProgramRun, RecordedResource } from "./harness";
import { type KubeObject, metaOf } from "./kube";

/**
 * Built-in kinds that live outside namespaces (kubectl api-resources --namespaced=false, Kubernetes 1.35);
 * custom kinds take the scope their CRD declares.
 */
const CLUSTER_SCOPED_KINDS = new Set([
  "APIService",
  "CertificateSigningRequest",
  "ClusterRole",
  "ClusterRoleBinding",
  "ComponentStatus",
  "CSIDriver",
  "CSINode",
  "CustomResourceDefinition",
  "FlowSchema",
  "IngressClass",
  "MutatingAdmissionPolicy",
  "MutatingAdmissionPolicyBinding",
  "MutatingWebhookConfiguration",
  "Namespace",
  "Node",
  "PersistentVolume",
  "PriorityClass",
  "PriorityLevelConfiguration",
  "RuntimeClass",
  "StorageClass",
  "ValidatingAdmissionPolicy",
  "ValidatingAdmissionPolicyBinding",
  "ValidatingWebhookConfiguration",
  "VolumeAttachment",
]);

/** `group/Kind` of every cluster-scoped custom kind the given CRDs declare. */
function clusterScopedCustomKinds(crds: readonly KubeObject[]): Set<string> {
  const kinds = new Set<string>();
  for (const crd of crds) {
    const spec = crd.spec as { group?: string; scope?: string; names?: { kind?: string } } | undefined;
    if (spec?.scope === "Cluster") kinds.add(`${spec.group}/${spec.names?.kind}`);
  }
  return kinds;
}

function manifestFile(namespace: string | undefined, kind: string, name: string): string {
  return path.join(namespace ? namespace : "_cluster", `${kind}-${name}.yaml`);
}

/** apiVersion and kind first, as kubectl writes them; the rest in the order given. */
function kubectlOrder(object: KubeObject): KubeObject {
  const { apiVersion, kind, metadata, ...rest } = object;
  return { apiVersion, kind, metadata, ...rest };
}

function yamlText(body: unknown, header?: string): string {
  const text = stringify(body, { sortMapEntries: false, lineWidth: 0 });
  return header ? `# ${header}\n${text}` : text;
}

function helmReleaseBody(r: RecordedResource): KubeObject {
  return {
    kind: "HelmRelease",
    name: r.inputs.name ?? r.name,
    namespace: r.inputs.namespace,
    chart: r.inputs.chart,
    version: r.inputs.version,
    skipCrds: r.inputs.skipCrds,
    values: r.inputs.values ?? {},
  };
}

/** A ConfigGroup's YAML, parsed once per text (the same CRDs recur in every run). */
const parsedGroups = new Map<string, KubeObject[]>();

/** The objects a ConfigGroup applies (the CRDs the program takes from the charts): its `objs`, or its `yaml` documents. */
export function configGroupObjects(r: RecordedResource): KubeObject[] {
  const text = r.inputs.yaml;
  if (typeof text === "string") {
    let objects = parsedGroups.get(text);
    if (!objects) {
      objects = parseAllDocuments(text).map((doc) => doc.toJS() as KubeObject);
      parsedGroups.set(text, objects);
    }
    return structuredClone(objects).filter((o) => o && typeof o === "object");
  }
  return ((r.inputs.objs as KubeObject[] | undefined) ?? []).filter((o) => o && typeof o === "object");
}

/** A ConfigGroup's manifest files, written once per group name and text: the chart CRDs are the same in every run. */
const groupFiles = new Map<string, ReadonlyArray<readonly [string, string]>>();

function configGroupFiles(r: RecordedResource): ReadonlyArray<readonly [string, string]> {
  const key = typeof r.inputs.yaml === "string" ? `${r.name}\u0000${r.inputs.yaml}` : undefined;
  const known = key ? groupFiles.get(key) : undefined;
  if (known) return known;
  const files = configGroupObjects(r).map((object) => {
    const meta = metaOf(object);
    return [
      manifestFile(meta.namespace, String(object.kind), String(meta.name)),
      yamlText(kubectlOrder(object), `Applied by the program: ConfigGroup ${r.name}`),
    ] as const;
  });
  if (key) groupFiles.set(key, files);
  return files;
}

/**
 * Every Kubernetes object, keyed by its output path: the program's own objects and Helm releases, the
 * objects of its ConfigGroups, and the objects each expanded release creates (header comment: which release
 * and template). Namespaced objects a chart leaves without a namespace go to the release's, as Helm does.
 */
export function manifestFiles(run: ProgramRun, charts?: ChartExpansion): Map<string, string> {
  const files = new Map<string, string>();
  const add = (file: string, text: string) => {
    if (files.has(file)) throw new Error(`two Kubernetes objects render to ${file}`);
    files.set(file, text);
  };
  for (const r of run.resources) {
    if (r.type.startsWith("pulumi:providers:") || !r.type.startsWith("kubernetes:")) continue;
    if (r.type === KUBERNETES.configGroup) {
      for (const [file, text] of configGroupFiles(r)) add(file, text);
      continue;
    }
    if (!r.custom) continue;
    if (r.type === KUBERNETES.helmRelease) {
      add(
        manifestFile(String(r.inputs.namespace ?? ""), "HelmRelease", String(r.inputs.name ?? r.name)),
        yamlText(helmReleaseBody(r)),
      );
      continue;
    }
    const meta = metaOf(r.inputs);
    add(
      manifestFile(meta.namespace, r.type.split(":").pop() as string, meta.name ?? r.name),
      yamlText(kubectlOrder(r.inputs)),
    );
  }
  if (charts && "expanded" in charts) {
    const crds = [
      ...run.resources.filter((r) => r.type === KUBERNETES.configGroup).flatMap(configGroupObjects),
      ...charts.expanded.flatMap((e) => e.objects.map((o) => o.object)),
    ].filter((o) => o.kind === "CustomResourceDefinition");
    const clusterScoped = clusterScopedCustomKinds(crds);
    for (const release of charts.expanded) {
      for (const { source, object } of release.objects) {
        const meta = metaOf(object);
        const kind = String(object.kind);
        const group = String(object.apiVersion ?? "").includes("/") ? String(object.apiVersion).split("/")[0] : "";
        const scoped = CLUSTER_SCOPED_KINDS.has(kind) || clusterScoped.has(`${group}/${kind}`);
        const namespace = scoped ? undefined : (meta.namespace ?? release.namespace);
        add(
          manifestFile(namespace, kind, String(meta.name)),
          yamlText(object, `Helm release ${release.release} (chart ${release.chart} ${release.version}): ${source}`),
        );
      }
    }
  }
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}
