import type { ChartExpansion } from "../charts";
import type { ProgramRun } from "../harness";
import type { RenderOptions } from "../options";

/** What every summary section reads. */
export interface SummaryContext {
  readonly run: ProgramRun;
  readonly options: RenderOptions;
  readonly charts: ChartExpansion;
  /** The stack's configuration as the program saw it (Pulumi.yaml defaults, stack file, overrides). */
  readonly config: Readonly<Record<string, string>>;
}

/** A section of summary.md: a `## ` title and its body, or nothing when it has nothing to say. */
export interface SummarySection {
  readonly title: string;
  readonly body: string;
}

/** One builder per section, in the order summary.md shows them; add a section by adding a builder. */
export type SummarySectionBuilder = (ctx: SummaryContext) => SummarySection | undefined;
