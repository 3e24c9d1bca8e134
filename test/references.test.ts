/**
 * Every reference from one object to another, checked whole (API group or version, kind, name, namespace),
 * against the object it must name as the program and the pinned charts declare it: a reference right by name
 * but wrong in its group or kind points at nothing, and Kubernetes says so only at run time.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AWS, KUBERNETES } from "../components/resource-types";
import { expandReleases } from "../render/charts";
import { ofType, type RecordedResource, runProgram } from "../render/harness";

const helmRuns = process.platform === "linux" && process.arch === "x64";

/** An object as a reference names it. */
interface Named {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

/** The group, version and kind a Pulumi Kubernetes type token stands for (`kubernetes:<group>/<version>:<Kind>`). */
function typeOf(token: string): Omit<Named, "name" | "namespace"> {
  const [, groupVersion, kind] = token.split(":");
  const parts = groupVersion.split("/");
  const [group, version] = parts.length === 2 ? (parts[0] === "core" ? ["", parts[1]] : parts) : ["", parts[0]];
  return { group, version, kind };
}

function declared(resource: RecordedResource): Named {
  const metadata = resource.inputs.metadata as { name: string; namespace?: string };
  return {
    ...typeOf(resource.type),
    name: metadata.name,
    ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
  };
}

describe("references name their targets whole", async () => {
  const run = await runProgram({ config: { domain: "example.com" } });

  it("each NodePool's nodeClassRef names a declared EC2NodeClass by group, kind and name", () => {
    const classes = ofType(run, KUBERNETES.ec2NodeClass).map(declared);
    const pools = ofType(run, KUBERNETES.nodePool);
    assert.ok(pools.length >= 1 && classes.length === pools.length);
    for (const pool of pools) {
      const ref = (
        pool.inputs.spec as { template: { spec: { nodeClassRef: { group: string; kind: string; name: string } } } }
      ).template.spec.nodeClassRef;
      const target = classes.find((c) => c.name === ref.name);
      assert.ok(target, `${pool.name}: no EC2NodeClass ${ref.name}`);
      assert.deepEqual({ group: ref.group, kind: ref.kind }, { group: target.group, kind: target.kind }, pool.name);
    }
  });

  it("each HorizontalPodAutoscaler's scaleTargetRef names a declared Deployment of its namespace by apiVersion, kind and name", () => {
    const deployments = ofType(run, KUBERNETES.deployment).map(declared);
    const autoscalers = ofType(run, KUBERNETES.horizontalPodAutoscaler);
    assert.ok(autoscalers.length >= 4);
    for (const hpa of autoscalers) {
      const namespace = (hpa.inputs.metadata as { namespace: string }).namespace;
      const ref = (hpa.inputs.spec as { scaleTargetRef: { apiVersion: string; kind: string; name: string } })
        .scaleTargetRef;
      const target = deployments.find((d) => d.name === ref.name && d.namespace === namespace);
      assert.ok(target, `${hpa.name}: no Deployment ${namespace}/${ref.name}`);
      assert.deepEqual(
        { apiVersion: ref.apiVersion, kind: ref.kind },
        { apiVersion: `${target.group}/${target.version}`, kind: target.kind },
        hpa.name,
      );
    }
  });

  it("each Pod Identity association names the service account its controller's chart makes and its Deployment runs as; each Ingress an IngressClass of the load balancer controller, and what that names", {
    skip: !helmRuns && "the pinned helm runs on linux-x64 only",
  }, async () => {
    const charts = await expandReleases(run);
    assert.ok("expanded" in charts, "the charts were not expanded");
    const objects = charts.expanded.flatMap((e) =>
      e.objects.map(({ object }) => {
        const metadata = object.metadata as { name: string; namespace?: string };
        return { object, namespace: metadata.namespace ?? e.namespace, name: metadata.name };
      }),
    );
    const associations = ofType(run, AWS.eksPodIdentityAssociation);
    assert.equal(associations.length, 3, "the load balancer controller, ExternalDNS, Karpenter");
    for (const a of associations) {
      const { namespace, serviceAccount } = a.inputs as { namespace: string; serviceAccount: string };
      const account = objects.find(
        (o) =>
          o.object.kind === "ServiceAccount" &&
          o.object.apiVersion === "v1" &&
          o.name === serviceAccount &&
          o.namespace === namespace,
      );
      assert.ok(account, `${a.name}: the charts make no ServiceAccount ${namespace}/${serviceAccount}`);
      const runsAs = objects.filter(
        (o) =>
          o.object.kind === "Deployment" &&
          o.namespace === namespace &&
          (o.object.spec as { template: { spec: { serviceAccountName?: string } } }).template.spec
            .serviceAccountName === serviceAccount,
      );
      assert.equal(runsAs.length, 1, `${a.name}: one Deployment runs as ${serviceAccount}`);
    }

    // The classes and parameters the charts make, and those the program makes (the games' fenced group).
    for (const r of [...ofType(run, KUBERNETES.ingressClass), ...ofType(run, KUBERNETES.ingressClassParams)]) {
      const object = r.inputs as Record<string, unknown>;
      objects.push({ object, namespace: "", name: (object.metadata as { name: string }).name });
    }
    const classes = objects.filter(
      (o) => o.object.apiVersion === "networking.k8s.io/v1" && o.object.kind === "IngressClass",
    );
    const ingresses = ofType(run, KUBERNETES.ingress);
    assert.ok(ingresses.length >= 3);
    for (const ingress of ingresses) {
      const className = (ingress.inputs.spec as { ingressClassName?: string }).ingressClassName;
      const ingressClass = classes.find((c) => c.name === className);
      assert.ok(ingressClass, `${ingress.name}: no IngressClass ${className}`);
      const spec = ingressClass.object.spec as {
        controller: string;
        parameters?: { apiGroup: string; kind: string; name: string };
      };
      // The controller the load balancer controller claims (aws-load-balancer-controller docs, IngressClass).
      assert.equal(spec.controller, "ingress.k8s.aws/alb", `${className}'s controller`);
      if (spec.parameters) {
        const params = spec.parameters;
        const target = objects.find(
          (o) =>
            o.object.apiVersion === `${params.apiGroup}/v1beta1` &&
            o.object.kind === params.kind &&
            o.name === params.name,
        );
        assert.ok(target, `${className} names ${params.apiGroup} ${params.kind} ${params.name}, which nothing makes`);
      }
    }
  });
});
