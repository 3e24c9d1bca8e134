/**
 * Program runs in a worker thread (test/suite.ts starts it): why, and the wire between the two threads.
 *
 * node:test enables an async hook with a destroy callback for the whole process (Node 20.20
 * lib/internal/test_runner/harness.js `setup`, which tracks which test each async resource belongs to), so
 * every promise a run makes is tracked and its destroy registered: measured here, a run costs about twice as
 * much inside the test runner as outside it (~370 ms against ~160-210 ms). A worker has its own hooks, none,
 * and the suite's other work goes on beside it on the second core. The same harness runs in the worker
 * (run-worker-entry.ts); results cross as data (structured clone), errors as WireRunError; the run cache stays
 * with the caller (harness.ts runProgram).
 *
 * This module imports nothing heavy, so the suite can start the worker before it loads Pulumi: the worker's own
 * start (Pulumi, the providers, the program) then overlaps the suite's.
 */
import * as path from "node:path";
import { Worker } from "node:worker_threads";
import type { ProgramRun, RecordedResource, RunOptions } from "./harness";
import type { RuleViolation } from "./remote-components";

/** One message to the worker: a run and the number that pairs it with its answer. */
export interface RunWorkerRequest {
  readonly id: number;
  readonly options: Omit<RunOptions, "program">;
}

/** The worker's answer: the run, or why it failed. */
export type RunWorkerAnswer =
  | { readonly id: number; readonly run: ProgramRun }
  | { readonly id: number; readonly error: WireRunError };

/** An error a run raised, as data (harness.ts runErrorToWire and runErrorFromWire). */
export interface WireRunError {
  readonly kind: "ProgramError" | "Error";
  readonly message: string;
  readonly cause: WireCause;
  readonly resources: RecordedResource[];
  readonly missingAnswers: string[];
}

export type WireCause =
  | { readonly kind: "ConfigError"; readonly problems: readonly string[] }
  | {
      readonly kind: "RemoteComponentError";
      readonly type: string;
      readonly resourceName: string;
      readonly violations: readonly RuleViolation[];
    }
  | {
      readonly kind: "NoOfflineAnswer" | "Error";
      readonly name: string;
      readonly message: string;
      readonly stack?: string;
    };

/**
 * Makes every later run of the program itself (not of a caller's own `program`) in one worker thread. Call
 * `loaded()` on the answer once every test file is loaded: from then on, a run a test waits for goes first.
 */
export function runProgramsInWorker(): { loaded(): void } {
  worker ??= new RunWorker();
  const started = worker;
  return { loaded: () => started.loaded() };
}

/** The worker runs go to, if runProgramsInWorker started one. */
export function activeRunWorker(): RunWorker | undefined {
  return worker;
}

let worker: RunWorker | undefined;

/**
 * A run's promise that tells the worker when someone waits for it (`await`, `then`, `catch`, Promise.all all
 * call `then`): a run asked for early but not yet awaited waits behind the runs the tests are waiting for.
 */
class RunPromise<T> extends Promise<T> {
  // Promises derived with then/catch are plain ones: only the run's own promise reports.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }
  onAwaited: (() => void) | undefined;
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.onAwaited?.();
    return super.then(onFulfilled, onRejected);
  }
}

interface QueuedRun {
  readonly request: RunWorkerRequest;
  readonly settle: (answer: RunWorkerAnswer) => void;
  readonly fail: (error: unknown) => void;
}

/**
 * The worker and the runs waiting for it. One run is in the worker at a time (it makes them one at a time
 * anyway), so the order stays ours to choose: first a run a test is waiting for now (the latest first: the
 * test that asked last is the one running), then those the files waited for as they loaded (in file order,
 * the order their tests run in), then those asked for early and not yet awaited. It keeps the process alive
 * only while a run waits.
 */
class RunWorker {
  private readonly thread: Worker;
  private readonly unsent = new Map<number, QueuedRun>();
  private readonly awaitedNow: number[] = [];
  private readonly awaitedAtLoad: number[] = [];
  private inWorker: QueuedRun | undefined;
  private allLoaded = false;
  private nextId = 0;

  constructor() {
    // tsx is registered in the worker as in this process (`--import tsx`), so the worker loads the TypeScript.
    const entry = `require(${JSON.stringify(require.resolve("tsx/cjs/api"))}).register(); require(${JSON.stringify(path.join(__dirname, "run-worker-entry.ts"))});`;
    this.thread = new Worker(entry, { eval: true });
    this.thread.unref();
    this.thread.on("message", (answer: RunWorkerAnswer) => {
      const done = this.inWorker;
      this.inWorker = undefined;
      done?.settle(answer);
      this.sendNext();
    });
    // A worker that throws, or exits, fails every run still waiting on it (none is left pending for ever), and
    // later runs are made in this thread.
    this.thread.on("error", (error) => this.stop(error));
    this.thread.on("exit", (code) => this.stop(new Error(`the run worker exited (code ${code})`)));
  }

  private stop(error: unknown): void {
    for (const queued of [...(this.inWorker ? [this.inWorker] : []), ...this.unsent.values()]) queued.fail(error);
    this.unsent.clear();
    this.inWorker = undefined;
    if (worker === this) worker = undefined;
  }

  loaded(): void {
    this.allLoaded = true;
  }

  /**
   * Makes the run (always afresh: the caller keeps the cache); the promise settles with what `answered` makes
   * of the worker's answer.
   */
  run<T>(options: Omit<RunOptions, "program">, answered: (answer: RunWorkerAnswer) => T | PromiseLike<T>): Promise<T> {
    const id = this.nextId++;
    const request: RunWorkerRequest = { id, options: { ...options, fresh: true } };
    const promise = new RunPromise<T>((resolve, reject) => {
      this.unsent.set(id, { request, settle: (answer) => resolve(answered(answer)), fail: reject });
    });
    promise.onAwaited = () => {
      promise.onAwaited = undefined;
      if (this.unsent.has(id)) (this.allLoaded ? this.awaitedNow : this.awaitedAtLoad).push(id);
    };
    this.sendNext();
    return promise;
  }

  private sendNext(): void {
    if (this.inWorker) return;
    const next = this.takeNext();
    if (!next) {
      this.thread.unref();
      return;
    }
    this.inWorker = next;
    this.thread.ref();
    this.thread.postMessage(next.request);
  }

  private takeNext(): QueuedRun | undefined {
    for (const id of [...[...this.awaitedNow].reverse(), ...this.awaitedAtLoad, ...this.unsent.keys()]) {
      const queued = this.unsent.get(id);
      if (!queued) continue;
      this.unsent.delete(id);
      for (const list of [this.awaitedNow, this.awaitedAtLoad]) {
        const at = list.indexOf(id);
        if (at >= 0) list.splice(at, 1);
      }
      return queued;
    }
    return undefined;
  }
}
