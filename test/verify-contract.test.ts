/**
 * The contract between the program and `npm run verify`, checked both ways on the program's own runs rather
 * than on hand-kept copies: every stack output verify reads is one the program exports (and of the form
 * verify expects), every URL the program exports is one verify checks; every object verify looks for is one
 * the program declares, and every load balancer the program declares is one verify looks at; and the
 * recorded cluster verify's tests answer from is the cluster this program makes.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { V1Ingress, V1Service } from "@kubernetes/client-node";
import { KUBERNETES } from "../components/resource-types";
import { expandReleases } from "../render/charts";
import { ofType, type ProgramRun, type RecordedResource, runProgram } from "../render/harness";
import {
  EXTERNAL_DNS_DEPLOYMENT,
  KARPENTER_DEPLOYMENT,
  LB_CONTROLLER_DEPLOYMENT,
  type ObjectRef,
} from "../verify/checks/controllers";
import { URL_LOAD_BALANCERS } from "../verify/checks/dns";
import {
  APP_NAMESPACES,
  EXPECTED_INGRESSES,
  EXPECTED_LB_SERVICES,
  EXPECTED_TARGET_SERVICES,
} from "../verify/checks/load-balancers";
import { ECHO_CLUSTER_URL, ECHO_SERVICE } from "../verify/checks/zones";
import { parseStackOutputs, URL_KEYS } from "../verify/outputs";
import { fixtures } from "./fixtures/verify/load";
import { programStackOutputs, RECORDED_LOAD_BALANCERS, VERIFIED_STACKS } from "./fixtures/verify/program-outputs";

const SERVICE = KUBERNETES.service;
const INGRESS = KUBERNETES.ingress;

const metaOf = (r: RecordedResource) =>
  (r.inputs.metadata ?? {}) as { name?: string; namespace?: string; annotations?: Record<string, string> };
/** `value` cut down to the keys `shape` has, at every depth (lists element by element): a recorded answer as the program declared it. */
function asShapedLike(shape: unknown, value: unknown): unknown {
  if (Array.isArray(shape)) return Array.isArray(value) ? shape.map((s, i) => asShapedLike(s, value[i])) : value;
  if (typeof shape !== "object" || shape === null || typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(shape).map((k) => [
      k,
      asShapedLike((shape as Record<string, unknown>)[k], (value as Record<string, unknown>)[k]),
    ]),
  );
}

const refOf = (r: RecordedResource): string => `${metaOf(r).namespace}/${metaOf(r).name}`;
const refs = (list: readonly ObjectRef[]) => list.map((o) => `${o.namespace}/${o.name}`).sort();
const loadBalancerServices = (run: ProgramRun) =>
  ofType(run, SERVICE).filter((s) => (s.inputs.spec as { type?: string }).type === "LoadBalancer");

/** Every key verify reads: the keys of what its parser returns, whatever it is given. */
const VERIFY_KEYS = Object.keys(parseStackOutputs({}).outputs).sort();

describe("verify reads what the program exports, and checks what it declares", async () => {
  const stacks = await Promise.all(
    Object.entries(VERIFIED_STACKS).map(async ([name, config]) => ({
      name,
      config: config as Readonly<Record<string, string>>,
      run: await runProgram({ config, loadBalancers: RECORDED_LOAD_BALANCERS }),
      outputs: await programStackOutputs(config),
    })),
  );

  it("every stack output verify reads is exported, of the form verify expects, in both stacks", () => {
    assert.equal(stacks.length, 2);
    assert.equal(VERIFY_KEYS.length, 11, `verify reads ${VERIFY_KEYS.join(", ")}`);
    for (const { name, config, outputs } of stacks) {
      const parsed = parseStackOutputs(outputs);
      assert.deepEqual(parsed.problems, [], name);
      const missing = VERIFY_KEYS.filter((key) => parsed.outputs[key as keyof typeof parsed.outputs] === undefined);
      assert.deepEqual(
        missing,
        "domain" in config ? [] : ["domain"],
        `${name}: verify reads outputs the program does not export`,
      );
    }
  });

  it("every URL the program exports is one verify knows, and verify knows no other", () => {
    for (const { name, outputs } of stacks) {
      assert.deepEqual(Object.keys(outputs.urls as Record<string, string>).sort(), [...URL_KEYS].sort(), name);
    }
  });

  it("every object verify looks for is one the program declares, of the kind verify expects", () => {
    for (const { name, run } of stacks) {
      const services = ofType(run, SERVICE).map(refOf);
      const ingresses = ofType(run, INGRESS).map(refOf);
      for (const [key, object] of Object.entries(URL_LOAD_BALANCERS)) {
        assert.ok(
          (object.kind === "Service" ? services : ingresses).includes(`${object.namespace}/${object.name}`),
          `${name}: urls.${key} is served by no ${object.kind} ${object.namespace}/${object.name}`,
        );
      }
      for (const ref of refs(EXPECTED_INGRESSES)) assert.ok(ingresses.includes(ref), `${name}: no Ingress ${ref}`);
      for (const ref of refs([...EXPECTED_LB_SERVICES, ...EXPECTED_TARGET_SERVICES, ECHO_SERVICE]))
        assert.ok(services.includes(ref), `${name}: no Service ${ref}`);
      assert.equal(ECHO_CLUSTER_URL, `http://${ECHO_SERVICE.name}.${ECHO_SERVICE.namespace}.svc.cluster.local/`);
    }
  });

  it("the recorded Karpenter NodePools and node classes are the ones the program declares and names in karpenterNodePools", () => {
    for (const { name, run, outputs } of stacks) {
      const declared = (type: string) =>
        ofType(run, type)
          .map((r) => String(metaOf(r).name))
          .sort();
      const exported = Object.keys(outputs.karpenterNodePools as Record<string, unknown>).sort();
      assert.ok(exported.length >= 1, `${name}: ${exported.length} pools exported`);
      assert.deepEqual(declared(KUBERNETES.nodePool), exported, name);
      assert.deepEqual(declared(KUBERNETES.ec2NodeClass), exported, name);
      assert.deepEqual(
        fixtures
          .karpenterNodePools()
          .map((o) => o.metadata?.name)
          .sort(),
        exported,
        `${name}: the recorded NodePools`,
      );
      assert.deepEqual(
        fixtures
          .karpenterNodeClasses()
          .map((o) => o.metadata?.name)
          .sort(),
        exported,
        `${name}: the recorded node classes`,
      );
    }
  });

  it("the recorded autoscalers are the program's: one per app, named after it, with every field it declares as declared", () => {
    for (const { name, run } of stacks) {
      const declared = new Map(ofType(run, KUBERNETES.horizontalPodAutoscaler).map((r) => [refOf(r), r.inputs.spec]));
      assert.deepEqual(
        [...declared.keys()].sort(),
        APP_NAMESPACES.map((app) => `${app}/${app}`).sort(),
        `${name}: verify looks for each app's autoscaler by the app's name`,
      );
      const recorded = new Map(
        fixtures.autoscalers().map((h) => [`${h.metadata?.namespace}/${h.metadata?.name}`, h.spec]),
      );
      assert.deepEqual([...recorded.keys()].sort(), [...declared.keys()].sort(), `${name}: the recorded autoscalers`);
      // The API server answers with the fields the program set and the ones it defaults (a behavior given is
      // filled in: kubernetes v1.28 pkg/apis/autoscaling/v2/defaults.go L93-100): the program's must all be there.
      for (const [ref, spec] of declared)
        assert.deepEqual(asShapedLike(spec, recorded.get(ref)), spec, `${name}: ${ref}`);
    }
  });

  it("every load balancer the program declares is one verify looks at", () => {
    for (const { name, run } of stacks) {
      const declaredServices = loadBalancerServices(run).map(refOf).sort();
      const declaredIngresses = ofType(run, INGRESS).map(refOf).sort();
      assert.equal(declaredServices.length, 2, name);
      assert.equal(declaredIngresses.length, 3, name);
      assert.deepEqual(declaredServices, refs(EXPECTED_LB_SERVICES), name);
      assert.deepEqual(declaredIngresses, refs(EXPECTED_INGRESSES), name);
    }
  });

  it("the controller Deployments verify reads are the ones the pinned charts make", {
    skip: process.platform === "linux" && process.arch === "x64" ? false : "the pinned helm runs on linux-x64 only",
  }, async () => {
    const withDomain = stacks.find((s) => "domain" in s.config);
    assert.ok(withDomain);
    const charts = await expandReleases(withDomain.run);
    assert.ok("expanded" in charts, "the charts were not expanded");
    const deployments = charts.expanded.flatMap((e) =>
      e.objects
        .filter((o) => o.object.kind === "Deployment")
        .map(
          (o) =>
            `${(o.object.metadata as { namespace?: string }).namespace ?? e.namespace}/${(o.object.metadata as { name: string }).name}`,
        ),
    );
    assert.deepEqual(
      deployments.sort(),
      refs([LB_CONTROLLER_DEPLOYMENT, EXTERNAL_DNS_DEPLOYMENT, KARPENTER_DEPLOYMENT]),
    );
  });

  it("the recorded cluster is this program's: its load balancers are the ones declared, with the same listeners", () => {
    const withDomain = stacks.find((s) => "domain" in s.config);
    assert.ok(withDomain);
    const recordedServices = fixtures.services().filter((s) => s.spec?.type === "LoadBalancer");
    const recordedIngresses = fixtures.ingresses();
    const ref = (o: V1Service | V1Ingress) => `${o.metadata?.namespace}/${o.metadata?.name}`;
    assert.deepEqual(recordedServices.map(ref).sort(), loadBalancerServices(withDomain.run).map(refOf).sort());
    assert.deepEqual(recordedIngresses.map(ref).sort(), ofType(withDomain.run, INGRESS).map(refOf).sort());
    // What decides how a load balancer answers: its ports, TLS ports and scheme; an ALB's listeners, redirect and group.
    const listenerKeys = [
      "service.beta.kubernetes.io/aws-load-balancer-scheme",
      "service.beta.kubernetes.io/aws-load-balancer-ssl-ports",
      "alb.ingress.kubernetes.io/scheme",
      "alb.ingress.kubernetes.io/listen-ports",
      "alb.ingress.kubernetes.io/ssl-redirect",
      "alb.ingress.kubernetes.io/group.name",
    ];
    const pick = (a: Record<string, string> | undefined) =>
      Object.fromEntries(listenerKeys.filter((k) => a?.[k] !== undefined).map((k) => [k, a?.[k]]));
    for (const declared of [...loadBalancerServices(withDomain.run), ...ofType(withDomain.run, INGRESS)]) {
      const recorded = [...recordedServices, ...recordedIngresses].find((o) => ref(o) === refOf(declared));
      assert.ok(recorded, `${refOf(declared)} is not in the recorded cluster`);
      // An Ingress's class decides its group too (the games' fenced class).
      assert.equal(
        (recorded.spec as { ingressClassName?: string } | undefined)?.ingressClassName,
        (declared.inputs.spec as { ingressClassName?: string } | undefined)?.ingressClassName,
        `${refOf(declared)}: another class`,
      );
      assert.deepEqual(
        pick(recorded.metadata?.annotations),
        pick(metaOf(declared).annotations),
        `${refOf(declared)}: listeners differ from the program's`,
      );
      if (declared.type === SERVICE) {
        const ports = (o: { port: number; name?: string }[] | undefined) =>
          (o ?? []).map((p) => `${p.name}:${p.port}`).sort();
        assert.deepEqual(
          ports((recorded as V1Service).spec?.ports),
          ports((declared.inputs.spec as { ports: { port: number; name?: string }[] }).ports),
          `${refOf(declared)}: ports differ`,
        );
      }
    }
  });
});
