/** The NetworkPolicy evaluator (test/network-policy-eval.ts), held to the API's semantics case by case. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { admittedPorts, type Pod, type PolicySpec } from "./network-policy-eval";

const pod: Pod = {
  namespace: "a",
  labels: { app: "x" },
  ip: "10.0.0.5",
  ports: { http: { port: 8080, protocol: "TCP" }, dns: { port: 53, protocol: "UDP" } },
};
const policy = (spec: Partial<PolicySpec>) => [
  { namespace: "a", spec: { podSelector: {}, policyTypes: ["Ingress"], ...spec } },
];
const from = { ip: "192.0.2.1" };

describe("network-policy-eval", () => {
  it("a pod no policy selects admits everything; a selecting policy with no rules admits nothing", () => {
    assert.equal(admittedPorts([], from, pod).length, 3);
    assert.deepEqual(admittedPorts(policy({}), from, pod), []);
    assert.equal(
      admittedPorts([{ namespace: "b", spec: { podSelector: {}, policyTypes: ["Ingress"] } }], from, pod).length,
      3,
      "another namespace's policy",
    );
  });

  it("ports: TCP by default, a range with endPort, every port without one, named ports by name and protocol", () => {
    assert.deepEqual(admittedPorts(policy({ ingress: [{ ports: [{ port: 80 }] }] }), from, pod), [
      { protocol: "TCP", from: 80, to: 80 },
    ]);
    assert.deepEqual(
      admittedPorts(policy({ ingress: [{ ports: [{ protocol: "UDP", port: 1000, endPort: 1010 }] }] }), from, pod),
      [{ protocol: "UDP", from: 1000, to: 1010 }],
    );
    assert.deepEqual(admittedPorts(policy({ ingress: [{ ports: [{ protocol: "SCTP" }] }] }), from, pod), [
      { protocol: "SCTP", from: 1, to: 65535 },
    ]);
    assert.deepEqual(admittedPorts(policy({ ingress: [{ ports: [{ port: "http" }] }] }), from, pod), [
      { protocol: "TCP", from: 8080, to: 8080 },
    ]);
    assert.deepEqual(
      admittedPorts(policy({ ingress: [{ ports: [{ port: "dns" }] }] }), from, pod),
      [],
      "dns is UDP: a TCP rule naming it admits nothing",
    );
    assert.deepEqual(admittedPorts(policy({ ingress: [{ ports: [{ port: "nope" }] }] }), from, pod), []);
    assert.equal(
      admittedPorts(policy({ ingress: [{}] }), from, pod).length,
      3,
      "no ports: every port of every protocol",
    );
  });

  it("peers: ipBlock less except, pods of the policy's namespace, of selected namespaces, both selectors together", () => {
    const block = policy({
      ingress: [{ from: [{ ipBlock: { cidr: "192.0.2.0/24", except: ["192.0.2.0/28"] } }], ports: [{ port: 80 }] }],
    });
    assert.equal(admittedPorts(block, { ip: "192.0.2.100" }, pod).length, 1);
    assert.equal(admittedPorts(block, { ip: "192.0.2.1" }, pod).length, 0);
    const client: Pod = { namespace: "b", labels: { role: "client" }, ip: "10.0.0.9" };
    const sameNamespace = policy({ ingress: [{ from: [{ podSelector: { matchLabels: { role: "client" } } }] }] });
    assert.equal(
      admittedPorts(sameNamespace, { ip: client.ip, pod: client }, pod).length,
      0,
      "a podSelector alone means the policy's namespace",
    );
    const both = policy({
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "b" } },
              podSelector: { matchLabels: { role: "client" } },
            },
          ],
        },
      ],
    });
    assert.equal(admittedPorts(both, { ip: client.ip, pod: client }, pod).length, 3);
    assert.equal(admittedPorts(both, { ip: client.ip, pod: { ...client, labels: {} } }, pod).length, 0);
  });

  it("refuses what it does not model", () => {
    assert.throws(
      () =>
        admittedPorts(
          [{ namespace: "a", spec: { podSelector: { matchExpressions: [{}] }, policyTypes: ["Ingress"] } }],
          from,
          pod,
        ),
      /matchExpressions/,
    );
  });
});
