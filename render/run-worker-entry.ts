/**
 * The worker thread render/run-worker.ts starts: it runs the program for each request, one at a time (the
 * harness serializes runs: mocks are global), and answers with the run or its error as data.
 */
import { parentPort } from "node:worker_threads";
import { runErrorToWire, runProgram } from "./harness";
import type { RunWorkerAnswer, RunWorkerRequest } from "./run-worker";

const port = parentPort;
if (!port) throw new Error("render/run-worker-entry.ts runs as a worker thread (render/run-worker.ts)");

port.on("message", (request: RunWorkerRequest) => {
  runProgram(request.options).then(
    (run) => port.postMessage({ id: request.id, run } satisfies RunWorkerAnswer),
    (error: unknown) => port.postMessage({ id: request.id, error: runErrorToWire(error) } satisfies RunWorkerAnswer),
  );
});

// The program and its providers load now, before the first request: the suite is still loading its own files.
require("../index");
