/**
 * verify's HTTP, TLS and redirect probes against real servers on 127.0.0.1: a self-signed certificate for
 * the right name, one for a wrong name, a server capped at TLS 1.2, an HTTP listener that redirects as the
 * ALB does, the games' pages behind the ALB's "/tetris" -> "/tetris/" redirect, and echoserver's page.
 * Names are sent to loopback by the probes' `lookup`; the certificates are trusted through `ca`. Nothing
 * leaves the machine.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo, LookupFunction } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { checkSourceIp } from "../verify/checks/echo";
import { checkGames, checkRedirects, checkTls, GAME_MARKERS } from "../verify/checks/web";
import { type ProbeOptions, probeEcho, probePage, probeRedirect, probeTls } from "../verify/clients/network";
import { fixtures } from "./fixtures/verify/load";

const HOST = "games.verify.test";
/** The issuer organisation of the test certificates, in place of ACM's "Amazon". */
const TEST_ISSUER = "Verify Loopback";

/** Every name to 127.0.0.1, in both forms net.connect may ask for. */
const loopback: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
  else callback(null, "127.0.0.1", 4);
};

/** A throw-away self-signed EC certificate for `names` (openssl is on every machine of this kind). */
function selfSigned(dir: string, label: string, names: readonly string[]): { key: string; cert: string } {
  const key = path.join(dir, `${label}.key`);
  const cert = path.join(dir, `${label}.crt`);
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:prime256v1",
      "-nodes",
      "-days",
      "2",
      "-keyout",
      key,
      "-out",
      cert,
      "-subj",
      `/O=${TEST_ISSUER}/CN=${names[0]}`,
      "-addext",
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(",")}`,
    ],
    { stdio: "ignore" },
  );
  return { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(cert, "utf8") };
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

describe("verify over loopback: TLS, redirects, pages and echo against real servers", () => {
  let dir = "";
  let right: { key: string; cert: string };
  let wrong: { key: string; cert: string };
  const servers: http.Server[] = [];
  let httpsPort = 0;
  let wrongPort = 0;
  let tls12Port = 0;
  let httpPort = 0;
  let options: ProbeOptions;

  /** What the ALB does: the prefix without its slash redirects to it; the games' pages; nginx's page elsewhere. */
  const site: http.RequestListener = (req, res) => {
    const page: Record<string, string> = {
      "/tetris/": GAME_MARKERS.tetris.marker,
      "/mario/": "<title>Welcome to nginx!</title>",
    };
    if (req.url === "/tetris" || req.url === "/mario") {
      res.writeHead(301, { location: `https://${HOST}:${httpsPort}${req.url}/` }).end();
    } else if (req.url && page[req.url]) {
      res
        .writeHead(200, { "content-type": "text/html" })
        .end(`<html><head>${page[req.url]}</head><body></body></html>`);
    } else res.writeHead(404).end();
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-tls-"));
    right = selfSigned(dir, "right", [HOST, "*.verify.test"]);
    wrong = selfSigned(dir, "wrong", ["wrong.invalid"]);
    const add = <T extends http.Server>(server: T): T => {
      servers.push(server);
      return server;
    };
    httpsPort = await listen(add(https.createServer({ key: right.key, cert: right.cert }, site)));
    wrongPort = await listen(add(https.createServer({ key: wrong.key, cert: wrong.cert }, site)));
    tls12Port = await listen(
      add(https.createServer({ key: right.key, cert: right.cert, maxVersion: "TLSv1.2" }, site)),
    );
    httpPort = await listen(
      add(
        http.createServer((req, res) => {
          if (req.url === "/echo") {
            // echoserver's page, with the address this connection really came from.
            const body = fixtures
              .echoserver15()
              .replace(/client_address=.*$/m, `client_address=${req.socket.remoteAddress?.replace(/^::ffff:/, "")}`);
            res.writeHead(200, { "content-type": "text/plain" }).end(body);
          } else if (req.url === "/plain/") res.writeHead(200).end("served over http");
          else if (req.url === "/elsewhere/") res.writeHead(301, { location: `https://${HOST}:${httpsPort}/` }).end();
          else res.writeHead(301, { location: `https://${HOST}:${httpsPort}${req.url}` }).end();
        }),
      ),
    );
    options = { timeoutMs: 3000, ca: right.cert, lookup: loopback };
  });

  after(() => {
    for (const s of servers) s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("tls passes for TLS 1.3 with a trusted certificate that covers the host", async () => {
    const probe = await probeTls(HOST, httpsPort, options);
    assert.equal(probe.protocol, "TLSv1.3");
    const result = checkTls([probe], TEST_ISSUER);
    assert.equal(result.status, "pass", result.evidence);
  });

  it("tls fails for a certificate of another name", async () => {
    const result = checkTls([await probeTls(HOST, wrongPort, { ...options, ca: wrong.cert })], TEST_ISSUER);
    assert.equal(result.status, "fail");
    assert.match(result.evidence, /does not cover games\.verify\.test \(names: wrong\.invalid\)/);
  });

  it("tls fails for a server that stops at TLS 1.2", async () => {
    const result = checkTls([await probeTls(HOST, tls12Port, options)], TEST_ISSUER);
    assert.equal(result.status, "fail");
    assert.match(result.evidence, /negotiated TLSv1\.2, not TLSv1\.3/);
  });

  it("tls fails for an untrusted chain, and for an issuer that is not the expected one (ACM's Amazon)", async () => {
    const untrusted = checkTls([await probeTls(HOST, httpsPort, { ...options, ca: wrong.cert })], TEST_ISSUER);
    assert.equal(untrusted.status, "fail");
    assert.match(untrusted.evidence, /certificate not trusted \(\w+/);
    const notAcm = checkTls([await probeTls(HOST, httpsPort, options)]);
    assert.equal(notAcm.status, "fail");
    assert.match(notAcm.evidence, /issuer organisation "Verify Loopback", expected "Amazon"/);
  });

  it("http-redirect passes for a redirect to the same host and path over HTTPS, and fails otherwise", async () => {
    const good = await probeRedirect(`https://${HOST}:${httpsPort}/tetris/`, { ...options, httpPort });
    assert.equal(good.url, `http://${HOST}:${httpPort}/tetris/`);
    const passed = checkRedirects([good], httpsPort);
    assert.equal(passed.status, "pass", passed.evidence);

    const plain = checkRedirects(
      [await probeRedirect(`https://${HOST}:${httpsPort}/plain/`, { ...options, httpPort })],
      httpsPort,
    );
    assert.equal(plain.status, "fail");
    assert.match(plain.evidence, /answered 200/);
    const elsewhere = checkRedirects(
      [await probeRedirect(`https://${HOST}:${httpsPort}/elsewhere/`, { ...options, httpPort })],
      httpsPort,
    );
    assert.equal(elsewhere.status, "fail");
    assert.match(elsewhere.evidence, new RegExp(`expected https://${HOST}:${httpsPort}/elsewhere/`));
  });

  it("games follows /tetris to /tetris/ and finds tetris's page; a wrong page fails", async () => {
    const tetris = await probePage("tetris", `https://${HOST}:${httpsPort}/tetris/`, options);
    assert.deepEqual(tetris.redirects, [`301 /tetris -> https://${HOST}:${httpsPort}/tetris/`]);
    const passed = checkGames([tetris]);
    assert.equal(passed.status, "pass", passed.evidence);
    const mario = checkGames([await probePage("mario", `https://${HOST}:${httpsPort}/mario/`, options)]);
    assert.equal(mario.status, "fail");
    assert.match(mario.evidence, /no <title>Infinite Mario - JavaScript<\/title>/);
  });

  it("games refuses a page behind a certificate for another name", async () => {
    const result = checkGames([
      await probePage("tetris", `https://${HOST}:${wrongPort}/tetris/`, { ...options, ca: wrong.cert }),
    ]);
    assert.equal(result.status, "fail");
    assert.match(result.evidence, /ERR_TLS_CERT_ALTNAME_INVALID|does not match/);
  });

  it("source-ip reads the address echoserver saw: outside the VPC passes, inside fails", async () => {
    const probe = await probeEcho(`http://echo.verify.test:${httpPort}/echo`, options);
    const outside = checkSourceIp(probe, "10.0.0.0/16");
    assert.equal(outside.status, "pass", outside.evidence);
    assert.match(outside.evidence, /client_address=127\.0\.0\.1/);
    assert.equal(checkSourceIp(probe, "127.0.0.0/8").status, "fail");
  });
});
