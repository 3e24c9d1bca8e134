import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, describe, it } from "node:test";
import { parseAllDocuments } from "yaml";
import { CHARTS_DIR, chartArchivePath, readChartArchive, releaseChartReference, untar } from "../charts/chart-archive";
import { EXTERNAL_DNS_CHART } from "../components/external-dns/values";
import { KARPENTER_CHART } from "../components/karpenter/values";
import { LOAD_BALANCER_CONTROLLER_CHART } from "../components/load-balancer-controller/values";
import { AWS, KUBERNETES } from "../components/resource-types";
import { type ChartExpansion, expandReleases, type ReleaseExpansion } from "../render/charts";
import { ofType, PROJECT_ROOT, resource, runProgram, transitiveDependencies } from "../render/harness";
import {
  HelmUnavailable,
  helmTemplate,
  isVerified,
  maskGeneratedPem,
  parseRendered,
  pinnedHelm,
  rememberVerified,
} from "../render/helm";
import { configGroupObjects } from "../render/manifests";
import { archiveKeyTree } from "../scripts/chart-keys";
import lbcKeys from "./fixtures/charts/aws-load-balancer-controller-3.5.0.keys.json";
import externalDnsKeys from "./fixtures/charts/external-dns-1.21.1.keys.json";
import karpenterKeys from "./fixtures/charts/karpenter-1.14.1.keys.json";

const RELEASE = KUBERNETES.helmRelease;
const CONFIG_GROUP = KUBERNETES.configGroup;
const ASSOCIATION = AWS.eksPodIdentityAssociation;
const PINS = [
  { pin: LOAD_BALANCER_CONTROLLER_CHART, keys: lbcKeys.keys, component: "lb-controller" },
  { pin: EXTERNAL_DNS_CHART, keys: externalDnsKeys.keys, component: "external-dns" },
  { pin: KARPENTER_CHART, keys: karpenterKeys.keys, component: "karpenter" },
] as const;

type KubeObject = Record<string, unknown>;

/** `file -> sha256` as charts/README.md records them: a `## <file>` heading, then a `| sha256 | <hex> |` row. */
function recordedChecksums(): Map<string, string> {
  const readme = fs.readFileSync(path.join(CHARTS_DIR, "README.md"), "utf8");
  const recorded = new Map<string, string>();
  for (const section of readme.split(/^## /m).slice(1)) {
    const file = section.split("\n")[0].trim();
    const sha = /^\| sha256 \| ([0-9a-f]{64}) \|$/m.exec(section)?.[1];
    if (file.endsWith(".tgz") && sha) recorded.set(file, sha);
  }
  return recorded;
}

const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const meta = (o: KubeObject) =>
  (o.metadata ?? {}) as { name?: string; namespace?: string; annotations?: Record<string, string> };

/** Every CustomResourceDefinition under `<chart>/crds/` of an archive, as GNU tar extracts the files. */
function crdsByTar(archive: string): KubeObject[] {
  const listing = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" }).split("\n");
  const files = listing.filter((f) => /^[^/]+\/crds\/.+\.(ya?ml|json)$/.test(f)).sort();
  return files.flatMap((file) =>
    parseAllDocuments(execFileSync("tar", ["-xzOf", archive, file], { encoding: "utf8", maxBuffer: 16 * 1024 * 1024 }))
      .map((doc) => doc.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null && o.kind === "CustomResourceDefinition"),
  );
}
const tarSkip =
  spawnSync("tar", ["--version"]).status === 0
    ? false
    : "no tar on this machine to read the chart archives independently";

/** The pinned helm only runs on linux x86-64: elsewhere the tests that need it are skipped, saying why. */
const helmSkip =
  process.platform === "linux" && process.arch === "x64"
    ? false
    : `the pinned helm runs on linux-x64 only (this is ${process.platform}-${process.arch})`;

describe("vendored Helm charts", async () => {
  const scratchFolders: string[] = [];
  after(() => scratchFolders.forEach((folder) => fs.rmSync(folder, { recursive: true, force: true })));
  const withDomain = await runProgram({ config: { domain: "example.com" } });

  it("every archive in charts/ is the one charts/README.md records, by sha256, and the README lists no other", () => {
    const archives = fs
      .readdirSync(CHARTS_DIR)
      .filter((f) => f.endsWith(".tgz"))
      .sort();
    const recorded = recordedChecksums();
    assert.equal(
      archives.length,
      3,
      "three vendored chart archives: the load balancer controller's, ExternalDNS's and Karpenter's",
    );
    assert.deepEqual([...recorded.keys()].sort(), archives);
    for (const file of archives)
      assert.equal(sha256(path.join(CHARTS_DIR, file)), recorded.get(file), `${file} differs from charts/README.md`);
  });

  for (const { pin, keys } of PINS) {
    it(`${pin.archive} is ${pin.chart} ${pin.version}, and its values.yaml has the key tree the tests check values against`, () => {
      const archive = readChartArchive(chartArchivePath(pin.archive));
      assert.equal(archive.name, pin.chart);
      assert.equal(archive.version, pin.version);
      assert.deepEqual(archiveKeyTree(archive), keys);
    });
  }

  it("the tar reader reads long names (ustar prefix) and skips what is not a regular file", () => {
    const header = (name: string, prefix: string, size: number, type: string) => {
      const block = Buffer.alloc(512);
      block.write(name, 0);
      block.write(size.toString(8).padStart(11, "0"), 124);
      block.write(type, 156);
      block.write("ustar", 257);
      block.write(prefix, 345);
      return block;
    };
    const body = Buffer.alloc(512);
    body.write("hello");
    const tar = Buffer.concat([
      header("dir/", "", 0, "5"),
      header("file.txt", "a".repeat(120), 5, "0"),
      body,
      Buffer.alloc(1024),
    ]);
    assert.deepEqual(
      [...untar(tar).entries()].map(([k, v]) => [k, v.toString()]),
      [[`${"a".repeat(120)}/file.txt`, "hello"]],
    );
  });

  it("the program installs each chart from its vendored archive: a path relative to the project root, no repository, Helm's CRD install skipped", () => {
    const releases = ofType(withDomain, RELEASE);
    assert.equal(releases.length, 3);
    for (const { pin, component } of PINS) {
      const r = resource(withDomain, RELEASE, `${component}-release`);
      assert.equal(r.inputs.chart, releaseChartReference(pin.archive));
      assert.match(
        String(r.inputs.chart),
        /^\.\/charts\/[^/]+\.tgz$/,
        "a relative path: the same input on every machine",
      );
      assert.ok(
        fs.existsSync(path.resolve(PROJECT_ROOT, String(r.inputs.chart))),
        `${String(r.inputs.chart)} does not exist under the project root`,
      );
      assert.equal(r.inputs.version, pin.version);
      assert.equal(r.inputs.repositoryOpts, undefined);
      assert.equal(r.inputs.skipCrds, true);
    }
  });

  it("the program applies every CRD the pinned charts ship, from the archive, before the release that needs them", {
    skip: tarSkip,
  }, () => {
    assert.equal(PINS.length, 3);
    for (const { pin, component } of PINS) {
      // The archive read another way than the product reads it: the system's tar, every crds/ file.
      const shipped = crdsByTar(chartArchivePath(pin.archive));
      assert.ok(shipped.length > 0, `${pin.archive} ships no CRD`);
      const group = resource(withDomain, CONFIG_GROUP, `${component}-crds`);
      const applied = configGroupObjects(group);
      assert.deepEqual(applied.map((o) => meta(o).name).sort(), shipped.map((o) => meta(o).name).sort());
      for (const crd of applied) {
        // What the chart ships, with the one annotation that lets server-side apply take the fields over.
        const original = shipped.find((o) => meta(o).name === meta(crd).name);
        assert.deepEqual(crd.spec, original?.spec, `${String(meta(crd).name)}: spec differs from the chart's`);
        assert.equal(meta(crd).annotations?.["pulumi.com/patchForce"], "true");
      }
      const release = resource(withDomain, RELEASE, `${component}-release`);
      assert.ok(
        transitiveDependencies(withDomain, release.urn).has(group.urn),
        `${component}: the release does not wait for its CRDs`,
      );
    }
  });

  it("takes over CRDs that already exist (an earlier Helm install): the provider applying them upserts, as pulumi-kubernetes 4.34.2 documents", () => {
    // The pinned SDK's own description of the option: since 4.29 a create of an existing object fails without it.
    const sdk = fs.readFileSync(
      path.join(PROJECT_ROOT, "node_modules", "@pulumi", "kubernetes", "provider.d.ts"),
      "utf8",
    );
    assert.match(
      sdk,
      /allow Pulumi to create resources that already exist in the cluster by updating them instead of returning an error[\s\S]{0,900}upsertExistingObjects\?:/,
    );
    const groups = ofType(withDomain, CONFIG_GROUP);
    assert.equal(groups.length, 3);
    for (const group of groups) {
      const provider = withDomain.resources.find((r) => r.urn === group.provider);
      assert.ok(provider, `${group.name} has no provider`);
      assert.equal(
        provider.inputs.upsertExistingObjects,
        "true",
        `${group.name}'s provider does not take over existing objects`,
      );
      assert.equal(provider.inputs.enableServerSideApply, "true");
    }
  });

  it("the controller keeps its webhook certificate across upgrades (keepTLSSecret), a value the pinned chart reads", () => {
    const values = resource(withDomain, RELEASE, "lb-controller-release").inputs.values as Record<string, unknown>;
    assert.equal(values.keepTLSSecret, true);
    const helpers = readChartArchive(chartArchivePath(LOAD_BALANCER_CONTROLLER_CHART.archive)).files.get(
      "templates/_helpers.tpl",
    );
    assert.match(helpers?.toString("utf8") ?? "", /\.Values\.keepTLSSecret/);
  });

  it("parses helm template output: one object per document with its template, Lists flattened", () => {
    const text = [
      "---",
      "# Source: c/templates/a.yaml",
      "apiVersion: v1",
      "kind: ServiceAccount",
      "metadata: {name: a}",
      "---",
      "# Source: c/templates/list.yaml",
      "apiVersion: v1",
      "kind: List",
      "items: [{apiVersion: v1, kind: ConfigMap, metadata: {name: b}}, {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}]",
      "",
    ].join("\n");
    assert.deepEqual(
      parseRendered(text).map((o) => `${o.source} ${String(o.object.kind)}/${String(meta(o.object).name)}`),
      ["c/templates/a.yaml ServiceAccount/a", "c/templates/list.yaml ConfigMap/b", "c/templates/list.yaml ConfigMap/c"],
    );
  });

  it("masks generated key material, and only that", () => {
    const pem = Buffer.from("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n").toString("base64");
    const { value, masked } = maskGeneratedPem({
      data: { "tls.crt": pem, other: Buffer.from("not a certificate at all, just text").toString("base64") },
    });
    assert.equal(masked, 1);
    assert.notEqual((value as { data: Record<string, string> }).data["tls.crt"], pem);
    assert.equal(
      (value as { data: Record<string, string> }).data.other,
      Buffer.from("not a certificate at all, just text").toString("base64"),
    );
  });

  describe("expanded with helm template", { skip: helmSkip }, async () => {
    const charts: ChartExpansion = helmSkip ? { notExpanded: String(helmSkip) } : await expandReleases(withDomain);
    const expanded = (): readonly ReleaseExpansion[] => {
      assert.ok("expanded" in charts, `charts not expanded: ${"notExpanded" in charts ? charts.notExpanded : ""}`);
      return charts.expanded;
    };
    const release = (name: string) => {
      const found = expanded().find((e) => e.release === `kube-system/${name}`);
      assert.ok(found, `no expansion of ${name}`);
      return found;
    };
    const objects = (e: ReleaseExpansion, kind: string) =>
      e.objects.map((o) => o.object).filter((o) => o.kind === kind);
    const containerArgs = (e: ReleaseExpansion): string[] => {
      const [deployment] = objects(e, "Deployment");
      const spec = (deployment.spec as { template: { spec: { containers: Array<{ args?: string[] }> } } }).template
        .spec;
      return spec.containers.flatMap((c) => c.args ?? []);
    };

    it("expands the three charts offline, each into objects (two renders agree byte for byte: render.test.ts; how long it takes: npm run bench)", () => {
      assert.deepEqual(
        expanded()
          .map((e) => e.release)
          .sort(),
        ["kube-system/aws-load-balancer-controller", "kube-system/external-dns", "kube-system/karpenter"],
      );
      for (const e of expanded()) assert.ok(e.objects.length >= 5, `${e.release}: only ${e.objects.length} objects`);
    });

    it("every controller Deployment runs as the service account, in the namespace, that a Pod Identity association binds", () => {
      const associations = ofType(withDomain, ASSOCIATION).map(
        (a) => `${String(a.inputs.namespace)}/${String(a.inputs.serviceAccount)}`,
      );
      let deployments = 0;
      for (const e of expanded()) {
        const accounts = objects(e, "ServiceAccount").map(
          (sa) => `${meta(sa).namespace ?? e.namespace}/${meta(sa).name}`,
        );
        for (const d of objects(e, "Deployment")) {
          const account = (d.spec as { template: { spec: { serviceAccountName?: string } } }).template.spec
            .serviceAccountName;
          const bound = `${meta(d).namespace ?? e.namespace}/${account}`;
          assert.ok(
            associations.includes(bound),
            `${e.release}: Deployment ${meta(d).name} runs as ${bound}, which no Pod Identity association binds (${associations.join(", ")})`,
          );
          assert.ok(accounts.includes(bound), `${e.release}: the chart does not create ${bound}`);
          deployments++;
        }
      }
      assert.equal(deployments, 3);
    });

    it("the load balancer controller runs with the design's flags: this cluster, VPC and region, TLS 1.3 by default, IP targets", () => {
      const args = containerArgs(release("aws-load-balancer-controller"));
      for (const flag of [
        "--cluster-name=eks-platform-dev",
        "--aws-vpc-id=network-vpc-id",
        "--aws-region=ap-northeast-2",
        "--default-ssl-policy=ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
        "--default-target-type=ip",
      ]) {
        assert.ok(args.includes(flag), `missing ${flag} in ${args.join(" ")}`);
      }
    });

    it("Karpenter's controller starts on a new cluster: the VPC's resolver (dnsPolicy Default), the region in its environment, a whole CPU and 1 GiB", () => {
      const [deployment] = objects(release("karpenter"), "Deployment");
      const pod = (
        deployment.spec as {
          template: {
            spec: {
              dnsPolicy?: string;
              containers: Array<{
                name: string;
                env?: Array<{ name: string; value?: string }>;
                resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
              }>;
            };
          };
        }
      ).template.spec;
      assert.equal(pod.dnsPolicy, "Default", "cluster DNS would need CoreDNS, which may need Karpenter's nodes");
      const controller = pod.containers.find((c) => c.name === "controller");
      assert.ok(controller, "no controller container");
      assert.deepEqual(
        controller.env?.filter((e) => e.name === "AWS_REGION").map((e) => e.value),
        ["ap-northeast-2"],
        "exactly one AWS_REGION, the stack's",
      );
      assert.deepEqual(controller.resources?.requests, { cpu: "1", memory: "1Gi" });
      assert.deepEqual(controller.resources?.limits, { memory: "1Gi" });
    });

    it("ExternalDNS runs with the design's flags: sync with the TXT registry, its owner id, only the configured zone", () => {
      const args = containerArgs(release("external-dns"));
      const zoneId = String(ofType(withDomain, AWS.route53Record)[0]?.inputs.zoneId);
      assert.match(zoneId, /^Z[0-9A-Z]+$/);
      const expected = [
        "--policy=sync",
        "--registry=txt",
        "--txt-owner-id=eks-platform-dev-ap-northeast-2",
        "--domain-filter=example.com",
        `--zone-id-filter=${zoneId}`,
      ];
      for (const flag of expected) assert.ok(args.includes(flag), `missing ${flag} in ${args.join(" ")}`);
      // One of each: a second filter or policy would widen what it may touch.
      for (const name of ["--policy", "--registry", "--txt-owner-id", "--domain-filter", "--zone-id-filter"]) {
        assert.equal(args.filter((a) => a.startsWith(`${name}=`)).length, 1, name);
      }
    });

    it("trusts a cached helm only as the file it verified: any change to it means hashing it again", () => {
      const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "eks-platform-helm-stamp-"));
      scratchFolders.push(scratch);
      const binary = path.join(scratch, "helm");
      fs.writeFileSync(binary, "stands for the verified binary");
      assert.equal(isVerified(binary), false, "no stamp yet");
      rememberVerified(binary);
      assert.equal(isVerified(binary), true);
      fs.appendFileSync(binary, "!");
      assert.equal(isVerified(binary), false, "changed content");
      rememberVerified(binary);
      fs.writeFileSync(binary, "stands for a tampered binary!!");
      fs.utimesSync(binary, new Date(0), new Date(0));
      assert.equal(isVerified(binary), false, "same size, other content, its times reset");
    });

    it("Helm's own CRD rendering (--include-crds) gives exactly the CRDs the program applies", async () => {
      const binary = await pinnedHelm();
      assert.equal(PINS.length, 3);
      const renders = await Promise.all(
        PINS.map(({ pin, component }) =>
          helmTemplate(binary, {
            release: "crd-check",
            namespace: "kube-system",
            archive: chartArchivePath(pin.archive),
            values: resource(withDomain, RELEASE, `${component}-release`).inputs.values as Record<string, unknown>,
            kubernetesVersion: "1.35",
            includeCrds: true,
          }),
        ),
      );
      PINS.forEach(({ component }, i) => {
        const helmCrds = renders[i].map((o) => o.object).filter((o) => o.kind === "CustomResourceDefinition");
        const applied = configGroupObjects(resource(withDomain, CONFIG_GROUP, `${component}-crds`));
        assert.equal(
          helmCrds.length,
          { "lb-controller": 7, "external-dns": 1, karpenter: 5 }[component],
          `${component}: CRDs helm renders`,
        );
        assert.deepEqual(helmCrds.map((o) => meta(o).name).sort(), applied.map((o) => meta(o).name).sort());
        for (const crd of helmCrds)
          assert.deepEqual(crd.spec, applied.find((o) => meta(o).name === meta(crd).name)?.spec);
      });
    });

    it("every expanded object is valid against the Kubernetes schema, or its CRD's", async () => {
      const crds = [...ofType(withDomain, CONFIG_GROUP).flatMap((g) => configGroupObjects(g))];
      let validated = 0;
      for (const e of expanded()) {
        for (const { object } of e.objects) {
          const problems = await schemaProblems(object, crds);
          assert.deepEqual(problems, [], `${e.release}: ${String(object.kind)} ${String(meta(object).name)}`);
          validated++;
        }
      }
      assert.ok(validated >= 15, `validated only ${validated} objects`);
      // The checks do fail on bad objects, built-in and custom.
      assert.notDeepEqual(
        await schemaProblems(
          { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" }, spec: { replicas: "two" } },
          crds,
        ),
        [],
      );
      assert.notDeepEqual(
        await schemaProblems(
          {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "IngressClassParams",
            metadata: { name: "x" },
            spec: { scheme: "public" },
          },
          crds,
        ),
        [],
      );
      assert.notDeepEqual(
        await schemaProblems(
          {
            apiVersion: "elbv2.k8s.aws/v1beta1",
            kind: "IngressClassParams",
            metadata: { name: "x" },
            spec: { nope: 1 },
          },
          crds,
        ),
        [],
      );
      assert.notDeepEqual(
        await schemaProblems({ apiVersion: "example.com/v1", kind: "Unknown", metadata: { name: "x" } }, crds),
        [],
      );
    });

    it("helm that cannot run is a reason, not an error", async () => {
      const result = await expandReleases(withDomain, () =>
        Promise.reject(new HelmUnavailable("no helm in this test")),
      );
      assert.deepEqual(result, { notExpanded: "no helm in this test" });
    });
  });
});

// ------------------------------------------------------------------ schema

type ModelModule = Record<string, new (data: unknown) => { validate(): void }>;

/** kubernetes-models modules by apiVersion (the built-in APIs the charts and the program use). */
const MODEL_MODULES: Record<string, () => Promise<unknown>> = {
  v1: () => import("kubernetes-models/v1"),
  "apps/v1": () => import("kubernetes-models/apps/v1"),
  "policy/v1": () => import("kubernetes-models/policy/v1"),
  "networking.k8s.io/v1": () => import("kubernetes-models/networking.k8s.io/v1"),
  "rbac.authorization.k8s.io/v1": () => import("kubernetes-models/rbac.authorization.k8s.io/v1"),
  "admissionregistration.k8s.io/v1": () => import("kubernetes-models/admissionregistration.k8s.io/v1"),
  "apiextensions.k8s.io/v1": () => import("kubernetes-models/apiextensions.k8s.io/v1"),
};

interface OpenApiSchema {
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  enum?: unknown[];
  additionalProperties?: OpenApiSchema | boolean;
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
}

/**
 * What a CRD's structural schema says of a value: types, required fields, enums, and no field the schema
 * does not declare (the API server would drop it). The subset of OpenAPI v3 the charts' CRDs use.
 */
function openApiProblems(value: unknown, schema: OpenApiSchema, at: string): string[] {
  if (value === undefined || value === null) return [];
  if (schema["x-kubernetes-int-or-string"])
    return typeof value === "number" || typeof value === "string" ? [] : [`${at}: expected an integer or a string`];
  const types: Record<string, (v: unknown) => boolean> = {
    object: (v) => typeof v === "object" && !Array.isArray(v),
    array: Array.isArray,
    string: (v) => typeof v === "string",
    integer: (v) => Number.isInteger(v),
    number: (v) => typeof v === "number",
    boolean: (v) => typeof v === "boolean",
  };
  if (schema.type && types[schema.type] && !types[schema.type](value)) return [`${at}: expected ${schema.type}`];
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: expected one of ${schema.enum.join(", ")}`];
  if (Array.isArray(value))
    return schema.items
      ? value.flatMap((v, i) => openApiProblems(v, schema.items as OpenApiSchema, `${at}[${i}]`))
      : [];
  if (typeof value !== "object" || schema["x-kubernetes-preserve-unknown-fields"]) return [];
  const object = value as Record<string, unknown>;
  const problems = (schema.required ?? []).filter((k) => object[k] === undefined).map((k) => `${at}.${k}: required`);
  for (const [key, v] of Object.entries(object)) {
    const sub =
      schema.properties?.[key] ??
      (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    if (sub) problems.push(...openApiProblems(v, sub, `${at}.${key}`));
    else if (schema.properties || schema.additionalProperties === false)
      problems.push(`${at}.${key}: not in the schema`);
  }
  return problems;
}

/**
 * Why an object is not valid: a built-in kind against kubernetes-models (as the apps' own objects are),
 * a custom kind against the served version of its CRD (metadata by kubernetes-models' ObjectMeta rules
 * through a ConfigMap carrying it, everything else by the CRD's schema).
 */
async function schemaProblems(object: KubeObject, crds: readonly KubeObject[]): Promise<string[]> {
  const apiVersion = String(object.apiVersion);
  const kind = String(object.kind);
  const load = MODEL_MODULES[apiVersion];
  if (load) {
    const Model = ((await load()) as ModelModule)[kind];
    if (!Model) return [`no schema model for ${apiVersion} ${kind}`];
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      return [String(error instanceof Error ? error.message : error)];
    }
  }
  const [group, version] = apiVersion.split("/");
  const crd = crds.find((c) => {
    const spec = c.spec as { group: string; names: { kind: string } };
    return spec.group === group && spec.names.kind === kind;
  });
  if (!crd) return [`no CRD in the render serves ${apiVersion} ${kind}`];
  const served = (
    crd.spec as { versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema: OpenApiSchema } }> }
  ).versions.find((v) => v.name === version && v.served);
  if (!served?.schema) return [`CRD ${String(meta(crd).name)} does not serve ${version}`];
  const { metadata, apiVersion: _a, kind: _k, ...rest } = object;
  const { ConfigMap } = (await import("kubernetes-models/v1")) as unknown as ModelModule;
  try {
    new ConfigMap({ apiVersion: "v1", kind: "ConfigMap", metadata }).validate();
  } catch (error) {
    return [`metadata: ${String(error instanceof Error ? error.message : error)}`];
  }
  const schema = served.schema.openAPIV3Schema;
  const body = {
    ...schema,
    properties: Object.fromEntries(
      Object.entries(schema.properties ?? {}).filter(([k]) => !["apiVersion", "kind", "metadata"].includes(k)),
    ),
  };
  return openApiProblems(rest, body, kind);
}
