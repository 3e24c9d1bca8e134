/** The NetworkPolicy evaluator (test/network-policy-eval.ts), held to the API's semantics case by case. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { admittedPorts, egressPorts, mayConnect, type Pod, type PolicySpec } from "./network-policy-eval";

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

describe("network-policy-eval: egress, and a connection needing both ends", () => {
  const client: Pod = { namespace: "a", labels: { app: "client" }, ip: "10.0.0.5" };
  const server: Pod = { namespace: "b", labels: { app: "server" }, ip: "10.0.1.5", ports: { web: { port: 8080 } } };
  const all = [
    { protocol: "TCP", from: 1, to: 65535 },
    { protocol: "UDP", from: 1, to: 65535 },
    { protocol: "SCTP", from: 1, to: 65535 },
  ];
  const deny: PolicySpec = { podSelector: {}, policyTypes: ["Egress"] };
  const toServerByName: PolicySpec = {
    podSelector: { matchLabels: { app: "client" } },
    policyTypes: ["Egress"],
    egress: [
      {
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "b" } } }],
        ports: [{ port: "web" }],
      },
    ],
  };
  const toCidr: PolicySpec = {
    podSelector: {},
    egress: [
      { to: [{ ipBlock: { cidr: "10.0.1.0/24", except: ["10.0.1.128/25"] } }], ports: [{ port: 22, endPort: 23 }] },
    ],
  };

  it("a pod no egress policy selects may send anywhere; a selected one only what a rule allows", () => {
    assert.deepEqual(egressPorts([], client, { ip: "8.8.8.8" }), all);
    assert.deepEqual(egressPorts([{ namespace: "a", spec: deny }], client, { ip: "8.8.8.8" }), []);
    assert.deepEqual(
      egressPorts([{ namespace: "other", spec: deny }], client, { ip: "8.8.8.8" }),
      all,
      "another namespace's policy",
    );
  });

  it("named ports resolve on the destination pod; ipBlock's except and port ranges hold; the policy type defaults from the egress field", () => {
    const policies = [{ namespace: "a", spec: toServerByName }];
    assert.deepEqual(egressPorts(policies, client, { ip: server.ip, pod: server }), [
      { protocol: "TCP", from: 8080, to: 8080 },
    ]);
    assert.deepEqual(egressPorts(policies, client, { ip: "10.0.1.9" }), [], "a bare address has no named port");
    const cidr = [{ namespace: "a", spec: toCidr }];
    assert.deepEqual(egressPorts(cidr, client, { ip: "10.0.1.9" }), [{ protocol: "TCP", from: 22, to: 23 }]);
    assert.deepEqual(egressPorts(cidr, client, { ip: "10.0.1.200" }), [], "in the except range");
  });

  it("a connection needs the source's egress and the destination's ingress", () => {
    const denyIn: PolicySpec = { podSelector: {}, policyTypes: ["Ingress"] };
    const egressOk = [{ namespace: "a", spec: toServerByName }];
    assert.equal(mayConnect(egressOk, client, { ip: server.ip, pod: server }, 8080), true);
    assert.equal(
      mayConnect([...egressOk, { namespace: "b", spec: denyIn }], client, { ip: server.ip, pod: server }, 8080),
      false,
    );
    assert.equal(mayConnect([{ namespace: "a", spec: deny }], client, { ip: server.ip, pod: server }, 8080), false);
  });
});
