/**
 * verify's checks as rules, each on recorded API answers (test/fixtures/verify/): passing on the healthy
 * stack, and failing when the one fact it guards is broken.
 */

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { TargetHealthDescription } from "@aws-sdk/client-elastic-load-balancing-v2";
import { burstCommand } from "../verify/catalog";
import { checkAutoscaling } from "../verify/checks/autoscaling";
import {
  checkDeploymentReady,
  EXTERNAL_DNS,
  EXTERNAL_DNS_DEPLOYMENT,
  LB_CONTROLLER,
  LB_CONTROLLER_DEPLOYMENT,
} from "../verify/checks/controllers";
import { checkDnsRecords, checkHeadlessDns, parseDigShort, peerNames } from "../verify/checks/dns";
import { checkSourceIp, parseEchoAnswer, parseEchoHostnames } from "../verify/checks/echo";
import { cidrContains, parseCidr } from "../verify/checks/ipv4";
import { checkKarpenterPools } from "../verify/checks/karpenter";
import { checkKubeProxyMode, configuredMode } from "../verify/checks/kube-proxy";
import {
  checkLoadBalancerAddresses,
  checkTargetHealth,
  EXPECTED_INGRESSES,
  EXPECTED_LB_SERVICES,
  EXPECTED_TARGET_SERVICES,
  type TargetGroupHealth,
} from "../verify/checks/load-balancers";
import { checkMaxPods, checkPrefixDelegation } from "../verify/checks/nodes";
import type { CheckResult } from "../verify/checks/result";
import {
  certificateCovers,
  checkGames,
  checkRedirects,
  checkTls,
  GAME_MARKERS,
  type TlsProbe,
} from "../verify/checks/web";
import { checkZoneHints, checkZoneLocal, podZones } from "../verify/checks/zones";
import { arnRegion } from "../verify/clients/elbv2";
import { clientNodeEngineProblems, exitCodeOf, meetsMinimum } from "../verify/clients/kubernetes";
import { parseStackOutputs } from "../verify/outputs";
import { echoPage, fixtures } from "./fixtures/verify/load";
import { programStackOutputs, VERIFIED_STACKS } from "./fixtures/verify/program-outputs";

const NODE_GROUPS = { general: { instanceTypes: ["m7i.large"], maxPods: 110, kubeReservedMemory: "1465Mi" } };

function passes(result: CheckResult): void {
  assert.equal(result.status, "pass", result.evidence);
}

/** Fails, and the evidence names what broke. */
function fails(result: CheckResult, because: RegExp): void {
  assert.equal(result.status, "fail", result.evidence);
  assert.match(result.evidence, because);
}

describe("verify max-pods: every node's pod capacity is its node group's computed max pods", () => {
  it("passes when each node reports the group's max pods", () => passes(checkMaxPods(fixtures.nodes(), NODE_GROUPS)));

  it("fails for a node that booted before prefix delegation (29 pods on m7i.large)", () => {
    const nodes = fixtures.nodes();
    nodes[1].status = { ...nodes[1].status, capacity: { ...nodes[1].status?.capacity, pods: "29" } };
    fails(checkMaxPods(nodes, NODE_GROUPS), /ip-10-0-71-9.*capacity\.pods=29, computed 110/);
  });

  it("fails for a node outside the program's node groups, and when there are no nodes", () => {
    const nodes = fixtures.nodes();
    delete nodes[0].metadata?.labels?.["eks-platform/node-group"];
    fails(checkMaxPods(nodes, NODE_GROUPS), /no eks-platform\/node-group label/);
    fails(checkMaxPods([], NODE_GROUPS), /nothing to check/);
  });

  it("a node Karpenter launched is held to its pool's exact max pods, from the karpenterNodePools output", () => {
    const pools = {
      "pods-110": { maxPods: 110, kubeReservedMemory: "1465Mi", instanceTypes: ["c7g.xlarge", "m7i.large"] },
    };
    const karpenterNode = () => {
      const nodes = fixtures.nodes();
      const labels = nodes[0].metadata?.labels ?? {};
      delete labels["eks-platform/node-group"];
      labels["karpenter.sh/nodepool"] = "pods-110";
      labels["node.kubernetes.io/instance-type"] = "c7g.xlarge";
      return nodes;
    };
    passes(checkMaxPods(karpenterNode(), NODE_GROUPS, pools));
    const short = karpenterNode();
    short[0].status = { ...short[0].status, capacity: { ...short[0].status?.capacity, pods: "58" } };
    fails(
      checkMaxPods(short, NODE_GROUPS, pools),
      /Karpenter pods-110, c7g\.xlarge\): status\.capacity\.pods=58, computed 110/,
    );
    fails(
      checkMaxPods(karpenterNode(), NODE_GROUPS, {}),
      /Karpenter pool pods-110 is not in the karpenterNodePools output/,
    );
    // A type the pool does not admit runs at a max pods computed for another: refused even when the number matches.
    const foreign = karpenterNode();
    (foreign[0].metadata?.labels ?? {})["node.kubernetes.io/instance-type"] = "c7g.medium";
    fails(checkMaxPods(foreign, NODE_GROUPS, pools), /c7g\.medium is not one of the pool's 2 types/);
  });

  it("fails for an instance type the group was not computed for", () => {
    const nodes = fixtures.nodes();
    const labels = nodes[2].metadata?.labels ?? {};
    labels["node.kubernetes.io/instance-type"] = "t3.medium";
    fails(checkMaxPods(nodes, NODE_GROUPS), /t3\.medium is not one of the group's types/);
  });
});

describe("verify karpenter-pools: every NodePool and its node class is Ready", () => {
  const pools = {
    "pods-110": { maxPods: 110, kubeReservedMemory: "1465Mi", instanceTypes: ["c5.large", "m7i.large"] },
  };
  it("passes when the pool and its class report Ready", () =>
    passes(checkKarpenterPools(pools, fixtures.karpenterNodePools(), fixtures.karpenterNodeClasses())));

  it("fails for a class whose AMI cannot be resolved, a pool not yet applied, and no pools at all", () => {
    const classes = fixtures.karpenterNodeClasses().map((c) =>
      c.metadata?.name === "pods-110"
        ? {
            ...c,
            status: {
              conditions: [{ type: "Ready", status: "False", message: "AMISelector did not match any AMIs" }],
            },
          }
        : c,
    );
    fails(
      checkKarpenterPools(pools, fixtures.karpenterNodePools(), classes),
      /EC2NodeClass pods-110 not Ready \(False: AMISelector did not match any AMIs\)/,
    );
    fails(
      checkKarpenterPools(
        pools,
        fixtures.karpenterNodePools().filter((p) => p.metadata?.name !== "pods-110"),
        fixtures.karpenterNodeClasses(),
      ),
      /NodePool pods-110 not found/,
    );
    fails(
      checkKarpenterPools(
        pools,
        fixtures.karpenterNodePools().map((p) => ({ ...p, status: {} })),
        fixtures.karpenterNodeClasses(),
      ),
      /NodePool pods-110 not Ready \(no Ready condition yet\)/,
    );
    fails(checkKarpenterPools({}, fixtures.karpenterNodePools(), fixtures.karpenterNodeClasses()), /names no pool/);
  });
});

describe("verify autoscaling: the metrics API answers and every app's autoscaler reads its pods' CPU", () => {
  const apps = ["echo", "game-2048", "tetris", "mario"].map((app) => ({ namespace: app, name: app }));
  it("passes with the metrics API Available and four autoscalers with a valid metric", () => {
    const result = checkAutoscaling(fixtures.metricsApiService(), fixtures.autoscalers(), apps);
    passes(result);
    assert.match(result.evidence, /^ok {3}echo\/echo: 3 replicas \(3 to 12\), CPU 2% of request \(target 70%\)$/m);
  });

  it("fails without the metrics API, with an autoscaler that cannot read its metric, and with one missing or aimed elsewhere", () => {
    fails(checkAutoscaling(undefined, fixtures.autoscalers(), apps), /APIService v1beta1\.metrics\.k8s\.io not found/);
    const unreachable = fixtures.metricsApiService();
    unreachable.status = {
      conditions: [
        {
          type: "Available",
          status: "False",
          reason: "FailedDiscoveryCheck",
          message: "failing or missing response from https://10.0.12.31:10251/apis/metrics.k8s.io/v1beta1",
        },
      ],
    };
    fails(
      checkAutoscaling(unreachable, fixtures.autoscalers(), apps),
      /not Available \(FailedDiscoveryCheck: failing or missing response/,
    );
    const blind = fixtures.autoscalers();
    const conditions = blind.find((h) => h.metadata?.name === "mario")?.status?.conditions ?? [];
    conditions[1] = {
      type: "ScalingActive",
      status: "False",
      reason: "FailedGetResourceMetric",
      message: "the HPA was unable to compute the replica count: unable to get metrics for resource cpu",
      lastTransitionTime: new Date(0),
    };
    fails(
      checkAutoscaling(fixtures.metricsApiService(), blind, apps),
      /mario\/mario: 3 replicas \(3 to 12\), not scaling: ScalingActive False \(FailedGetResourceMetric/,
    );
    fails(
      checkAutoscaling(
        fixtures.metricsApiService(),
        fixtures.autoscalers().filter((h) => h.metadata?.name !== "tetris"),
        apps,
      ),
      /tetris\/tetris: no HorizontalPodAutoscaler/,
    );
    const elsewhere = fixtures.autoscalers();
    const echo = elsewhere.find((h) => h.metadata?.name === "echo");
    if (echo?.spec) echo.spec.scaleTargetRef.name = "echo-old";
    fails(
      checkAutoscaling(fixtures.metricsApiService(), elsewhere, apps),
      /scales Deployment echo-old, not Deployment echo/,
    );
  });
});

describe("verify prefix-delegation: aws-node runs with prefix delegation as configured", () => {
  it("passes when ENABLE_PREFIX_DELEGATION=true is rolled out and the stack wants it", () =>
    passes(checkPrefixDelegation(fixtures.awsNode(), true)));

  it("fails when the setting is off but the stack wants it on", () => {
    const ds = fixtures.awsNode();
    const env = ds.spec?.template.spec?.containers[0].env?.find((e) => e.name === "ENABLE_PREFIX_DELEGATION");
    assert.ok(env);
    env.value = "false";
    fails(checkPrefixDelegation(ds, true), /ENABLE_PREFIX_DELEGATION=false, stack output prefixDelegation=true/);
    passes(checkPrefixDelegation(ds, false));
  });

  it("fails while aws-node pods still run the old template", () => {
    const ds = fixtures.awsNode();
    ds.status = {
      ...ds.status,
      currentNumberScheduled: 3,
      desiredNumberScheduled: 3,
      numberMisscheduled: 0,
      numberReady: 3,
      updatedNumberScheduled: 1,
    };
    fails(checkPrefixDelegation(ds, true), /rollout not complete/);
  });

  it("fails when aws-node is missing", () => fails(checkPrefixDelegation(undefined, true), /not found/));
});

describe("verify lb-controller and external-dns: the controllers are rolled out and ready", () => {
  it("passes for both fixture Deployments", () => {
    passes(
      checkDeploymentReady(
        LB_CONTROLLER,
        LB_CONTROLLER_DEPLOYMENT,
        fixtures.deployment("aws-load-balancer-controller"),
      ),
    );
    passes(checkDeploymentReady(EXTERNAL_DNS, EXTERNAL_DNS_DEPLOYMENT, fixtures.deployment("external-dns")));
  });

  it("fails with one of two replicas ready, with a spec not yet observed, and when missing", () => {
    const lbc = fixtures.deployment("aws-load-balancer-controller");
    lbc.status = { ...lbc.status, readyReplicas: 1, availableReplicas: 1 };
    fails(checkDeploymentReady(LB_CONTROLLER, LB_CONTROLLER_DEPLOYMENT, lbc), /1\/2 ready/);
    const edns = fixtures.deployment("external-dns");
    edns.metadata = { ...edns.metadata, generation: 2 };
    fails(checkDeploymentReady(EXTERNAL_DNS, EXTERNAL_DNS_DEPLOYMENT, edns), /latest spec not yet observed/);
    fails(checkDeploymentReady(EXTERNAL_DNS, EXTERNAL_DNS_DEPLOYMENT, undefined), /not found/);
  });
});

describe("verify lb-addresses: every LoadBalancer Service and Ingress has an address", () => {
  const expected = { ingresses: EXPECTED_INGRESSES, services: EXPECTED_LB_SERVICES };

  it("passes when the controller wrote each hostname", () =>
    passes(checkLoadBalancerAddresses(fixtures.services(), fixtures.ingresses(), expected)));

  it("fails for a Service still waiting for its NLB", () => {
    const services = fixtures.services();
    const nlb = services.find((s) => s.metadata?.name === "echo-nlb");
    assert.ok(nlb);
    nlb.status = { loadBalancer: {} };
    fails(checkLoadBalancerAddresses(services, fixtures.ingresses(), expected), /Service echo\/echo-nlb: no address/);
  });

  it("fails when an Ingress the apps declare does not exist", () => {
    const ingresses = fixtures.ingresses().filter((i) => i.metadata?.name !== "mario");
    fails(checkLoadBalancerAddresses(fixtures.services(), ingresses, expected), /Ingress mario\/mario: not found/);
  });
});

describe("verify target-health: every bound target group has healthy targets", () => {
  const groups = (change?: (arn: string, targets: TargetHealthDescription[]) => void): TargetGroupHealth[] => {
    const health = fixtures.targetHealth();
    return fixtures.targetGroupBindings().map((binding) => {
      const arn = binding.spec?.targetGroupARN ?? "";
      const targets = health[arn].TargetHealthDescriptions;
      change?.(arn, targets);
      return { binding, targets };
    });
  };

  it("passes with three healthy targets in every group", () =>
    passes(checkTargetHealth(groups(), EXPECTED_TARGET_SERVICES)));

  it("fails when one target fails its health checks", () => {
    const result = checkTargetHealth(
      groups((arn, targets) => {
        if (arn.includes("k8s-mario"))
          targets[0].TargetHealth = { State: "unhealthy", Reason: "Target.FailedHealthChecks" };
      }),
      EXPECTED_TARGET_SERVICES,
    );
    fails(
      result,
      /mario\/mario:80 -> k8s-mario-mario-4c5d6e7f8a: 1 unhealthy \[10\.0\.12\.104:8080 ap-northeast-2a \(Target\.FailedHealthChecks\)\]/,
    );
  });

  it("fails for a group whose targets are all draining, and for one with no targets", () => {
    fails(
      checkTargetHealth(
        groups((arn, targets) => {
          if (arn.includes("k8s-echo")) for (const t of targets) t.TargetHealth = { State: "draining" };
        }),
        EXPECTED_TARGET_SERVICES,
      ),
      /3 draining/,
    );
    fails(
      checkTargetHealth(
        groups((arn, targets) => void (arn.includes("k8s-tetris-tetris-") && targets.splice(0))),
        EXPECTED_TARGET_SERVICES,
      ),
      /no registered targets/,
    );
  });

  it("fails when a Service has no TargetGroupBinding, and when elbv2 answers an error", () => {
    fails(
      checkTargetHealth(
        groups().filter((g) => g.binding.spec?.serviceRef?.name !== "tetris-nlb"),
        EXPECTED_TARGET_SERVICES,
      ),
      /Service tetris\/tetris-nlb: no TargetGroupBinding/,
    );
    const [first, ...rest] = groups();
    fails(
      checkTargetHealth([{ binding: first.binding, error: "AccessDenied" }, ...rest], EXPECTED_TARGET_SERVICES),
      /AccessDenied/,
    );
  });
});

describe("verify tls: TLS 1.3, a trusted certificate that covers the host, issued by Amazon", () => {
  const good: TlsProbe = {
    host: "games.example.com",
    port: 443,
    protocol: "TLSv1.3",
    authorized: true,
    certificate: {
      issuer: { O: "Amazon", CN: "Amazon RSA 2048 M02" },
      subjectaltname: "DNS:example.com, DNS:*.example.com",
    },
  };

  it("passes for the ACM wildcard certificate over TLS 1.3", () => passes(checkTls([good])));

  it("fails on TLS 1.2, an untrusted chain, a certificate for another name, or another issuer", () => {
    fails(checkTls([{ ...good, protocol: "TLSv1.2" }]), /negotiated TLSv1\.2, not TLSv1\.3/);
    fails(
      checkTls([{ ...good, authorized: false, authorizationError: "CERT_HAS_EXPIRED" }]),
      /not trusted \(CERT_HAS_EXPIRED\)/,
    );
    fails(checkTls([{ ...good, host: "games.example.org" }]), /does not cover games\.example\.org/);
    fails(
      checkTls([{ ...good, certificate: { ...good.certificate, issuer: { O: "Let's Encrypt", CN: "R11" } } }]),
      /issuer organisation "Let's Encrypt", expected "Amazon"/,
    );
    fails(checkTls([{ host: "2048.example.com", port: 443, error: "ECONNREFUSED" }]), /ECONNREFUSED/);
  });

  it("matches names as browsers do: a wildcard is one whole leftmost label", () => {
    const names = ["example.com", "*.example.com"];
    assert.equal(certificateCovers("example.com", names), true);
    assert.equal(certificateCovers("GAMES.example.com.", names), true);
    assert.equal(certificateCovers("a.b.example.com", names), false);
    assert.equal(certificateCovers("badexample.com", names), false);
    assert.equal(certificateCovers("example.org", names), false);
  });
});

describe("verify http-redirect: plain HTTP answers with a redirect to the same URL over HTTPS", () => {
  it("passes for the ALB's redirect, which spells out :443", () =>
    passes(
      checkRedirects([
        { url: "http://games.example.com/tetris/", status: 301, location: "https://games.example.com:443/tetris/" },
      ]),
    ));

  it("fails for a page served over HTTP, a redirect elsewhere, or one that stays on HTTP", () => {
    fails(checkRedirects([{ url: "http://games.example.com/tetris/", status: 200 }]), /answered 200/);
    fails(
      checkRedirects([
        { url: "http://games.example.com/tetris/", status: 301, location: "https://games.example.com/" },
      ]),
      /expected https:\/\/games\.example\.com\/tetris\//,
    );
    fails(
      checkRedirects([{ url: "http://2048.example.com/", status: 302, location: "http://2048.example.com/" }]),
      /expected https:/,
    );
    fails(
      checkRedirects([{ url: "http://2048.example.com/", status: 301, location: "https://evil.example.net/" }]),
      /expected/,
    );
  });
});

describe("verify games: each game's URL serves its own page", () => {
  it("passes when each page carries its game's <title>", () =>
    passes(
      checkGames([
        {
          game: "tetris",
          url: "https://games.example.com/tetris",
          redirects: ["301 /tetris -> /tetris/"],
          status: 200,
          body: `<title>Tetris</title>`,
        },
        { game: "mario", url: "https://games.example.com/mario", status: 200, body: GAME_MARKERS.mario.marker },
      ]),
    ));

  it("fails for another page (nginx's default), a 404, and an error", () => {
    fails(
      checkGames([{ game: "tetris", url: "u", status: 200, body: "<title>Welcome to nginx!</title>" }]),
      /no <title>Tetris<\/title>/,
    );
    fails(checkGames([{ game: "mario", url: "u", status: 404, body: GAME_MARKERS.mario.marker }]), /404/);
    fails(checkGames([{ game: "game-2048", url: "u", error: "ETIMEDOUT" }]), /ETIMEDOUT/);
  });
});

describe("verify dns: each DNS name answers with its load balancer's addresses", () => {
  it("passes when the answers overlap", () =>
    passes(
      checkDnsRecords([
        {
          name: "games.example.com",
          loadBalancer: "k8s-games.elb",
          nameAddresses: ["3.35.30.13"],
          loadBalancerAddresses: ["3.35.30.13", "52.78.40.14"],
        },
      ]),
    ));

  it("fails when the name points at other addresses, or does not resolve", () => {
    fails(
      checkDnsRecords([
        {
          name: "games.example.com",
          loadBalancer: "k8s-games.elb",
          nameAddresses: ["198.51.100.7"],
          loadBalancerAddresses: ["3.35.30.13"],
        },
      ]),
      /no address in common/,
    );
    fails(
      checkDnsRecords([
        { name: "games.example.com", loadBalancer: "k8s-games.elb", error: "queryA ENOTFOUND games.example.com" },
      ]),
      /ENOTFOUND/,
    );
  });
});

describe("verify source-ip: echo through the NLB sees an address outside the VPC", () => {
  it("reads echoserver 1.5's page, and 1.4's older one", () => {
    const page = parseEchoAnswer(fixtures.echoserver15());
    assert.equal(page.hostname, "echo-7d9f8c6b5-2xk4p");
    assert.equal(page.clientAddress, "203.0.113.45");
    assert.equal(page.headers["user-agent"], "eks-platform-verify");
    const old = parseEchoAnswer(fixtures.echoserver14());
    assert.equal(old.clientAddress, "127.0.0.1");
    assert.equal(old.hostname, undefined);
    assert.equal(old.headers["user-agent"], "curl/7.68.0");
    assert.deepEqual(parseEchoHostnames(echoPage("a") + echoPage("b") + echoPage("a")), ["a", "b", "a"]);
  });

  it("passes for the caller's public address", () =>
    passes(checkSourceIp({ url: "http://nlb/", status: 200, body: fixtures.echoserver15() }, "10.0.0.0/16")));

  it("fails when the pod sees a VPC address (client IP not preserved), or no address", () => {
    fails(
      checkSourceIp({ url: "http://nlb/", status: 200, body: echoPage("echo-1", "10.0.71.9") }, "10.0.0.0/16"),
      /10\.0\.71\.9 is inside the VPC/,
    );
    fails(checkSourceIp({ url: "http://nlb/", status: 200, body: "hello" }, "10.0.0.0/16"), /no client_address/);
    fails(checkSourceIp({ url: "http://nlb/", status: 503, body: "" }, "10.0.0.0/16"), /answered 503/);
  });

  it("computes CIDR membership", () => {
    const vpc = parseCidr("10.0.0.0/16");
    assert.ok(vpc);
    assert.equal(cidrContains(vpc, "10.0.255.254"), true);
    assert.equal(cidrContains(vpc, "10.1.0.1"), false);
    assert.equal(parseCidr("10.0.0.0/33"), undefined);
  });
});

describe("verify zone-hints: echo's endpoints are hinted to their own zone", () => {
  const echo = () => fixtures.services().find((s) => s.metadata?.name === "echo");

  it("passes with PreferSameZone hints", () => passes(checkZoneHints(echo(), fixtures.endpointSlices())));

  it("fails without hints (trafficDistribution unset), or with a hint for another zone", () => {
    const slices = fixtures.endpointSlices();
    delete slices[0].endpoints?.[0].hints;
    fails(checkZoneHints(echo(), slices), /hints\.forZones \[\]/);
    const other = fixtures.endpointSlices();
    const ep = other[0].endpoints?.[1];
    assert.ok(ep);
    ep.hints = { forZones: [{ name: "ap-northeast-2a" }] };
    fails(checkZoneHints(echo(), other), /ap-northeast-2b\): hints\.forZones \[ap-northeast-2a\]/);
    fails(checkZoneHints(undefined, fixtures.endpointSlices()), /not found/);
  });
});

describe("verify zone-local: each netshoot pod reaches echo only in its own zone", () => {
  const zones = podZones([...fixtures.labPods(), ...fixtures.echoPods()], fixtures.nodes());
  const callers = fixtures.labPods().filter((p) => p.metadata?.labels?.["app.kubernetes.io/name"] === "netshoot");
  const local = ["echo-7d9f8c6b5-2xk4p", "echo-7d9f8c6b5-9qmzt", "echo-7d9f8c6b5-lw7rj"];

  it("maps pods to zones through their nodes", () => {
    assert.equal(zones.get("netshoot-6f7c9b8d4-fghij"), "ap-northeast-2b");
    assert.equal(zones.get("echo-7d9f8c6b5-lw7rj"), "ap-northeast-2c");
  });

  it("passes when every answer comes from the caller's zone", () => {
    const samples = callers.map((p, i) => ({
      caller: p.metadata?.name ?? "",
      callerZone: zones.get(p.metadata?.name ?? ""),
      hostnames: parseEchoHostnames(echoPage(local[i]).repeat(5)),
    }));
    passes(checkZoneLocal(samples, zones, 5));
  });

  it("fails when one answer crosses zones, or answers are missing", () => {
    const crossed = [
      { caller: "netshoot-6f7c9b8d4-abcde", callerZone: "ap-northeast-2a", hostnames: [local[0], local[0], local[2]] },
    ];
    fails(checkZoneLocal(crossed, zones, 3), /echo-7d9f8c6b5-lw7rj \(ap-northeast-2c\) x1/);
    const short = [
      {
        caller: "netshoot-6f7c9b8d4-abcde",
        callerZone: "ap-northeast-2a",
        hostnames: [local[0]],
        stderr: "curl: (28) Connection timed out after 5001 milliseconds\n",
      },
    ];
    fails(checkZoneLocal(short, zones, 3), /1\/3 answered .*curl: \(28\)/);
  });

  it("sends each request on its own connection, one curl per request", () => {
    assert.deepEqual(burstCommand("http://echo.echo.svc.cluster.local/", 20), [
      "sh",
      "-c",
      "for i in $(seq 1 20); do curl -sS --max-time 5 http://echo.echo.svc.cluster.local/; done",
    ]);
    assert.throws(() => burstCommand("http://x/", 0));
  });
});

describe("verify headless-dns: peers-N.peers.lab.svc.cluster.local resolves to pod peers-N", () => {
  const pods = fixtures.labPods();
  const ipOf = (pod: string) => pods.find((p) => p.metadata?.name === pod)?.status?.podIP ?? "";

  it("passes when each name answers its pod's IP", () =>
    passes(
      checkHeadlessDns(
        peerNames().map(({ pod, name }) => ({ name, pod, from: "netshoot-a", output: `${ipOf(pod)}\n` })),
        pods,
      ),
    ));

  it("fails for a stale IP, or no answer", () => {
    const answers = peerNames().map(({ pod, name }) => ({ name, pod, from: "netshoot-a", output: `${ipOf(pod)}\n` }));
    fails(
      checkHeadlessDns([{ ...answers[0], output: "10.0.12.9\n" }, ...answers.slice(1)], pods),
      /\[10\.0\.12\.9\], pod peers-0 has 10\.0\.12\.200/,
    );
    fails(checkHeadlessDns([{ ...answers[1], output: "" }], pods), /no answer/);
  });

  it("reads dig +short, skipping CNAMEs and comments", () =>
    assert.deepEqual(
      parseDigShort(
        "peers.lab.svc.cluster.local.\n10.0.71.201\n;; connection timed out; no servers could be reached\n",
      ),
      ["10.0.71.201"],
    ));
});

describe("verify kube-proxy-mode: kube-proxy is configured, and runs, in the stack's mode", () => {
  it("passes for the add-on's iptables configuration", () =>
    passes(checkKubeProxyMode(fixtures.kubeProxyConfig(), "iptables")));

  it("fails when the stack asked for ipvs, or the ConfigMap is missing", () => {
    fails(checkKubeProxyMode(fixtures.kubeProxyConfig(), "ipvs"), /mode iptables, stack output kubeProxyMode=ipvs/);
    fails(checkKubeProxyMode(undefined, "iptables"), /not found/);
  });

  it("reads an empty mode as iptables, the Linux default", () => {
    assert.deepEqual(configuredMode('kind: KubeProxyConfiguration\nmode: ""\n'), { mode: "iptables" });
    assert.deepEqual(configuredMode("kind: KubeletConfiguration\n"), { problem: "not a KubeProxyConfiguration" });
  });

  it("fails when a node's kube-proxy still runs the old mode", () => {
    const cm = fixtures.kubeProxyConfig();
    cm.data = { config: (cm.data?.config ?? "").replace('mode: "iptables"', 'mode: "ipvs"') };
    passes(checkKubeProxyMode(cm, "ipvs", [{ node: "n1", address: "10.0.12.34", mode: "ipvs" }]));
    fails(
      checkKubeProxyMode(cm, "ipvs", [
        { node: "n1", address: "10.0.12.34", mode: "ipvs" },
        { node: "n2", address: "10.0.71.9", mode: "iptables" },
      ]),
      /node n2 .*running iptables/,
    );
  });

  it("fails on an unreachable node, unless the ConfigMap binds metrics to loopback, out of a pod's reach", () => {
    const unreachable = [{ node: "n1", address: "10.0.12.34", error: "curl: (7) Failed to connect" }];
    fails(checkKubeProxyMode(fixtures.kubeProxyConfig(), "iptables", unreachable), /node n1 .*Failed to connect/);
    const cm = fixtures.kubeProxyConfig();
    cm.data = {
      config: (cm.data?.config ?? "").replace(
        "metricsBindAddress: 0.0.0.0:10249",
        "metricsBindAddress: 127.0.0.1:10249",
      ),
    };
    assert.equal(configuredMode(cm.data.config).metricsBindAddress, "127.0.0.1:10249");
    passes(checkKubeProxyMode(cm, "iptables", unreachable));
    // A node that does answer is still held to the mode.
    fails(
      checkKubeProxyMode(cm, "iptables", [{ node: "n2", address: "10.0.71.9", mode: "ipvs" }]),
      /node n2 .*running ipvs/,
    );
  });
});

describe("verify stack outputs: read without trusting their shape", () => {
  it("reads the program's own outputs", async () => {
    const { outputs, problems } = parseStackOutputs(await programStackOutputs(VERIFIED_STACKS.withDomain));
    assert.deepEqual(problems, []);
    assert.equal(outputs.domain, "example.com");
    assert.equal(outputs.nodeGroups?.general.maxPods, 110);
    assert.equal(outputs.urls?.tetris, "https://games.example.com/tetris/");
  });

  it("names each key of the wrong form, and a secret not shown", async () => {
    const { problems } = parseStackOutputs({
      ...(await programStackOutputs(VERIFIED_STACKS.withDomain)),
      kubeconfig: "[secret]",
      kubeProxyMode: "userspace",
      prefixDelegation: "true",
      urls: { echo: "ftp://x" },
    });
    assert.deepEqual(problems, [
      "kubeconfig: is a secret: run pulumi stack output --json --show-secrets",
      'kubeProxyMode: expected one of iptables, ipvs, nftables, got "userspace"',
      'prefixDelegation: expected true or false, got "true"',
      'urls.echo: expected an http or https URL, got "ftp://x"',
    ]);
  });

  it("leaves absent keys undefined and an empty domain absent", () => {
    const { outputs, problems } = parseStackOutputs({ clusterName: "c", domain: "" });
    assert.deepEqual(problems, []);
    assert.equal(outputs.domain, undefined);
    assert.equal(outputs.kubeProxyMode, undefined);
  });
});

describe("verify clients: the small pure parts", () => {
  it("compares Node versions with a package's minimum", () => {
    assert.equal(meetsMinimum(">=22.19.0", "v20.20.2"), false);
    assert.equal(meetsMinimum(">=22.19.0", "v22.19.0"), true);
    assert.equal(meetsMinimum(">=18", "v20.0.0"), true);
    assert.equal(meetsMinimum("^20 || ^22", "v20.0.0"), true);
    assert.deepEqual(clientNodeEngineProblems("v99.0.0"), []);
  });

  it("reads an exec's exit code, and a target group's region", () => {
    assert.equal(exitCodeOf({ status: "Success" }), 0);
    assert.equal(
      exitCodeOf({
        status: "Failure",
        reason: "NonZeroExitCode",
        details: { causes: [{ reason: "ExitCode", message: "7" }] },
      }),
      7,
    );
    assert.equal(arnRegion("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/tg/0123"), "eu-west-1");
  });
});
